/**
 * An image unpacked in a directory, read without ever letting the machine's resolver follow a path
 * the image controls.
 *
 * On Linux every directory the resolver enters is held open (O_DIRECTORY | O_NOFOLLOW) and every
 * name is looked up RELATIVE TO THAT HANDLE through `/proc/self/fd/N/name`: the kernel follows the
 * magic link to the very directory the handle holds, then looks up one plain name in it. That is
 * openat(2), which Node does not expose, and it makes the walk immune to a directory being swapped
 * for a symlink while we read (TOCTOU): a handle keeps pointing at the directory that was checked.
 * A file is opened with O_PATH | O_NOFOLLOW (which opens nothing: no FIFO blocks, no device driver
 * runs), fstat'ed, and only a regular file is then re-opened for reading through its own handle.
 *
 * Without /proc (not Linux) the tree falls back to checked paths under the real root: the same
 * rules, the last component opened O_NOFOLLOW | O_NONBLOCK and fstat'ed before reading, but a
 * concurrent writer racing an intermediate directory is not excluded there. Images are read at rest.
 */
import {readHead} from '../capped-read.js'
import {constants, type BigIntStats} from 'node:fs'
import {lstat, open, opendir, readlink, realpath, type FileHandle} from 'node:fs/promises'
import {TreeError, treeErrorOf, type ImageTree, type NodeInfo, type NodeType, type ReadResult, type TreeDir} from './tree.js'

/** O_PATH from <asm-generic/fcntl.h> (Linux; Node does not export it). */
const O_PATH = 0o10000000
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
const O_DIRECTORY = constants.O_DIRECTORY ?? 0
const O_NONBLOCK = constants.O_NONBLOCK ?? 0
const O_NOCTTY = constants.O_NOCTTY ?? 0

interface Dir extends TreeDir {
  /** A path the machine can use for this directory: `/proc/self/fd/17` or `<root>/etc`. */
  fsPath: string
  handle?: FileHandle
}

export interface DirectoryTreeOptions {
  /** Use /proc/self/fd when it works (default); false forces the path fallback (tests, diagnosis). */
  viaProc?: boolean
}

export async function openDirectoryTree(root: string, options: DirectoryTreeOptions = {}): Promise<ImageTree> {
  // The root itself is the caller's choice, not the image's: resolving it with realpath is fine.
  const realRoot = await realpath(root)
  let handle: FileHandle | undefined
  try {
    if (options.viaProc === false) throw new Error('path fallback requested')
    handle = await open(realRoot, constants.O_RDONLY | O_DIRECTORY)
    const viaProc = await lstat(`/proc/self/fd/${handle.fd}/.`, {bigint: true})
    const direct = await handle.stat({bigint: true})
    if (viaProc.ino !== direct.ino || viaProc.dev !== direct.dev) throw new Error('/proc/self/fd does not reach the handle')
  } catch {
    await handle?.close()
    handle = undefined
  }
  const tree = new DirectoryTree(realRoot, handle)
  if (handle) tree.canOpenPath = await probeOPath(handle)
  return tree
}

async function probeOPath(root: FileHandle): Promise<boolean> {
  if (process.platform !== 'linux') return false
  try {
    const probe = await open(`/proc/self/fd/${root.fd}/.`, O_PATH | O_DIRECTORY)
    try {
      return (await probe.stat()).isDirectory()
    } finally {
      await probe.close()
    }
  } catch {
    return false
  }
}

class DirectoryTree implements ImageTree {
  readonly root: Dir
  readonly confinement: 'fd' | 'paths'
  canOpenPath = false

  constructor(
    private readonly realRoot: string,
    private readonly rootHandle: FileHandle | undefined,
  ) {
    this.confinement = rootHandle ? 'fd' : 'paths'
    this.root = rootHandle
      ? {brand: 'TreeDir', fsPath: `/proc/self/fd/${rootHandle.fd}`, handle: rootHandle}
      : {brand: 'TreeDir', fsPath: realRoot}
  }

  private at(dir: TreeDir, name: string): string {
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new TreeError('EINVAL', `not a single file name: ${JSON.stringify(name)}`)
    }
    return `${(dir as Dir).fsPath}/${name}`
  }

  async rootInfo(): Promise<NodeInfo> {
    return toInfo(this.rootHandle ? await this.rootHandle.stat({bigint: true}) : await lstat(this.realRoot, {bigint: true}))
  }

  async lstat(dir: TreeDir, name: string): Promise<NodeInfo | undefined> {
    try {
      return toInfo(await lstat(this.at(dir, name), {bigint: true}))
    } catch (error) {
      const e = treeErrorOf(error)
      if (e.code === 'ENOENT') return undefined
      throw e
    }
  }

  async readlink(dir: TreeDir, name: string): Promise<string> {
    try {
      return await readlink(this.at(dir, name))
    } catch (error) {
      throw treeErrorOf(error)
    }
  }

  async descend(dir: TreeDir, name: string): Promise<TreeDir> {
    const at = this.at(dir, name)
    try {
      if (this.rootHandle) {
        // O_NOFOLLOW | O_DIRECTORY: a symlink swapped in fails (ELOOP), a file fails (ENOTDIR).
        const handle = await open(at, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        const d: Dir = {brand: 'TreeDir', fsPath: `/proc/self/fd/${handle.fd}`, handle}
        return d
      }
      const info = await lstat(at)
      if (info.isSymbolicLink()) throw new TreeError('ELOOP', `${name}: a symlink where a directory was checked`)
      if (!info.isDirectory()) throw new TreeError('ENOTDIR', `${name}: not a directory`)
      const d: Dir = {brand: 'TreeDir', fsPath: at}
      return d
    } catch (error) {
      throw treeErrorOf(error)
    }
  }

  async release(dir: TreeDir): Promise<void> {
    const d = dir as Dir
    if (d === this.root || !d.handle) return
    const handle = d.handle
    delete d.handle
    await handle.close().catch(() => undefined)
  }

  async list(dir: TreeDir, limit: number): Promise<{names: string[]; more: boolean}> {
    const names: string[] = []
    let more = false
    try {
      const handle = await opendir((dir as Dir).fsPath, {bufferSize: 256})
      try {
        for await (const entry of handle) {
          if (names.length >= limit) {
            more = true
            break
          }
          names.push(entry.name)
        }
      } finally {
        // Breaking out of the loop closes the Dir already; closing twice throws ERR_DIR_CLOSED.
        await handle.close().catch(() => undefined)
      }
    } catch (error) {
      throw treeErrorOf(error)
    }
    return {names, more}
  }

  async read(dir: TreeDir, name: string, cap: number): Promise<ReadResult> {
    const at = this.at(dir, name)
    let handle: FileHandle
    try {
      handle = this.canOpenPath ? await this.reopenRegular(at) : await this.openRegular(at)
    } catch (error) {
      throw treeErrorOf(error)
    }
    try {
      const info = await handle.stat({bigint: true})
      if (!info.isFile()) throw new TreeError('ENOTREG', `${name}: ${describeType(typeOf(info))}, not a regular file`)
      const size = Number(info.size)
      return {bytes: await readHead(handle, size, cap), size}
    } catch (error) {
      throw treeErrorOf(error)
    } finally {
      await handle.close().catch(() => undefined)
    }
  }

  /** O_PATH opens no file (no FIFO wait, no driver open); only a proven regular file is re-opened to read. */
  private async reopenRegular(at: string): Promise<FileHandle> {
    const pathHandle = await open(at, O_PATH | O_NOFOLLOW)
    try {
      const info = await pathHandle.stat({bigint: true})
      if (!info.isFile()) throw new TreeError('ENOTREG', `${describeType(typeOf(info))}, not a regular file`)
      return await open(`/proc/self/fd/${pathHandle.fd}`, constants.O_RDONLY | O_NOCTTY | O_NONBLOCK)
    } finally {
      await pathHandle.close().catch(() => undefined)
    }
  }

  /** Without O_PATH: O_NOFOLLOW refuses a symlink swapped in, O_NONBLOCK keeps a FIFO from blocking the open. */
  private async openRegular(at: string): Promise<FileHandle> {
    return await open(at, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
  }

  async close(): Promise<void> {
    await this.rootHandle?.close().catch(() => undefined)
  }
}

function typeOf(s: BigIntStats): NodeType {
  if (s.isFile()) return 'file'
  if (s.isDirectory()) return 'dir'
  if (s.isSymbolicLink()) return 'symlink'
  if (s.isCharacterDevice()) return 'char'
  if (s.isBlockDevice()) return 'block'
  if (s.isFIFO()) return 'fifo'
  if (s.isSocket()) return 'socket'
  return 'other'
}

export function describeType(type: NodeType): string {
  switch (type) {
    case 'file':
      return 'a regular file'
    case 'dir':
      return 'a directory'
    case 'symlink':
      return 'a symlink'
    case 'char':
      return 'a character device'
    case 'block':
      return 'a block device'
    case 'fifo':
      return 'a FIFO'
    case 'socket':
      return 'a socket'
    default:
      return 'a special file'
  }
}

function toInfo(s: BigIntStats): NodeInfo {
  const rdev = s.rdev
  // glibc's gnu_dev_major/minor.
  const major = Number(((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn))
  const minor = Number((rdev & 0xffn) | ((rdev >> 12n) & ~0xffn))
  return {
    type: typeOf(s),
    mode: Number(s.mode),
    nlink: Number(s.nlink),
    uid: Number(s.uid),
    gid: Number(s.gid),
    size: Number(s.size),
    blocks: Number(s.blocks),
    mtimeNs: s.mtimeNs,
    rdevMajor: major,
    rdevMinor: minor,
  }
}
