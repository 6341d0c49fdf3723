/**
 * Acceptance: a 300-host scan through one real sshd, 10% dead (refused), 5% hanging (a fake `xl`
 * that ignores SIGTERM, cut off by the per-host deadline), 5% printing garbage. It records every
 * host; a SIGINT halfway stops it cleanly (results kept, ssh
 * children gone) and `--resume` completes it with no host scanned twice and none missing.
 *
 * Reachable hosts print a snapshot the real collector made once from a fixture (fleet kind
 * `replay`): 240 real collector runs would measure the collector's CPU on this one machine, which
 * the smaller fleet test and bench/ cover; hanging hosts do run the real collector.
 */
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {ScanOutput} from '../../src/scan/render.js'
import type {HostResult} from '../../src/scan/result.js'
import {FIXTURES, fleetAvailable, fleetPlan, startFleet} from '../helpers/fleet.mjs'
import {startCli} from '../helpers/scan-cli.js'

const IN_CI = Boolean(process.env.CI)
const COUNT = 300
/** Generous for the hosts that answer (a loaded 2-core machine runs 32 ssh sessions at once); the hanging ones cost it. */
const HOST_TIMEOUT = 45
/** How long a step may wait for what it waits for before the test gives up (a bound, never an expectation). */
const PATIENCE_MS = 600_000

/** Polls until `ready()` holds, failing with `what` after PATIENCE_MS. */
async function waitFor(what: string, ready: () => boolean): Promise<void> {
  const until = Date.now() + PATIENCE_MS
  while (!ready()) {
    if (Date.now() > until) throw new Error(`gave up waiting ${PATIENCE_MS / 1000} s for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
const FIXTURE_SET = ['good-pvops-debian12', 'incident-el5xen', 'pvops-xen48-unprovable', 'xenserver-8']

const readLines = (file: string): HostResult[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as HostResult)
    : []

/** ssh processes still running with this fleet's client config. */
function liveSshChildren(config: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0')
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      if (path.basename(argv[0] ?? '') === 'ssh' && argv.includes(config) && !/^\d+ \(.*\) Z /.test(stat)) pids.push(Number(entry))
    } catch {
      // gone
    }
  }
  return pids
}

describe.skipIf(!fleetAvailable() && !IN_CI)(`a ${COUNT}-host scan with dead, hanging and garbage hosts, interrupted and resumed`, () => {
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let work: string
  let inventory: string
  const plan = fleetPlan(COUNT, {dead: 0.1, hang: 0.05, garbage: 0.05, kind: 'replay', fixtures: FIXTURE_SET})
  const kindOf = new Map(plan.map((h: {name: string; kind: string; fixture?: string}) => [h.name, h]))

  beforeAll(async () => {
    fleet = await startFleet(plan)
    work = mkdtempSync(path.join(tmpdir(), 'kdc-scan-acceptance-'))
    inventory = fleet.writeAnsibleInventory(path.join(work, 'hosts.ini'))
  }, PATIENCE_MS)

  afterAll(async () => {
    await fleet?.stop()
    fleet?.remove()
    if (work) rmSync(work, {recursive: true, force: true})
  })

  it('plans the mix the acceptance asks for', () => {
    const count = (k: string) => plan.filter((h: {kind: string}) => h.kind === k).length
    expect([count('dead'), count('hang'), count('garbage'), count('replay')]).toEqual([30, 15, 15, 240])
  })

  it('stops cleanly on SIGINT halfway, then --resume completes it: every host once, none missing', async () => {
    const results = path.join(work, 'fleet.jsonl')
    const args = ['scan', '-i', inventory, '--ssh-config', fleet.clientConfig, '--concurrency', '32', '--host-timeout', String(HOST_TIMEOUT), '--probe-timeout', '60', '--results', results, '--format', 'json']

    // Run 1: interrupted once half the hosts are recorded.
    const first = startCli([...args, '-o', path.join(work, 'first.json')])
    await waitFor(`${COUNT / 2} results`, () => readLines(results).length >= COUNT / 2)
    first.child.kill('SIGINT')
    const one = await first.done
    expect(one.stderr).toMatch(/SIGINT: stopping/)
    expect([1, 3]).toContain(one.status)
    // The ssh children are killed; the kernel may take a moment to let them go on a busy machine.
    await waitFor('the ssh children to go', () => liveSshChildren(fleet.clientConfig).length === 0)
    const firstOutput = JSON.parse(readFileSync(path.join(work, 'first.json'), 'utf8')) as ScanOutput
    expect(firstOutput.interrupted).toBe(true)
    const afterFirst = readLines(results)
    expect(afterFirst.length).toBeGreaterThanOrEqual(COUNT / 2)
    expect(afterFirst.length).toBeLessThan(COUNT)
    expect(new Set(afterFirst.map((r) => r.host)).size).toBe(afterFirst.length)
    expect(firstOutput.summary.hosts).toBe(afterFirst.length)
    expect(firstOutput.summary.not_scanned).toBe(COUNT - afterFirst.length)
    const doneFirst = new Set(afterFirst.map((r) => r.host))
    const callsBefore = fleet.calls().length

    // Run 2: --resume scans only what the file lacks.
    const second = startCli([...args, '--resume', '-o', path.join(work, 'second.json')])
    const two = await second.done
    expect(two.stderr).toBe('')
    expect(two.status).toBe(1)
    const out = JSON.parse(readFileSync(path.join(work, 'second.json'), 'utf8')) as ScanOutput
    expect(out.interrupted).toBe(false)
    expect(out.resumed).toBe(afterFirst.length)
    expect(out.summary).toMatchObject({planned: COUNT, hosts: COUNT, not_scanned: 0, exit_code: 1})

    // The results file: every host exactly once.
    const all = readLines(results)
    expect(all).toHaveLength(COUNT)
    expect(new Set(all.map((r) => r.host)).size).toBe(COUNT)
    expect([...new Set(all.map((r) => r.host))].sort()).toEqual(plan.map((h: {name: string}) => h.name).sort())
    // ... and the server never saw a host of the first run again.
    const secondCalls = fleet.calls().slice(callsBefore).map(([host]: [string, string]) => host)
    expect(secondCalls.filter((h: string) => doneFirst.has(h))).toEqual([])

    // Every host recorded as what it is.
    const expected = new Map(FIXTURE_SET.map((f) => [f, /verdict: (\w+)/.exec(readFileSync(path.join(FIXTURES, `${f}.expect.yaml`), 'utf8'))![1]]))
    for (const result of all) {
      const host = kindOf.get(result.host)!
      if (host.kind === 'replay') expect([result.host, result.status, result.verdict]).toEqual([result.host, 'judged', expected.get(host.fixture!)])
      else {
        expect([result.host, result.status, result.failure]).toEqual([result.host, 'unreachable', {dead: 'refused', hang: 'timeout', garbage: 'garbage'}[host.kind]])
        expect(result.verdict).toBe('UNVERIFIED')
      }
      // Never cut off before its deadline (no upper bound: a busy machine may be slow to kill).
      if (host.kind === 'hang') expect(result.duration_ms).toBeGreaterThanOrEqual(HOST_TIMEOUT * 1000 - 50)
    }
    expect(out.summary.unreachable_by_failure).toEqual({garbage: 15, refused: 30, timeout: 15})
  }, 3 * PATIENCE_MS)
})
