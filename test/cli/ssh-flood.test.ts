/**
 * Issue 12 item 6: a host that prints without end (`yes`) must not crash Node. What is read from ssh
 * is capped while reading (the snapshot size limit, 256 MiB); past it that host's ssh is ended and the
 * host recorded as failed with the reason: `check --ssh` exits 2 with one line, `scan` goes on with the
 * other hosts. `ssh` here is a stand-in on PATH that plays the remote side: `flood` prints `yes`, any
 * other host replays a snapshot packed from a committed fixture.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {repoRoot} from '../helpers/cli.js'
import {runCliAsync} from '../helpers/scan-cli.js'

let env: Record<string, string>

beforeAll(() => {
  const work = mkdtempSync(path.join(tmpdir(), 'kdc-flood-'))
  const bin = path.join(work, 'bin')
  mkdirSync(bin)
  const snapshot = path.join(work, 'good.tar.gz')
  execFileSync('tar', ['czf', snapshot, '-C', path.join(repoRoot, 'fixtures/hosts'), 'good-pvops-debian12'])
  // ssh [options] -- HOST COMMAND: the host is the argument after "--".
  writeFileSync(
    path.join(bin, 'ssh'),
    `#!/bin/sh
while [ $# -gt 0 ] && [ "$1" != -- ]; do shift; done
host=$2
cat > /dev/null
case $host in
flood) exec yes ;;
*) exec cat '${snapshot}' ;;
esac
`,
    {mode: 0o755},
  )
  env = {PATH: `${bin}:${process.env.PATH}`}
})

describe('a host that floods its output', () => {
  it('check --ssh: exit 2, one line naming the host and the limit, no crash', async () => {
    const result = await runCliAsync(['check', '--ssh', 'flood'], {env})
    expect(result.signal).toBeNull()
    expect(result.status, result.stderr.slice(0, 2000)).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual([
      'kdumpcheck: error: ssh:flood: sent more than 256 MiB (the snapshot size limit); stopped reading and ended it (ssh)',
    ])
  }, 300_000)

  it('scan: the flooding host is recorded as failed with the reason, and the others are judged', async () => {
    const result = await runCliAsync(['scan', '--hosts', 'good-a,flood,good-b', '--format', 'json', '--no-progress'], {env})
    expect(result.signal).toBeNull()
    expect(result.status, result.stderr.slice(0, 2000)).toBe(3)
    const out = JSON.parse(result.stdout) as {summary: {hosts: number; planned: number}; hosts: Array<{host: string; status: string; failure?: string; reason?: string; verdict: string}>}
    expect(out.summary).toMatchObject({planned: 3, hosts: 3})
    const byHost = new Map(out.hosts.map((h) => [h.host, h]))
    expect(byHost.get('flood')).toMatchObject({status: 'unreachable', failure: 'garbage', verdict: 'UNVERIFIED'})
    expect(byHost.get('flood')!.reason).toBe('sent more than 256 MiB (the snapshot size limit); stopped reading and ended it')
    for (const name of ['good-a', 'good-b']) expect(byHost.get(name)).toMatchObject({status: 'judged', verdict: 'READY'})
  }, 300_000)
})
