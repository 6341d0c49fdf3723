/**
 * `kdumpcheck fix` end to end: read the evidence (an image, a snapshot, a host), plan, then either
 * apply the plan inside the image and judge the image again, or hand out the plan (report, diff,
 * script). A live host is never written to.
 */
import {stat} from 'node:fs/promises'
import {InputError} from '../errors.js'
import {judgeSnapshot} from '../pipeline.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {acquire} from '../sources/acquire.js'
import {FILE_CAP_BYTES, TOTAL_CAP_BYTES} from '../sources/snapshot-reader.js'
import {snapshotFromRoot, snapshotFromRootArchive} from '../sources/rootfs.js'
import {openArchiveTree} from '../sources/rootfs/archive-tree.js'
import {openDirectoryTree} from '../sources/rootfs/directory-tree.js'
import {lookup, type ImageTree} from '../sources/rootfs/tree.js'
import type {SourceFlagValues} from '../cli/source-flags.js'
import type {Config} from '../config/config.js'
import {writeRepairedArchive} from './apply-tar.js'
import {openRootWriter, WriteRefused} from './io/confined-write.js'
import {EXTRA_FILES, FIXABLE, planFixes} from './planner.js'
import type {FixOutcome} from './render.js'
import {planExitCode} from './types.js'
import {updateGrubLines, type UpdateGrubLines} from './update-grub.js'
import {parseFstab} from '../parsers/mounts.js'

export interface FixOptions extends SourceFlagValues {
  diff: boolean
  only?: string[]
  /** With a tarball --root: where the repaired tarball goes. */
  archiveOut?: string
  /** The site configuration (waivers, policy): a waived finding is not fixed. */
  config?: Config
}

export async function readExtraFiles(tree: ImageTree, paths: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>()
  for (const path of paths) {
    const found = await lookup(tree, path, true)
    if (!found.ok) continue
    try {
      if (found.parent === null || found.info.type !== 'file') continue
      const {bytes, size} = await tree.read(found.parent, found.name, FILE_CAP_BYTES)
      if (size <= FILE_CAP_BYTES) out.set(path, bytes.toString('utf8'))
    } catch {
      // Unreadable: as if absent (the fixer then says what it assumed).
    } finally {
      await found.release()
    }
  }
  return out
}

/** `/`, or a directory that is the running system's root under another name (a bind mount). */
async function isLiveRoot(dir: string): Promise<boolean> {
  const [a, b] = await Promise.all([stat(dir), stat('/')])
  return a.dev === b.dev && a.ino === b.ino
}

export function checkOnly(only: string[] | undefined): string[] | undefined {
  if (!only) return undefined
  const ids = only.flatMap((o) => o.split(',')).map((s) => s.trim().toUpperCase()).filter(Boolean)
  if (ids.length === 0) throw new InputError('--only: give check ids, e.g. --only KD101,KD500')
  const known = new Set<string>(FIXABLE)
  const bad = ids.filter((id) => !known.has(id))
  if (bad.length > 0) throw new InputError(`--only: ${bad.map((b) => JSON.stringify(b)).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not a check fix repairs (${FIXABLE.join(', ')})`)
  return [...new Set(ids)]
}

export async function runFix(options: FixOptions): Promise<FixOutcome> {
  const only = checkOnly(options.only)
  if (options.root !== undefined) return fixRoot(options.root, options, only)
  if (options.archiveOut) throw new InputError('-o names the repaired tarball, which only a tarball --root has; with --diff it takes the diff')
  const {snapshot, warnings} = await acquire(options)
  for (const w of warnings) process.stderr.write(`kdumpcheck: warning: ${w}\n`)
  const {plan} = planFixes(snapshot, {...(only ? {only} : {}), ...(options.config ? {config: options.config} : {})})
  const pending = snapshot.kind === 'runtime' && plan.items.some((i) => i.activation.length > 0)
  return {origin: snapshot.origin, kind: snapshot.kind, mode: 'proposed', plan, exitCode: planExitCode(plan, pending)}
}

async function fixRoot(root: string, options: FixOptions, only: string[] | undefined): Promise<FixOutcome> {
  if (root.trim() === '') throw new InputError('--root: empty path')
  const info = await stat(root).catch(() => undefined)
  if (!info) throw new InputError(`${root}: no such root filesystem (expected a directory or a rootfs tarball)`)
  if (info.isDirectory()) {
    if (options.archiveOut) throw new InputError(`-o: ${root} is a directory, edited in place; -o names the repaired copy of a tarball --root, or the file for --diff/--script`)
    if (!options.diff && (await isLiveRoot(root))) {
      throw new InputError(`${root} is the running system's own root: kdumpcheck fix never edits a live host. Use --diff (and review, then apply it yourself)`)
    }
    const snapshot = await snapshotFromRoot(root)
    const tree = await openDirectoryTree(root)
    const extra = await readExtraFiles(tree, EXTRA_FILES).finally(() => tree.close())
    const {plan} = planFixes(snapshot, {...(only ? {only} : {}), extraFiles: extra, ...(options.config ? {config: options.config} : {})})
    if (options.diff) return {origin: root, kind: 'static', mode: 'proposed', plan, exitCode: planExitCode(plan, false)}
    const written = await applyToDirectory(root, plan)
    const recheck = recheckOf(await snapshotFromRoot(root), plan)
    return {origin: root, kind: 'static', mode: 'applied', plan, recheck, written, exitCode: planExitCode(plan, false)}
  }
  if (!info.isFile()) throw new InputError(`${root}: not a directory or a regular file`)
  const snapshot = await snapshotFromRootArchive(root)
  const problems: string[] = []
  const keep = new Set(EXTRA_FILES)
  const tree = await openArchiveTree(root, {keep: (p) => keep.has(p), fileCap: FILE_CAP_BYTES, totalCap: TOTAL_CAP_BYTES, problems})
  await tree.prefetch([...EXTRA_FILES])
  const extra = await readExtraFiles(tree, EXTRA_FILES)
  const {plan} = planFixes(snapshot, {...(only ? {only} : {}), extraFiles: extra, ...(options.config ? {config: options.config} : {})})
  if (options.diff) return {origin: root, kind: 'static', mode: 'proposed', plan, exitCode: planExitCode(plan, false)}
  if (!options.archiveOut) throw new InputError(`${root} is a tarball, which fix does not edit in place: give -o FILE for the repaired tarball, or use --diff`)
  const written = await writeRepairedArchive(root, options.archiveOut, plan, tree)
  // -o a FIFO, a pipe or a device (/dev/stdout | tar t) took the tarball as a stream: there is nothing to read back.
  const regular = (await stat(options.archiveOut).catch(() => undefined))?.isFile() === true
  if (!regular) {
    const notes = [...plan.notes, `${options.archiveOut} is not a regular file (the tarball was streamed into it): not judged again; run kdumpcheck check --root on a saved copy`]
    return {origin: root, kind: 'static', mode: 'applied', plan: {...plan, notes}, written, output: options.archiveOut, exitCode: planExitCode(plan, false)}
  }
  const recheck = recheckOf(await snapshotFromRootArchive(options.archiveOut), plan)
  return {origin: root, kind: 'static', mode: 'applied', plan, recheck, written, output: options.archiveOut, exitCode: planExitCode(plan, false)}
}

async function applyToDirectory(root: string, plan: FixOutcome['plan']): Promise<Array<{path: string; resolved: string}>> {
  if (plan.files.length === 0 && plan.links.length === 0) return []
  let writer
  try {
    writer = await openRootWriter(root)
  } catch (error) {
    throw new InputError(`${root}: cannot write into the image: ${error instanceof Error ? error.message : String(error)}`)
  }
  const written: Array<{path: string; resolved: string}> = []
  try {
    // Every path is resolved before anything is written: one that cannot be stops the run with the image untouched.
    for (const f of plan.files) {
      const where = await writer.resolve(f.path)
      if (f.before !== undefined && !where.exists) throw new WriteRefused(`${f.path}: no longer in the image; nothing written`)
      if (f.before === undefined && where.exists) throw new WriteRefused(`${f.path}: exists now (it did not when the image was read); nothing written`)
    }
    for (const l of plan.links) await writer.resolve(l.path.slice(0, l.path.lastIndexOf('/')) + '/.kdumpcheck-probe').catch((error: unknown) => {
      throw error instanceof WriteRefused ? new WriteRefused(error.message.replace('/.kdumpcheck-probe', '')) : error
    })
    for (const f of plan.files) {
      const resolved = await writer.replaceFile(f.path, f.before === undefined ? undefined : Buffer.from(f.before, 'utf8'), Buffer.from(f.after, 'utf8'))
      written.push({path: f.path, resolved})
    }
    for (const l of plan.links) written.push({path: l.path, resolved: await writer.createSymlink(l.path, l.target)})
  } catch (error) {
    const done = written.length > 0 ? ` (already written: ${written.map((w) => w.path).join(', ')})` : ''
    if (error instanceof WriteRefused) throw new InputError(`${error.message}${done}`)
    throw new InputError(`${root}: writing failed: ${error instanceof Error ? error.message : String(error)}${done}`)
  } finally {
    await writer.close()
  }
  return written
}

/** The repaired image judged again: the status of every check an item claimed. */
function recheckOf(after: Snapshot, plan: FixOutcome['plan']): Array<{id: string; status: string}> {
  const report = judgeSnapshot(after)
  const ids = [...new Set(plan.items.flatMap((i) => i.repairs))]
  return ids.map((id) => ({id, status: report.findings.find((f) => f.id === id)?.status ?? 'missing'}))
}

/**
 * What Debian's update-grub would put on the Xen and dom0 lines of the default Xen entry, from an
 * image's /etc/default/grub and grub.d drop-ins (update-grub.ts), with root= from its /etc/fstab. The
 * lab boots its FIXED scenario with these lines (`kdumpcheck fix --root DIR --boot-lines`).
 */
export async function bootLinesOfRoot(root: string, options: {efi?: boolean} = {}): Promise<UpdateGrubLines & {files: string[]}> {
  const info = await stat(root).catch(() => undefined)
  if (!info) throw new InputError(`${root}: no such root filesystem`)
  const snapshot = info.isDirectory() ? await snapshotFromRoot(root) : await snapshotFromRootArchive(root)
  const main = snapshot.file('/etc/default/grub')
  if (!main) throw new InputError(`${root}: the image has no readable /etc/default/grub`)
  const files = [main, ...snapshot.filesMatching(/^\/etc\/default\/grub\.d\/[^/]+\.cfg$/)].map((f) => ({path: f.path, text: f.text}))
  const fstab = snapshot.file('/etc/fstab')
  const table = fstab ? parseFstab(fstab.text) : undefined
  const rootDevice = table?.ok ? table.value.entries.find((e) => e.mountpoint === '/')?.spec : undefined
  return {...updateGrubLines(files, {...(rootDevice ? {rootDevice} : {}), ...(options.efi ? {efi: true} : {})}), files: files.map((f) => f.path)}
}
