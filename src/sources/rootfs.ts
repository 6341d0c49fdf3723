/**
 * The image source (`--root`): a `kind: static` snapshot of a root filesystem, a directory or a
 * rootfs tarball (`docker export`, `.tar`, `.tar.gz`), as the booted host would see it.
 *
 * Every path and every symlink resolves INSIDE the image (rootfs/tree.ts): `/etc/kdump.conf ->
 * /etc/shadow` reads the image's /etc/shadow, never this machine's; `..` stops at the image's root;
 * a loop (more than 40 links) is an error for that file, recorded in `errors`. Only regular files
 * are opened, and each is read up to FILE_CAP_BYTES, so a FIFO cannot hang the scan and a 5 GB
 * sparse file costs the cap. No probe can run in an image: the source writes the two listings a
 * live host would produce, `ls-boot` and `ls-services`, itself (rootfs/ls.ts).
 */
import {stat} from 'node:fs/promises'
import {InputError} from '../errors.js'
import {SNAPSHOT_FORMAT, Snapshot, type ProbeResult, type SnapshotFile, type SnapshotMeta} from '../snapshot/snapshot.js'
import {filesFor, IMAGE_INTERNAL_FILES, probe as specProbe} from '../snapshot/spec.js'
import {compileGlob, hasGlobMagic} from '../util/glob.js'
import {VERSION} from '../version.js'
import {openArchiveTree} from './rootfs/archive-tree.js'
import {describeType, openDirectoryTree} from './rootfs/directory-tree.js'
import {emulateLs} from './rootfs/ls.js'
import {components, expandGlob, lookup, STRERROR, strerror, TreeError, treeErrorOf, type ImageTree} from './rootfs/tree.js'
import {FILE_CAP_BYTES, TOTAL_CAP_BYTES} from './snapshot-reader.js'

/**
 * The evidence files an image can hold: the `static` items of the evidence spec (snapshot/spec.ts).
 * Patterns expand inside the image, sorted.
 */
export const IMAGE_FILES: readonly string[] = filesFor('static')

/** Read for the snapshot's own use (hostname, owner names in ls-services), not stored as evidence. */
const INTERNAL_FILES = IMAGE_INTERNAL_FILES

/** The operands of the two listings the image reader writes itself, as the spec's probes run them. */
export const LS_BOOT_OPERANDS = specProbe('ls-boot').argv.slice(2)
export const LS_SERVICES_WANTS = specProbe('ls-services').argv[2]!
export const LS_SERVICES_RC = specProbe('ls-services').argv.slice(3)

export interface RootOptions {
  /** The collection time (`collected_at`, and "now" for ls's six-month rule). Default: now. */
  now?: Date
}

/** A static snapshot of the root filesystem in directory `root`. */
export async function snapshotFromRoot(root: string, options: RootOptions = {}): Promise<Snapshot> {
  const info = await stat(root).catch(() => undefined)
  if (!info?.isDirectory()) throw new InputError(`${root}: not a directory (expected the root of an image)`)
  let tree: ImageTree
  try {
    tree = await openDirectoryTree(root)
  } catch (error) {
    throw new InputError(`${root}: cannot open the image: ${treeErrorOf(error).message}`)
  }
  try {
    return await snapshotFromTree(tree, root, options)
  } finally {
    await tree.close()
  }
}

/**
 * A static snapshot of a rootfs tarball (`docker export`, `tar -C rootfs -cf - .`), gzip'd or not,
 * read in memory and never extracted (rootfs/archive-tree.ts says why).
 */
export async function snapshotFromRootArchive(file: string, options: RootOptions = {}): Promise<Snapshot> {
  const info = await stat(file).catch(() => undefined)
  if (!info?.isFile()) throw new InputError(`${file}: not a file (expected a rootfs tarball: .tar or .tar.gz)`)
  const problems: string[] = []
  const keep = keepPattern([...IMAGE_FILES, ...INTERNAL_FILES, '/usr/lib/os-release'])
  const tree = await openArchiveTree(file, {keep: (p) => keep.test(p), fileCap: FILE_CAP_BYTES, totalCap: TOTAL_CAP_BYTES, problems})
  return snapshotFromTree(tree, file, {...options, problems, prefetch: (paths) => tree.prefetch(paths)})
}

interface TreeSnapshotOptions extends RootOptions {
  /** Problems found before the walk (skipped archive members). */
  problems?: string[]
  /** Loads the content of these canonical paths before they are read (an archive's second pass). */
  prefetch?: (paths: string[]) => Promise<void>
}

interface Planned {
  /** The path as the host names it: the key in `files/`. */
  hostPath: string
  /** Where it resolved inside the image. */
  canonical: string
}

/** The snapshot of any image tree: the files, the two listings, the metadata. */
export async function snapshotFromTree(tree: ImageTree, origin: string, options: TreeSnapshotOptions = {}): Promise<Snapshot> {
  // ls compares with the clock as it reads (a file written a moment ago is recent, not in the future);
  // collected_at is that moment to the second.
  const now = options.now ?? new Date()
  const errors: string[] = [...(options.problems ?? [])]

  const evidencePaths: string[] = []
  for (const pattern of IMAGE_FILES) {
    if (!hasGlobMagic(pattern)) {
      evidencePaths.push(pattern)
      continue
    }
    const {paths, truncated, unreadable} = await expandGlob(tree, pattern)
    if (truncated) errors.push(`${pattern}: too many matches, only the first ${paths.length} were read`)
    // An unreadable directory hides its matches: named in errors, so that what it may hold is unknown, not absent.
    for (const u of unreadable) errors.push(`${u.path}: could not be read: ${strerror(u.code)}`)
    evidencePaths.push(...paths)
  }

  // Plan first (where each path resolves, what it is), so that an archive loads what it lacks in one pass.
  const plan: Planned[] = []
  for (const hostPath of [...evidencePaths, ...INTERNAL_FILES]) {
    const found = await lookup(tree, hostPath, true)
    if (!found.ok) {
      if (found.code === 'ELOOP') errors.push(`${hostPath}: a symlink loop or a chain of more than 40 symlinks, not read`)
      else if (found.code === 'ENOENT' || found.code === 'ENOTDIR') {
        // Only a dangling link AT the path is worth an error (as the collector reports it); a missing file
        // under a linked directory (/lib -> usr/lib on a merged-/usr image) is simply absent.
        if (found.links > 0 && (await isSymlink(tree, hostPath))) errors.push(`${hostPath}: a symlink that does not resolve inside the image (${found.at}: ${strerror(found.code)}), not read`)
      } else errors.push(`${hostPath}: could not be read: ${strerror(found.code)}`)
      continue
    }
    await found.release()
    const via = found.path === hostPath ? '' : `resolves to ${found.path}, `
    if (found.info.type !== 'file') {
      errors.push(`${hostPath}: ${via}${describeType(found.info.type)}, not a regular file, not read`)
      continue
    }
    plan.push({hostPath, canonical: found.path})
  }
  await options.prefetch?.(plan.map((p) => p.canonical))

  const files = new Map<string, SnapshotFile>()
  const internal = new Map<string, string>()
  let total = 0
  for (const {hostPath} of plan) {
    const found = await lookup(tree, hostPath, true)
    if (!found.ok) {
      errors.push(`${hostPath}: could not be read: ${strerror(found.code)}`)
      continue
    }
    try {
      if (found.parent === null || found.info.type !== 'file') throw new TreeError('ECHANGED', 'it changed while being read')
      if (total >= TOTAL_CAP_BYTES) {
        errors.push(`${hostPath}: not read: the evidence from this image already fills ${TOTAL_CAP_BYTES / 1048576} MiB`)
        continue
      }
      const {bytes, size} = await tree.read(found.parent, found.name, FILE_CAP_BYTES)
      total += bytes.length
      const truncated = size > FILE_CAP_BYTES
      if (truncated) errors.push(`${hostPath}: larger than ${FILE_CAP_BYTES} bytes, only the first ${FILE_CAP_BYTES} bytes were kept`)
      const text = bytes.toString('utf8')
      if ((INTERNAL_FILES as readonly string[]).includes(hostPath)) internal.set(hostPath, text)
      else files.set(hostPath, {path: hostPath, text, truncated})
    } catch (error) {
      const e = treeErrorOf(error)
      // An errno has its C library text; this source's own refusals (ENOTREG, EUNREADABLE, ...) say more in their message.
      errors.push(`${hostPath}: could not be read: ${e.code in STRERROR ? strerror(e.code) : e.message}`)
    } finally {
      await found.release()
    }
  }

  const probes = new Map<string, ProbeResult>()
  const lsBoot = await emulateLs(tree, LS_BOOT_OPERANDS, {numeric: true, now})
  probes.set('ls-boot', {name: 'ls-boot', out: lsBoot.out, err: lsBoot.err, exit: {kind: 'exited', code: lsBoot.exit}})
  errors.push(...lsBoot.problems)
  const wants = await expandGlob(tree, LS_SERVICES_WANTS)
  for (const u of wants.unreadable) errors.push(`${u.path}: could not be read: ${strerror(u.code)}`)
  const serviceOperands = [...(wants.paths.length > 0 ? wants.paths : [LS_SERVICES_WANTS]), ...LS_SERVICES_RC]
  const lsServices = await emulateLs(tree, serviceOperands, {
    numeric: false,
    now,
    users: idNames(internal.get('/etc/passwd')),
    groups: idNames(internal.get('/etc/group')),
  })
  probes.set('ls-services', {name: 'ls-services', out: lsServices.out, err: lsServices.err, exit: {kind: 'exited', code: lsServices.exit}})
  errors.push(...lsServices.problems)

  const meta: SnapshotMeta = {
    format: SNAPSHOT_FORMAT,
    hostname: hostnameOf(internal.get('/etc/hostname')),
    collected_at: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    kind: 'static',
    collector: `kdumpcheck ${VERSION} (--root)`,
    errors: [...new Set(errors)],
  }
  return new Snapshot(meta, files, probes, origin)
}

/** `name:x:id:...` lines (passwd, group) as id -> name; the first entry for an id wins, as getpwuid(3) answers from files. */
export function idNames(text: string | undefined): Map<number, string> {
  const names = new Map<number, string>()
  for (const line of (text ?? '').split('\n')) {
    const fields = line.split(':')
    const name = fields[0] ?? ''
    const id = fields[2] ?? ''
    if (name === '' || /^[+-]/.test(name) || !/^\d+$/.test(id)) continue
    const n = Number(id)
    if (!names.has(n)) names.set(n, name)
  }
  return names
}

function hostnameOf(text: string | undefined): string {
  const line = (text ?? '').split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#')) ?? ''
  return /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(line) ? line : ''
}

/** Whether a canonical path is one of the patterns' (a `*` never crosses a `/`): the same matcher as the walk. */
function keepPattern(patterns: readonly string[]): {test(path: string): boolean} {
  const compiled = patterns.map((p) => components(p).map((c) => compileGlob(c, {period: true})))
  return {
    test(p: string): boolean {
      const parts = components(p)
      return compiled.some((globs) => globs.length === parts.length && globs.every((g, i) => g.test(parts[i]!)))
    },
  }
}

/** The path itself (its directories followed) is a symbolic link. */
async function isSymlink(tree: ImageTree, hostPath: string): Promise<boolean> {
  const found = await lookup(tree, hostPath, false)
  if (!found.ok) return false
  await found.release()
  return found.info.type === 'symlink'
}
