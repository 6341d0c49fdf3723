/**
 * An image's file tree, seen from inside: the interface a root filesystem directory and a rootfs
 * tarball both implement, and the one resolver every lookup goes through.
 *
 * Confinement is structural. A tree answers questions about one NAME inside a directory it handed
 * out (`lstat(dir, 'kdump.conf')`), never about a path; the resolver below walks a host path one
 * component at a time and interprets every symlink itself, as the booted image's kernel would:
 * an absolute target restarts at the image's root, `..` at the root stays at the root, more than
 * 40 links (the kernel's MAXSYMLINKS) is a loop. No path the image controls ever reaches the
 * machine's own resolver, so nothing can climb out.
 */

import {compileGlob, hasGlobMagic, type Glob} from '../../util/glob.js'

export type NodeType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket' | 'other'

export interface NodeInfo {
  type: NodeType
  /** st_mode: type bits and the 12 permission bits. */
  mode: number
  nlink: number
  uid: number
  gid: number
  /** Bytes (for a symlink: its target's length). */
  size: number
  /** Allocated 512-byte blocks (st_blocks), for `ls`'s `total`. */
  blocks: number
  /** Modification time in nanoseconds since the epoch. */
  mtimeNs: bigint
  /** Device numbers of a character or block device. */
  rdevMajor: number
  rdevMinor: number
}

/** A directory the tree handed out; opaque to everyone but the tree. */
export interface TreeDir {
  readonly brand: 'TreeDir'
}

export interface ReadResult {
  bytes: Buffer
  /** The file's full size: larger than `bytes` when the cap cut it. */
  size: number
}

/** Thrown by trees for a failure that has an errno-like code: ENOENT, ENOTDIR, ELOOP, EACCES, ... */
export class TreeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'TreeError'
  }
}

export interface ImageTree {
  readonly root: TreeDir
  /** How lookups are confined, for diagnosis: `fd` (directory handles), `paths` (checked paths), `memory` (an archive). */
  readonly confinement: 'fd' | 'paths' | 'memory'
  /** The root directory's own status. */
  rootInfo(): Promise<NodeInfo>
  /** The entry NAME in DIR, not following a symlink; undefined when absent. */
  lstat(dir: TreeDir, name: string): Promise<NodeInfo | undefined>
  readlink(dir: TreeDir, name: string): Promise<string>
  /** Enters the directory NAME in DIR (never through a symlink). Release it when done. */
  descend(dir: TreeDir, name: string): Promise<TreeDir>
  release(dir: TreeDir): Promise<void>
  /** The names in DIR, without `.` and `..`, unsorted, at most `limit` of them. */
  list(dir: TreeDir, limit: number): Promise<{names: string[]; more: boolean}>
  /**
   * The head of the regular file NAME in DIR, at most `cap` bytes. Only a regular file is ever
   * opened: a FIFO, socket or device makes it throw ENOTREG without opening it.
   */
  read(dir: TreeDir, name: string, cap: number): Promise<ReadResult>
  close(): Promise<void>
}

/** Linux's MAXSYMLINKS: the 41st link in one lookup is a loop (ELOOP). */
export const MAX_SYMLINKS = 40

export const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EIO: 'Input/output error',
  ENAMETOOLONG: 'File name too long',
}

export function strerror(code: string): string {
  return STRERROR[code] ?? code
}

export function treeErrorOf(error: unknown): TreeError {
  if (error instanceof TreeError) return error
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return new TreeError(typeof code === 'string' ? code : 'EIO', error instanceof Error ? error.message : String(error))
}

/** What a host path names inside the image. */
export interface Located {
  /** The directory holding it, or null for the image's root itself. */
  parent: TreeDir | null
  name: string
  info: NodeInfo
  /** The canonical path inside the image after every symlink: `/usr/lib/os-release`. */
  path: string
  /** How many symlinks the lookup followed. */
  links: number
  /** Releases the directories the lookup holds (parent among them). */
  release(): Promise<void>
}

export type Lookup =
  | ({ok: true} & Located)
  | {
      ok: false
      code: string
      /** The canonical path where the lookup stopped, for messages. */
      at: string
      links: number
    }

/**
 * Resolves `hostPath` inside the image as its kernel would (path_lookupat under a chroot).
 * `follow`: whether a symlink in the LAST component is followed too (stat vs lstat).
 */
export async function lookup(tree: ImageTree, hostPath: string, follow: boolean): Promise<Lookup> {
  const stack: {name: string; dir: TreeDir}[] = []
  const here = (): TreeDir => stack[stack.length - 1]?.dir ?? tree.root
  const canonical = (name?: string): string => `/${[...stack.map((s) => s.name), ...(name === undefined ? [] : [name])].join('/')}`
  const releaseAll = async (): Promise<void> => {
    while (stack.length > 0) await tree.release(stack.pop()!.dir)
  }
  const todo = components(hostPath)
  let links = 0
  const fail = async (code: string, name?: string): Promise<Lookup> => {
    const at = canonical(name)
    await releaseAll()
    return {ok: false, code, at, links}
  }
  // The component being looked up when a tree call throws: the error is about it, not its parent.
  let current: string | undefined
  try {
    while (todo.length > 0) {
      const name = todo.shift()!
      current = name
      if (name === '.') continue
      if (name === '..') {
        // The kernel's `..` is the physical parent; at the root it is the root (a chroot's rule).
        const top = stack.pop()
        if (top) await tree.release(top.dir)
        continue
      }
      const info = await tree.lstat(here(), name)
      if (info === undefined) return await fail('ENOENT', name)
      const last = todo.length === 0
      if (info.type === 'symlink' && (!last || follow)) {
        if (++links > MAX_SYMLINKS) return await fail('ELOOP', name)
        const target = await tree.readlink(here(), name)
        if (target === '') return await fail('ENOENT', name)
        if (target.startsWith('/')) await releaseAll()
        todo.unshift(...components(target))
        continue
      }
      if (last) return located(here(), name, info, canonical(name), links, releaseAll)
      if (info.type !== 'dir') return await fail('ENOTDIR', name)
      const dir = await tree.descend(here(), name)
      stack.push({name, dir})
      current = undefined
    }
    // The walk ended on a directory it had entered (`/`, or a path ending in `..` or a link to a directory).
    const top = stack.pop()
    if (!top) return located(null, '', await tree.rootInfo(), '/', links, releaseAll)
    await tree.release(top.dir)
    const info = await tree.lstat(here(), top.name)
    if (info === undefined) return await fail('ENOENT', top.name)
    return located(here(), top.name, info, canonical(top.name), links, releaseAll)
  } catch (error) {
    return await fail(treeErrorOf(error).code, current === '.' || current === '..' ? undefined : current)
  }
}

function located(
  parent: TreeDir | null,
  name: string,
  info: NodeInfo,
  path: string,
  links: number,
  release: () => Promise<void>,
): Lookup {
  return {ok: true, parent, name, info, path, links, release}
}

/** A path's components; empty ones (`//`, a leading or trailing `/`) dropped. */
export function components(p: string): string[] {
  return p.split('/').filter((c) => c !== '')
}

/** Enters the directory a successful lookup located (the root itself needs no entering). */
export async function enter(tree: ImageTree, found: Located): Promise<{dir: TreeDir; release(): Promise<void>}> {
  if (found.parent === null) return {dir: tree.root, release: found.release}
  const dir = await tree.descend(found.parent, found.name)
  return {
    dir,
    release: async () => {
      await tree.release(dir)
      await found.release()
    },
  }
}

/** Byte order of the names' UTF-8, like `LC_ALL=C` (strcmp). */
export function compareC(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** fnmatch(3) with FNM_PERIOD for one component (`*`, `?`, `[...]`): the project's one matcher, src/util/glob.ts. */
export function globComponent(pattern: string): Glob {
  return compileGlob(pattern, {period: true})
}

export const GLOB_MATCH_LIMIT = 4096

/**
 * Expands an absolute pattern inside the image as `sh` would (`/boot/efi/EFI/*\/grub.cfg`): matches
 * sorted in C order, directories entered through symlinks, a last component matched by name
 * whether or not it resolves (like the shell, which lists names). No match, no result.
 */
export interface GlobExpansion {
  paths: string[]
  truncated: boolean
  /**
   * Directories the expansion could not read or enter (EACCES, EIO, a loop), canonical path first:
   * the shell would silently match nothing there, but what they hold is unknown, not absent.
   */
  unreadable: {path: string; code: string}[]
}

export async function expandGlob(tree: ImageTree, pattern: string): Promise<GlobExpansion> {
  const parts = components(pattern)
  let prefixes = ['']
  let truncated = false
  const unreadable: {path: string; code: string}[] = []
  const note = (p: string, code: string): void => {
    // Absence is an answer; anything else hides what is there.
    if (code === 'ENOENT' || code === 'ENOTDIR') return
    if (!unreadable.some((u) => u.path === p)) unreadable.push({path: p, code})
  }
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!
    const last = i === parts.length - 1
    const next: string[] = []
    if (!hasGlobMagic(part)) {
      for (const prefix of prefixes) {
        const candidate = `${prefix}/${part}`
        if (!last) next.push(candidate)
        else {
          const found = await lookup(tree, candidate, false)
          if (found.ok) {
            next.push(candidate)
            await found.release()
          } else note(found.at, found.code)
        }
      }
    } else {
      const glob = globComponent(part)
      for (const prefix of prefixes) {
        const found = await lookup(tree, prefix === '' ? '/' : prefix, true)
        if (!found.ok) {
          note(found.at, found.code)
          continue
        }
        if (found.info.type !== 'dir') {
          await found.release()
          continue
        }
        const entered = await enter(tree, found).catch(async (error: unknown) => {
          note(found.path, treeErrorOf(error).code)
          await found.release()
          return undefined
        })
        if (!entered) continue
        try {
          const listed = await tree.list(entered.dir, GLOB_MATCH_LIMIT * 4)
          truncated ||= listed.more
          for (const name of listed.names.filter((n) => glob.test(n)).sort(compareC)) next.push(`${prefix}/${name}`)
        } catch (error) {
          // The shell would match nothing here; the snapshot must say that the directory could not be read.
          note(found.path, treeErrorOf(error).code)
        } finally {
          await entered.release()
        }
      }
    }
    prefixes = next
    if (prefixes.length > GLOB_MATCH_LIMIT) {
      prefixes = prefixes.slice(0, GLOB_MATCH_LIMIT)
      truncated = true
    }
    if (prefixes.length === 0) break
  }
  // Intermediate literal components were not checked on the way: keep only what exists.
  const paths: string[] = []
  for (const p of prefixes) {
    const found = await lookup(tree, p, false)
    if (found.ok) {
      paths.push(p)
      await found.release()
    } else note(found.at, found.code)
  }
  return {paths, truncated, unreadable}
}
