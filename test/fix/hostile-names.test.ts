/**
 * `kdumpcheck fix` on evidence whose file names are hostile (issue 12's "names are data", for what fix
 * writes): a sysctl drop-in named with a newline, `$(...)` or `;` must never become a command in the
 * --script that root runs on the host (not in a comment line, not in an activation command), a line of
 * the --diff, or a line or a terminal control in the text report.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {REPO} from './discover.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-fix-names-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))
let n = 0

/** A live snapshot whose only problem is KD502, set to 0 by a drop-in called `name`. */
function snapshotWithDropIn(name: string): {snapshot: string; dir: string} {
  const dir = path.join(work, `case-${n++}`)
  const snapshot = path.join(dir, 'snap')
  cpSync(path.join(REPO, 'fixtures/hosts/good-pvops-debian12'), snapshot, {recursive: true})
  writeFileSync(path.join(snapshot, 'files/etc/sysctl.d', name), 'kernel.panic_on_oops = 0\n')
  writeFileSync(path.join(snapshot, 'files/proc/sys/kernel/panic_on_oops'), '0\n')
  return {snapshot, dir}
}

/** Runs the script as the host would (a test root, a sysctl that only echoes), in `dir`. */
function runScript(script: string, dir: string, mode: string): {status: number | null; out: string} {
  const root = path.join(dir, 'root')
  // The host holds the files the snapshot was collected from.
  cpSync(path.join(dir, 'snap/files/etc/sysctl.d'), path.join(root, 'etc/sysctl.d'), {recursive: true})
  const bin = path.join(dir, 'bin')
  mkdirSync(bin, {recursive: true})
  writeFileSync(path.join(bin, 'sysctl'), '#!/bin/sh\necho sysctl "$@"\n', {mode: 0o755})
  const file = path.join(dir, 'fix.sh')
  writeFileSync(file, script)
  const r = spawnSync('sh', [file, ...(mode ? [mode] : [])], {cwd: dir, encoding: 'utf8', env: {...process.env, KDUMPCHECK_ROOT: root, PATH: `${bin}:${process.env.PATH}`}})
  return {status: r.status, out: r.stdout + r.stderr}
}

const planted = (dir: string): string[] => readdirSync(dir).filter((f) => f.startsWith('PWNED'))

describe('fix --script: a file name never becomes a command on the host', () => {
  it.each(['--check', '--activate'])('a drop-in named with a newline and $(...) runs nothing (script %s)', (mode) => {
    const {snapshot, dir} = snapshotWithDropIn('95-x\ntouch PWNED1\n$(touch PWNED2);.conf')
    const r = runCli(['fix', '--snapshot', snapshot, '--script'])
    expect([1, 3]).toContain(r.status)
    // No line of the script is the planted command, whatever fix decided about the file.
    expect(r.stdout.split('\n')).not.toContain('touch PWNED1')
    runScript(r.stdout, dir, mode)
    expect(planted(dir)).toEqual([])
  })

  it('a drop-in named $(...);x.conf is edited, and activating runs sysctl on that file, not the command in its name', () => {
    const {snapshot, dir} = snapshotWithDropIn('95-$(touch PWNED3);x.conf')
    const r = runCli(['fix', '--snapshot', snapshot, '--script'])
    expect(r.status, r.stderr).toBe(1)
    const ran = runScript(r.stdout, dir, '--activate')
    expect(planted(dir)).toEqual([])
    expect(ran.out).toContain('sysctl -p /etc/sysctl.d/95-$(touch PWNED3);x.conf')
    expect(existsSync(path.join(dir, 'root/etc/sysctl.d/95-$(touch PWNED3);x.conf'))).toBe(true)
  })
})

describe('fix: a name with control characters is left to a person, shown escaped', () => {
  it('the diff holds no line from the name, the text report no raw newline or escape', () => {
    const {snapshot} = snapshotWithDropIn('95-x\n+++ b\u001b]0;owned\u0007.conf')
    const diff = runCli(['fix', '--snapshot', snapshot, '--diff'])
    expect(diff.stdout).not.toMatch(/^\+\+\+ b\u001b/m)
    expect(diff.stdout).not.toContain('\u001b')
    const text = runCli(['fix', '--snapshot', snapshot])
    expect(text.status).toBe(3)
    expect(text.stdout + text.stderr).not.toMatch(/[\u001b\u0007]/)
    expect(text.stdout).toMatch(/KD502 .*set it by hand/)
  })
})
