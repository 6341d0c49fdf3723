/**
 * The re-check property of `fix` (issue 15), on every snapshot the fixtures hold, discovered (so a
 * real-world image added later is covered without touching this file):
 * - an image is laid out as a root (materialize.ts, checked to read exactly like its snapshot) and
 *   repaired with `fix --root`; judging it again, every check the plan claims passes, no check that
 *   passed before stops passing, a second `fix` changes nothing, and `patch -p1` of `fix --diff` on
 *   a copy gives the same tree, byte for byte, symlinks included;
 * - a live host's snapshot gets `fix --diff` applied with `patch -p1` to its files/ laid out as a
 *   tree; judged again (as collected, and as the next boot would show it once activated), every
 *   claim holds and nothing that passed fails, and fix on the patched evidence proposes no edit.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {planDiff} from '../../src/fix/diff.js'
import {FIXABLE, planFixes} from '../../src/fix/planner.js'
import {runFix} from '../../src/fix/run.js'
import {afterActivation} from '../../src/fix/simulate.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import {snapshotFromRoot} from '../../src/sources/rootfs.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {discoverSnapshots} from './discover.js'
import {materializeRoot} from './materialize.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-fix-recheck-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const fixtures = discoverSnapshots()
const images = fixtures.filter((f) => f.kind === 'static')
const live = fixtures.filter((f) => f.kind === 'runtime')

const FLAGS = {'ssh-option': [], sudo: false, timeout: 60, 'probe-timeout': 10, 'connect-timeout': 10}

function statuses(report: ReturnType<typeof judgeSnapshot>): Map<string, string> {
  return new Map(report.findings.map((f) => [f.id, f.status]))
}

/** Every path under dir with what it is: file content, or a link's target. */
function treeOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`
      const info = lstatSync(path.join(dir, r))
      if (info.isSymbolicLink()) out[r] = `-> ${readlinkSync(path.join(dir, r))}`
      else if (info.isDirectory()) walk(r)
      // Large files (kernels, initrds laid out sparse) are never edited: their size stands for them.
      else if (info.size > 1 << 20) out[r] = `${(info.mode & 0o777).toString(8)} ${info.size} bytes`
      else out[r] = `${(info.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex')}`
    }
  }
  walk('')
  return out
}

function patch(dir: string, diff: string): void {
  const run = spawnSync('patch', ['-p1', '-d', dir, '--batch', '--forward', '--no-backup-if-mismatch', '--quiet'], {input: diff, encoding: 'utf8'})
  expect(run.status, `patch -p1 failed:\n${run.stdout}${run.stderr}\n${diff}`).toBe(0)
}

/** An edit withdrawn because judging it again did not confirm it: a planner or editor bug. */
function withdrawn(plan: {people: Array<{finding: string; message: string}>}): string[] {
  return plan.people.filter((p) => /computed an edit/.test(p.message)).map((p) => `${p.finding}: ${p.message}`)
}

function noRegression(before: Map<string, string>, after: Map<string, string>, name: string, allowed: readonly string[] = []): void {
  // "Fails": a problem (fail, warn) or lost certainty (unknown). An informational note (KD400 naming a
  // dump that now shares the root filesystem) is not a failure.
  const lost = [...before].filter(([id, s]) => s === 'pass' && ['fail', 'warn', 'unknown'].includes(after.get(id) ?? 'unknown') && !allowed.includes(id)).map(([id]) => `${id}: pass -> ${after.get(id)}`)
  expect(lost, `${name}: checks that passed before fix and no longer do`).toEqual([])
}

describe('fix on every image fixture: fix, check again, fix again, and the diff gives the same tree', () => {
  it('finds the image fixtures', () => {
    expect(images.length).toBeGreaterThanOrEqual(3)
  })

  it.each(images)('$name', async ({name, dir}) => {
    const base = path.join(work, name.replace(/\//g, '_'))
    const root = `${base}.root`
    const copy = `${base}.copy`
    materializeRoot(dir, root)
    materializeRoot(dir, copy)
    const expected = statuses(judgeSnapshot(await readSnapshot(dir)))
    const before = statuses(judgeSnapshot(await snapshotFromRoot(root)))
    expect(Object.fromEntries(before), `${name}: the laid-out root must read like the fixture`).toEqual(Object.fromEntries(expected))

    const first = await runFix({...FLAGS, root, diff: false})
    expect(withdrawn(first.plan), `${name}: edits the planner computed and then could not prove`).toEqual([])
    const claimed = first.plan.items.flatMap((i) => i.repairs)
    const after = statuses(judgeSnapshot(await snapshotFromRoot(root)))
    for (const id of claimed) expect(after.get(id), `${name}: ${id} was claimed repaired`).toBe('pass')
    noRegression(before, after, name)
    for (const r of first.recheck ?? []) expect(r.status, `${name}: fix's own re-check of ${r.id}`).toBe('pass')

    const second = await runFix({...FLAGS, root, diff: false})
    expect(second.plan.files.map((f) => f.path), `${name}: a second fix edits nothing`).toEqual([])
    expect(second.plan.links, `${name}: a second fix links nothing`).toEqual([])
    expect(second.exitCode).toBe(second.plan.people.length > 0 ? 3 : 0)

    const proposed = await runFix({...FLAGS, root: copy, diff: true})
    const diff = planDiff(proposed.plan)
    if (diff !== '') patch(copy, diff)
    expect(treeOf(copy), `${name}: patch -p1 of --diff and fix itself give the same tree`).toEqual(treeOf(root))
  })
})

describe('fix --diff on every live snapshot: patched evidence judged again, as collected and as the next boot', () => {
  it.each(live)('$name', async ({name, dir}) => {
    const snapshot = await readSnapshot(dir)
    const before = statuses(judgeSnapshot(snapshot))
    // Every id named, so that informational findings (KD503, fixed only when asked for) are covered too.
    const {plan} = planFixes(snapshot, {only: [...FIXABLE]})
    expect(withdrawn(plan), `${name}: edits the planner computed and then could not prove`).toEqual([])
    const diff = planDiff(plan)
    const copy = path.join(work, `${name.replace(/\//g, '_')}.snapshot`)
    cpSync(dir, copy, {recursive: true})
    if (diff !== '') patch(path.join(copy, 'files'), diff)
    const patched = await readSnapshot(copy)
    for (const f of plan.files) expect(patched.file(f.path)?.text, `${name}: ${f.path} after patch -p1`).toBe(f.after)

    const now = statuses(judgeSnapshot(patched))
    for (const id of plan.items.flatMap((i) => i.repairs)) expect(now.get(id), `${name}: ${id} claimed repaired`).toBe('pass')
    // As collected, only KD106 may change: it is the check that says a reboot is pending.
    const reboot = plan.items.some((i) => i.activation.some((a) => a.reboot))
    noRegression(before, now, name, reboot ? ['KD106'] : [])
    // The simulated next boot, compared with the same simulation of the unchanged host (same blind spots).
    const empty = {...plan, files: [], links: [], items: []}
    const baseline = statuses(judgeSnapshot(afterActivation(snapshot, empty)))
    const later = statuses(judgeSnapshot(afterActivation(patched, {...plan, files: [], links: []})))
    for (const id of plan.items.flatMap((i) => i.repairsAfterActivation)) expect(later.get(id), `${name}: ${id} claimed repaired after activation`).toBe('pass')
    noRegression(baseline, later, `${name} (simulated next boot)`)

    const again = planFixes(patched, {only: [...FIXABLE]}).plan
    expect(again.files.map((f) => f.path), `${name}: fix on the patched evidence proposes no further edit`).toEqual([])
  })
})
