/**
 * Every file kdumpcheck writes goes through this module (reports, snapshots, kept fleet snapshots,
 * results files, the trigger file). kdumpcheck runs as root, often in shared directories such as /tmp,
 * so a write must never be redirected by a link someone else planted, and a reader must never see half
 * a file.
 *
 * - `writeFileAtomic(target, data)`: a target that exists and is not a regular file (a device such as
 *   /dev/null, a FIFO, a terminal, /dev/stdout) is opened and written directly, never replaced.
 *   Otherwise the data goes to a temporary file with an unpredictable name, created
 *   O_CREAT|O_EXCL|O_NOFOLLOW with mode 0600 in the target's directory, then given its mode, fsync'ed
 *   and renamed over the target; the directory is fsync'ed after the rename.
 * - A symbolic link AT the target is refused (`InputError`): writing through it would write to another
 *   file, and replacing it would silently break what the link's owner meant. /dev/stdout, /dev/stderr
 *   and /dev/fd/N are the exception: they name this process's own descriptors, which are written
 *   directly. Links in the directories leading to the target are followed once, as the user typed them;
 *   every later operation is relative to that directory's open descriptor (/proc/self/fd/N), so the
 *   directory cannot be swapped mid-write.
 * - `writeDirectoryAtomic(target, build)`: a new directory tree (collect -o DIR) is built in a fresh
 *   mkdtemp directory beside the target; its members are created O_EXCL|O_NOFOLLOW, and no link inside
 *   is ever followed; then it is renamed into place. An existing non-empty target is refused unless
 *   `force` (then the old tree is moved aside, the new one renamed in, the old one removed).
 * - `DirectoryWriter`: writing relative to a directory (one kdumpcheck created, or a root a caller has
 *   confined itself to) without following any link below it: new files, atomic replacement, and
 *   replacement only if the file is unchanged since it was read (`expect`).
 * - `writeExisting(target, data)`: writes into a file that must already exist (a kernel control file:
 *   /proc/sysrq-trigger), never creating, truncating or replacing it, never through a link.
 * - `openAppend(file)`: append-only files (`scan --results`), never through a link.
 *
 * On SIGINT/SIGTERM/SIGHUP (when nothing else handles them) and at exit, temporary files and
 * directories still being written are removed.
 */
import {createHash, randomBytes} from 'node:crypto'
import {constants, createWriteStream, existsSync, readFileSync, rmSync, write, type BigIntStats} from 'node:fs'
import {chmod, lstat, mkdir, mkdtemp, open, readdir, readlink, realpath, rename, rm, symlink, unlink, type FileHandle} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Writable} from 'node:stream'
import {InputError} from '../errors.js'

const {O_WRONLY, O_RDONLY, O_RDWR, O_CREAT, O_EXCL, O_APPEND, O_NOCTTY} = constants
/** A file compared against a content hash is read whole: never more than this (plans edit files of at most 8 MiB). */
const EXPECT_MAX_BYTES = 64 * 1024 * 1024
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
const O_DIRECTORY = constants.O_DIRECTORY ?? 0

/** What a file was when it was read: replace it only if it still is (see `WriteOptions.expect`). */
export interface FileStamp {
  dev: bigint
  ino: bigint
  size: bigint
  mtimeNs: bigint
}

/**
 * A precondition on the target, checked just before the rename: `'absent'` (it must not exist), a stamp
 * (same device, inode, size and modification time), or a SHA-256 of its content (hex).
 */
export type Expectation = 'absent' | FileStamp | {sha256: string}

export interface WriteOptions {
  /**
   * Permission bits of the file. Default: a replaced file keeps its mode (and, as root, its owner);
   * a new file gets 0666 minus the umask.
   */
  mode?: number
  /** Replace only if the target is still as expected; otherwise an InputError and nothing written. */
  expect?: Expectation
  /**
   * A target that exists and is not a regular file: `'write'` opens it and writes into it (a device,
   * a FIFO, a terminal); `'refuse'` is an error. Default: `'write'` for `writeFileAtomic`, `'refuse'`
   * inside a DirectoryWriter.
   */
  special?: 'write' | 'refuse'
}

export type WriteOutcome = 'created' | 'replaced' | 'special'

export function stampOf(stats: BigIntStats): FileStamp {
  return {dev: stats.dev, ino: stats.ino, size: stats.size, mtimeNs: stats.mtimeNs}
}

/** The stamp of the file at `file` (not following a final link), or undefined when there is none. */
export async function fileStamp(file: string): Promise<FileStamp | undefined> {
  try {
    return stampOf(await lstat(file, {bigint: true}))
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined
    throw error
  }
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

// ---------------------------------------------------------------------------------------------------
// Temporary files left behind by an interrupt.

const pending = new Map<string, 'file' | 'dir'>()
const ownSignalHandlers = new Map<NodeJS.Signals, () => void>()
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
let exitHook = false

/** Removes every temporary file or directory still being written (synchronous: safe in 'exit' and signal handlers). */
export function removePendingTemporaries(): void {
  for (const [file, kind] of pending) {
    try {
      if (kind === 'dir') rmSync(file, {recursive: true, force: true})
      else rmSync(file, {force: true})
    } catch {
      // Best effort: the process is going away.
    }
  }
  pending.clear()
}

function track(file: string, kind: 'file' | 'dir'): void {
  pending.set(file, kind)
  if (!exitHook) {
    process.on('exit', removePendingTemporaries)
    exitHook = true
  }
  for (const signal of SIGNALS) {
    // A command with its own handler (scan stops gracefully and lets writes finish) keeps control.
    if (ownSignalHandlers.has(signal) || process.listenerCount(signal) > 0) continue
    const handler = (): void => {
      removePendingTemporaries()
      uninstallSignalHandlers()
      // The default action, as if we had never listened: the shell sees death by this signal.
      process.kill(process.pid, signal)
    }
    ownSignalHandlers.set(signal, handler)
    process.on(signal, handler)
  }
}

function untrack(file: string): void {
  pending.delete(file)
  if (pending.size === 0) uninstallSignalHandlers()
}

function uninstallSignalHandlers(): void {
  for (const [signal, handler] of ownSignalHandlers) process.off(signal, handler)
  ownSignalHandlers.clear()
}

// ---------------------------------------------------------------------------------------------------
// Helpers.

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}

function reason(error: unknown): string {
  const c = code(error)
  const messages: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'no such file or directory',
    ENOTDIR: 'a path component is not a directory',
    EISDIR: 'is a directory',
    ELOOP: 'is a symbolic link',
    ENXIO: 'no process reads it (or it is a socket)',
    ENAMETOOLONG: 'the name is too long',
    EEXIST: 'already exists',
    ENOTEMPTY: 'the directory is not empty',
  }
  if (c && messages[c]) return messages[c]
  return error instanceof Error ? error.message : String(error)
}

let umaskCache: number | undefined
/** The process umask, read without changing it (process.umask() with no argument is deprecated). */
function umask(): number {
  if (umaskCache === undefined) {
    umaskCache = 0o022
    try {
      const m = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))
      if (m) umaskCache = Number.parseInt(m[1]!, 8)
    } catch {
      // Not Linux, or no /proc: the common default.
    }
  }
  return umaskCache
}

const PROC_FD = existsSync('/proc/self/fd')

function temporaryName(base: string, suffix: string): string {
  // NAME_MAX is 255: keep enough of the name to recognise it, and 16 random hex digits.
  return `.${base.slice(0, 100)}.${randomBytes(8).toString('hex')}${suffix}`
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.length) {
    const {bytesWritten} = await handle.write(bytes, offset, bytes.length - offset)
    if (bytesWritten === 0) throw Object.assign(new Error('short write'), {code: 'EIO'})
    offset += bytesWritten
  }
}

function kindOf(stats: BigIntStats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link'
  if (stats.isDirectory()) return 'a directory'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isSocket()) return 'a socket'
  return 'a regular file'
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs
}

/** One path component: never empty, `.`, `..`, or containing `/` or NUL. */
function checkComponent(name: string, shown: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new InputError(`${shown}: not a plain name inside the directory`)
  }
}

function splitRelative(rel: string): string[] {
  const parts = rel.split('/').filter((p) => p !== '')
  if (parts.length === 0) throw new InputError(`${JSON.stringify(rel)}: an empty path`)
  for (const part of parts) checkComponent(part, rel)
  return parts
}

// ---------------------------------------------------------------------------------------------------
// A directory held open: every operation below it is relative to its descriptor.

class OpenDir {
  private constructor(
    readonly handle: FileHandle,
    /** The directory's real path, for messages and for cleanup after the descriptor is gone. */
    readonly real: string,
  ) {}

  static async open(dir: string, options: {follow: boolean}): Promise<OpenDir> {
    const handle = await open(dir, O_RDONLY | O_DIRECTORY | (options.follow ? 0 : O_NOFOLLOW))
    let real = dir
    try {
      real = PROC_FD ? await realpath(`/proc/self/fd/${handle.fd}`) : await realpath(dir)
    } catch {
      // Keep the name as given.
    }
    return new OpenDir(handle, real)
  }

  /** A path naming `name` inside this very directory (not whatever its path names now). */
  at(name: string): string {
    return PROC_FD ? `/proc/self/fd/${this.handle.fd}/${name}` : path.join(this.real, name)
  }

  /** The same, for cleanup and messages (valid after the descriptor is closed). */
  realAt(name: string): string {
    return path.join(this.real, name)
  }

  async sync(): Promise<void> {
    // Some file systems refuse fsync on a directory (EINVAL); the rename is still done.
    await this.handle.sync().catch(() => undefined)
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined)
  }
}

async function lstatIn(dir: OpenDir, name: string): Promise<BigIntStats | undefined> {
  try {
    return await lstat(dir.at(name), {bigint: true})
  } catch (error) {
    if (code(error) === 'ENOENT') return undefined
    throw error
  }
}

async function checkExpectation(dir: OpenDir, name: string, expect: Expectation | undefined, shown: string): Promise<void> {
  if (expect === undefined) return
  const now = await lstatIn(dir, name)
  const changed = (why: string): never => {
    throw new InputError(`${shown}: changed since it was read (${why}); nothing written`)
  }
  if (expect === 'absent') {
    if (now) changed('it exists now')
    return
  }
  if (!now) changed('it no longer exists')
  if (!now!.isFile()) changed(`it is now ${kindOf(now!)}`)
  if ('sha256' in expect) {
    // Swapped for a FIFO after the lstat above, the file must not block the open; swapped for something
    // else or grown past what any plan edits, it is not the file the plan was computed from.
    const handle = await open(dir.at(name), O_RDONLY | O_NOFOLLOW | O_NOCTTY | (constants.O_NONBLOCK ?? 0))
    try {
      const opened = await handle.stat()
      if (!opened.isFile()) changed('it is no longer a regular file')
      if (opened.size > EXPECT_MAX_BYTES) changed('it has grown past what fix edits')
      if (sha256(await handle.readFile()) !== expect.sha256.toLowerCase()) changed('its content differs')
    } finally {
      await handle.close()
    }
  } else if (!sameStamp(stampOf(now!), expect)) {
    changed('its inode, size or modification time differs')
  }
}

/** Writes into an existing non-regular file (device, FIFO, terminal). */
async function writeSpecial(dir: OpenDir, name: string, bytes: Uint8Array, shown: string): Promise<void> {
  let handle: FileHandle
  try {
    handle = await open(dir.at(name), O_WRONLY | O_NOFOLLOW | O_NOCTTY)
  } catch (error) {
    throw new InputError(`${shown}: cannot write (${reason(error)})`)
  }
  try {
    const stats = await handle.stat({bigint: true})
    if (stats.isFile()) throw new InputError(`${shown}: became a regular file while being opened; nothing written`)
    await writeAll(handle, bytes)
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(`${shown}: cannot write (${reason(error)})`)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/** The atomic replacement itself: temp file in `dir`, mode, fsync, expectation, rename, fsync of `dir`. */
async function replaceIn(dir: OpenDir, name: string, bytes: Uint8Array, existing: BigIntStats | undefined, options: WriteOptions, shown: string): Promise<WriteOutcome> {
  const temp = temporaryName(name, '.tmp')
  const cleanup = dir.realAt(temp)
  let handle: FileHandle | undefined
  try {
    handle = await open(dir.at(temp), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, 0o600)
    track(cleanup, 'file')
    await writeAll(handle, bytes)
    if (existing && options.mode === undefined && typeof process.getuid === 'function' && process.getuid() === 0) {
      await handle.chown(Number(existing.uid), Number(existing.gid)).catch(() => undefined)
    }
    const mode = options.mode ?? (existing ? Number(existing.mode) & 0o7777 : 0o666 & ~umask())
    await handle.chmod(mode)
    await handle.sync()
    await handle.close()
    handle = undefined
    await checkExpectation(dir, name, options.expect, shown)
    await rename(dir.at(temp), dir.at(name))
    untrack(cleanup)
    await dir.sync()
    return existing ? 'replaced' : 'created'
  } catch (error) {
    await handle?.close().catch(() => undefined)
    await unlink(dir.at(temp)).catch(() => undefined)
    untrack(cleanup)
    if (error instanceof InputError) throw error
    throw new InputError(`${shown}: cannot write (${reason(error)})`)
  }
}

/** The shared decision for a target `name` in `dir`: special file, link, directory, or regular replace. */
async function writeIn(dir: OpenDir, name: string, data: string | Uint8Array, options: WriteOptions, shown: string, special: 'write' | 'refuse'): Promise<WriteOutcome> {
  const bytes = toBytes(data)
  let existing: BigIntStats | undefined
  try {
    existing = await lstatIn(dir, name)
  } catch (error) {
    throw new InputError(`${shown}: cannot write (${reason(error)})`)
  }
  if (existing?.isSymbolicLink()) {
    throw new InputError(`${shown}: is a symbolic link; kdumpcheck never writes through a link (name the file itself, or remove the link)`)
  }
  if (existing?.isDirectory()) throw new InputError(`${shown}: is a directory`)
  if (existing && !existing.isFile()) {
    if (special === 'refuse') throw new InputError(`${shown}: is ${kindOf(existing)}, not a regular file; nothing written`)
    if (existing.isSocket()) throw new InputError(`${shown}: is a socket; cannot write to it`)
    if (options.expect !== undefined) await checkExpectation(dir, name, options.expect, shown)
    await writeSpecial(dir, name, bytes, shown)
    return 'special'
  }
  return replaceIn(dir, name, bytes, existing, options, shown)
}

function splitTarget(target: string, what: string): {dir: string; name: string} {
  if (target.trim() === '') throw new InputError(`${what}: an empty path`)
  if (target.includes('\0')) throw new InputError(`${JSON.stringify(target)}: a path cannot contain NUL`)
  const resolved = path.resolve(target)
  const name = path.basename(resolved)
  if (/\/\.{0,2}$/.test(target) || name === '' || name === '.' || name === '..' || resolved === '/') {
    throw new InputError(`${target}: names a directory, not a file`)
  }
  return {dir: path.dirname(resolved), name}
}

async function openParent(dir: string, shown: string): Promise<OpenDir> {
  try {
    return await OpenDir.open(dir, {follow: true})
  } catch (error) {
    const why = code(error) === 'ENOENT' ? 'its directory does not exist' : code(error) === 'ENOTDIR' ? 'a path component is not a directory' : reason(error)
    throw new InputError(`${shown}: cannot write (${why})`)
  }
}

/** /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: this process's own descriptor N. */
function ownDescriptor(target: string): number | undefined {
  const m = /^\/(?:dev\/(?:std(out|err)|fd\/(\d+))|proc\/self\/fd\/(\d+))$/.exec(path.normalize(target))
  if (!m) return undefined
  if (m[1]) return m[1] === 'out' ? 1 : 2
  return Number(m[2] ?? m[3])
}

async function writeDescriptor(fd: number, bytes: Uint8Array, shown: string): Promise<void> {
  const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : undefined
  if (stream) {
    await new Promise<void>((resolve, reject) => stream.write(bytes, (error) => (error ? reject(new InputError(`${shown}: cannot write (${reason(error)})`)) : resolve())))
    return
  }
  let offset = 0
  while (offset < bytes.length) {
    const written = await new Promise<number>((resolve, reject) =>
      write(fd, bytes, offset, bytes.length - offset, null, (error, n) => (error ? reject(new InputError(`${shown}: cannot write (${reason(error)})`)) : resolve(n))),
    )
    offset += written
  }
}

// ---------------------------------------------------------------------------------------------------
// Public API.

/**
 * Writes `data` to `target`: directly into an existing device, FIFO or terminal; otherwise atomically
 * (O_EXCL|O_NOFOLLOW temp file beside it, fsync, rename, fsync of the directory). Refuses a symbolic
 * link at the target and a directory. Errors are InputErrors naming the target.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: WriteOptions = {}): Promise<WriteOutcome> {
  const fd = ownDescriptor(target)
  if (fd !== undefined) {
    await writeDescriptor(fd, toBytes(data), target)
    return 'special'
  }
  const {dir, name} = splitTarget(target, 'output')
  const parent = await openParent(dir, target)
  try {
    return await writeIn(parent, name, data, options, target, options.special ?? 'write')
  } finally {
    await parent.close()
  }
}

/** Destroys a stream and waits until its pending writes are over (so its descriptor can be closed). */
async function settle(stream: Writable): Promise<void> {
  if (stream.closed) return
  await new Promise<void>((resolve) => {
    stream.once('close', () => resolve())
    stream.destroy()
  })
}

export interface AtomicOutput {
  /** Where the data goes: the temporary file (or, for a device, FIFO or /dev/stdout, the target itself). */
  stream: Writable
  /** After the stream has finished: fsync, rename into place, fsync of the directory (a special file: closed). */
  commit(): Promise<WriteOutcome>
  /** Gives up: the temporary file is removed and the target left as it was. */
  abort(): Promise<void>
}

/**
 * `writeFileAtomic` for output too large to hold in memory (a repaired image tarball): the same rules
 * (special files written in place, a link refused, an O_EXCL|O_NOFOLLOW temporary file renamed into
 * place), streamed. End the stream, wait for 'finish', then `commit()`; on any failure `abort()`.
 */
export async function openAtomicOutput(target: string, options: Pick<WriteOptions, 'mode'> = {}): Promise<AtomicOutput> {
  const fd = ownDescriptor(target)
  if (fd !== undefined) {
    // This process's own descriptor, written where it stands (never reopened).
    const stream = fd === 1 ? process.stdout : fd === 2 ? process.stderr : createWriteStream('', {fd, autoClose: false})
    return {stream, commit: async () => 'special', abort: async () => undefined}
  }
  const {dir: dirPath, name} = splitTarget(target, 'output')
  const dir = await openParent(dirPath, target)
  let handle: FileHandle | undefined
  let temp: string | undefined
  try {
    const existing = await lstatIn(dir, name)
    if (existing?.isSymbolicLink()) throw new InputError(`${target}: is a symbolic link; kdumpcheck never writes through a link (name the file itself, or remove the link)`)
    if (existing?.isDirectory()) throw new InputError(`${target}: is a directory`)
    if (existing?.isSocket()) throw new InputError(`${target}: is a socket; cannot write to it`)
    if (existing && !existing.isFile()) {
      handle = await open(dir.at(name), O_WRONLY | O_NOCTTY | O_NOFOLLOW)
      const special = handle
      const stream = special.createWriteStream({autoClose: false})
      return {
        stream,
        commit: async () => {
          // The stream holds the handle until it is closed: settle it (its data is written), then close.
          await settle(stream)
          await special.close()
          await dir.close()
          return 'special'
        },
        abort: async () => {
          await settle(stream)
          await special.close().catch(() => undefined)
          await dir.close()
        },
      }
    }
    const tempName = temporaryName(name, '.tmp')
    temp = tempName
    handle = await open(dir.at(tempName), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, 0o600)
    track(dir.realAt(tempName), 'file')
    const file = handle
    const stream = file.createWriteStream({autoClose: false})
    const cleanup = async (): Promise<void> => {
      await settle(stream)
      await file.close().catch(() => undefined)
      await unlink(dir.at(tempName)).catch(() => undefined)
      untrack(dir.realAt(tempName))
      await dir.close()
    }
    return {
      stream,
      commit: async () => {
        try {
          if (existing && options.mode === undefined && typeof process.getuid === 'function' && process.getuid() === 0) {
            await file.chown(Number(existing.uid), Number(existing.gid)).catch(() => undefined)
          }
          await file.chmod(options.mode ?? (existing ? Number(existing.mode) & 0o7777 : 0o666 & ~umask()))
          await file.sync()
          // The stream holds the handle until it is closed: settle it (its data is written), then close.
          await settle(stream)
          await file.close()
          if ((await lstatIn(dir, name))?.isSymbolicLink()) throw new InputError(`${target}: became a symbolic link while being written; not replaced`)
          await rename(dir.at(tempName), dir.at(name))
          untrack(dir.realAt(tempName))
          await dir.sync()
          await dir.close()
          return existing ? 'replaced' : 'created'
        } catch (error) {
          await cleanup()
          if (error instanceof InputError) throw error
          throw new InputError(`${target}: cannot write (${reason(error)})`)
        }
      },
      abort: cleanup,
    }
  } catch (error) {
    await handle?.close().catch(() => undefined)
    if (temp !== undefined) {
      await unlink(dir.at(temp)).catch(() => undefined)
      untrack(dir.realAt(temp))
    }
    await dir.close()
    if (error instanceof InputError) throw error
    throw new InputError(`${target}: cannot write (${reason(error)})`)
  }
}

/**
 * Writes into a file that must already exist (a kernel control file such as /proc/sysrq-trigger):
 * no create, no truncate, no replace, never through a symbolic link.
 */
export async function writeExisting(target: string, data: string | Uint8Array): Promise<void> {
  let handle: FileHandle
  try {
    handle = await open(target, O_WRONLY | O_NOFOLLOW | O_NOCTTY)
  } catch (error) {
    const why = code(error) === 'ELOOP' ? 'is a symbolic link; kdumpcheck never writes through a link' : reason(error)
    throw new InputError(`${target}: cannot write (${why})`)
  }
  try {
    await writeAll(handle, toBytes(data))
  } catch (error) {
    throw new InputError(`${target}: cannot write (${reason(error)})`)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

/**
 * Opens `file` for appending (`scan --results`): `exclusive` creates it and fails if it exists;
 * otherwise it is created when absent. Never through a symbolic link; only a regular file.
 * The handle is O_RDWR|O_APPEND (readable, for checking a torn tail).
 */
export async function openAppend(file: string, options: {exclusive: boolean}): Promise<FileHandle> {
  if (file.trim() === '') throw new InputError('results file: an empty path')
  const flags = O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | (options.exclusive ? O_EXCL : 0)
  let handle: FileHandle
  try {
    handle = await open(file, flags, 0o666 & ~umask())
  } catch (error) {
    if (code(error) === 'ELOOP') throw new InputError(`${file}: is a symbolic link; kdumpcheck never writes through a link`)
    throw error
  }
  const stats = await handle.stat({bigint: true})
  if (!stats.isFile()) {
    await handle.close()
    throw new InputError(`${file}: is ${kindOf(stats)}, not a regular file`)
  }
  return handle
}

/**
 * A directory written relative to its open descriptor: no symbolic link below it is ever followed
 * (each component is opened O_NOFOLLOW|O_DIRECTORY; files are created O_EXCL|O_NOFOLLOW).
 * Open one on a directory kdumpcheck created (`writeDirectoryAtomic` hands one to its builder), or on
 * a root a caller confines itself to (an image root): `writer.replaceFile('etc/default/grub', ...)`
 * cannot leave it.
 */
export class DirectoryWriter {
  private readonly dirs = new Map<string, OpenDir>()

  private constructor(
    private readonly root: OpenDir,
    /** The directory as the user would name it, for messages. */
    readonly shown: string,
    /** fsync each new file (off for scratch directories that are read once and removed). */
    private readonly durable: boolean,
    /** Mode of the directories it creates. */
    private readonly dirMode: number,
  ) {
    this.dirs.set('', root)
  }

  /**
   * Opens an existing directory. The path itself is followed as given (unless `follow: false`: then a
   * link there is refused); nothing below it ever is.
   */
  static async open(dir: string, options: {shown?: string; follow?: boolean; durable?: boolean; dirMode?: number} = {}): Promise<DirectoryWriter> {
    try {
      return new DirectoryWriter(await OpenDir.open(dir, {follow: options.follow ?? true}), options.shown ?? dir, options.durable ?? true, options.dirMode ?? 0o777 & ~umask())
    } catch (error) {
      const why = code(error) === 'ELOOP' ? 'is a symbolic link' : reason(error)
      throw new InputError(`${options.shown ?? dir}: cannot open the directory (${why})`)
    }
  }

  /** The real path of the directory. */
  get path(): string {
    return this.root.real
  }

  /** Opens (and with `create`, makes) the directory `parts` below the root, one O_NOFOLLOW step at a time. */
  private async reach(parts: string[], create: boolean, shown: string): Promise<OpenDir> {
    let key = ''
    let current = this.root
    for (const part of parts) {
      const next = key === '' ? part : `${key}/${part}`
      let dir = this.dirs.get(next)
      if (!dir) {
        if (create) {
          await mkdir(current.at(part), this.dirMode).catch((error: unknown) => {
            if (code(error) !== 'EEXIST') throw error
          })
        }
        try {
          dir = await OpenDir.open(current.at(part), {follow: false})
        } catch (error) {
          if (code(error) === 'ELOOP' || code(error) === 'ENOTDIR') {
            const what = await lstatIn(current, part).catch(() => undefined)
            throw new InputError(`${shown}: ${next} is ${what ? kindOf(what) : 'not a directory'}; kdumpcheck never follows a link inside a directory it writes`)
          }
          throw error
        }
        this.dirs.set(next, dir)
      }
      current = dir
      key = next
    }
    return current
  }

  private shownAt(rel: string): string {
    return path.join(this.shown, rel)
  }

  /** Creates directory `rel` (and its parents) below the root. */
  async mkdir(rel: string): Promise<void> {
    const shown = this.shownAt(rel)
    try {
      await this.reach(splitRelative(rel), true, shown)
    } catch (error) {
      if (error instanceof InputError) throw error
      throw new InputError(`${shown}: cannot create the directory (${reason(error)})`)
    }
  }

  /**
   * Creates a new file `rel` (parents made as needed): O_CREAT|O_EXCL|O_NOFOLLOW, so an existing
   * entry of that name (a planted link included) is an error, never overwritten. The file is fsync'ed
   * (unless the writer is a scratch one); `sync()` then fsyncs the directories.
   */
  async writeFile(rel: string, data: string | Uint8Array, options: {mode?: number} = {}): Promise<void> {
    const parts = splitRelative(rel)
    const shown = this.shownAt(rel)
    let handle: FileHandle | undefined
    try {
      const dir = await this.reach(parts.slice(0, -1), true, shown)
      handle = await open(dir.at(parts.at(-1)!), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY, 0o600)
      await writeAll(handle, toBytes(data))
      await handle.chmod(options.mode ?? 0o666 & ~umask())
      if (this.durable) await handle.sync()
    } catch (error) {
      if (error instanceof InputError) throw error
      throw new InputError(`${shown}: cannot write (${reason(error)})`)
    } finally {
      await handle?.close().catch(() => undefined)
    }
  }

  /**
   * Replaces (or creates) file `rel` atomically inside this directory, following no link on the way:
   * a temp file beside it, fsync, `expect` checked, rename, fsync. A link, directory or special file at
   * `rel` is refused unless `special: 'write'` (then written directly).
   */
  async replaceFile(rel: string, data: string | Uint8Array, options: WriteOptions & {createParents?: boolean} = {}): Promise<WriteOutcome> {
    const parts = splitRelative(rel)
    const shown = this.shownAt(rel)
    let dir: OpenDir
    try {
      dir = await this.reach(parts.slice(0, -1), options.createParents ?? false, shown)
    } catch (error) {
      if (error instanceof InputError) throw error
      throw new InputError(`${shown}: cannot write (${reason(error)})`)
    }
    return writeIn(dir, parts.at(-1)!, data, options, shown, options.special ?? 'refuse')
  }

  /**
   * Creates the symbolic link `rel` -> `target` (parents made as needed). An identical link already
   * there is fine; anything else there is refused, never replaced. The target is stored, never followed.
   */
  async symlink(rel: string, target: string): Promise<'created' | 'exists'> {
    const parts = splitRelative(rel)
    const shown = this.shownAt(rel)
    try {
      const dir = await this.reach(parts.slice(0, -1), true, shown)
      const name = parts.at(-1)!
      const existing = await lstatIn(dir, name)
      if (existing) {
        if (existing.isSymbolicLink() && (await readlink(dir.at(name))) === target) return 'exists'
        throw new InputError(`${shown}: something else is already there; not replaced`)
      }
      await symlink(target, dir.at(name))
      if (this.durable) await dir.sync()
      return 'created'
    } catch (error) {
      if (error instanceof InputError) throw error
      throw new InputError(`${shown}: cannot create the link (${reason(error)})`)
    }
  }

  /** Removes file `rel` if it is a regular file or a link (never what a link points to); absent is fine. */
  async removeFile(rel: string): Promise<void> {
    const parts = splitRelative(rel)
    const shown = this.shownAt(rel)
    try {
      const dir = await this.reach(parts.slice(0, -1), false, shown)
      const stats = await lstatIn(dir, parts.at(-1)!)
      if (!stats) return
      if (stats.isDirectory()) throw new InputError(`${shown}: is a directory; not removed`)
      await unlink(dir.at(parts.at(-1)!))
    } catch (error) {
      if (error instanceof InputError) throw error
      if (code(error) === 'ENOENT') return
      throw new InputError(`${shown}: cannot remove (${reason(error)})`)
    }
  }

  /** fsyncs every directory this writer opened (files are synced as they are written). */
  async sync(): Promise<void> {
    for (const dir of this.dirs.values()) await dir.sync()
  }

  async close(): Promise<void> {
    for (const dir of this.dirs.values()) await dir.close()
    this.dirs.clear()
  }
}

export interface DirectoryOptions {
  /** Replace an existing non-empty directory (moved aside, replaced, then removed). */
  force?: boolean
  /** Mode of the new directory (default 0777 minus the umask). */
  mode?: number
  /** How to name --force in the refusal (`--force`). */
  forceHint?: string
}

async function checkDirectoryTarget(existing: BigIntStats | undefined, members: () => Promise<string[]>, target: string, options: DirectoryOptions): Promise<boolean> {
  if (!existing) return false
  if (existing.isSymbolicLink()) throw new InputError(`${target}: is a symbolic link; kdumpcheck never writes through a link`)
  if (!existing.isDirectory()) throw new InputError(`${target}: exists and is ${kindOf(existing)}, not a directory`)
  if ((await members()).length === 0) return false
  if (!options.force) throw new InputError(`${target}: exists and is not empty; choose a new directory, or pass ${options.forceHint ?? '--force'} to replace it`)
  return true
}

/**
 * Fails early (before a long collection) when `writeDirectoryAtomic(target)` would refuse the target.
 * The same checks run again when the tree is renamed into place.
 */
export async function assertDirectoryTarget(target: string, options: DirectoryOptions = {}): Promise<void> {
  if (target.trim() === '') throw new InputError('output directory: an empty path')
  let existing: BigIntStats | undefined
  try {
    existing = await lstat(target, {bigint: true})
  } catch (error) {
    if (code(error) !== 'ENOENT') throw new InputError(`${target}: cannot write (${reason(error)})`)
  }
  await checkDirectoryTarget(existing, () => readdir(target), target, options)
}

/**
 * Builds a directory tree at `target` atomically: `build` writes into a fresh mkdtemp directory beside
 * the target (a DirectoryWriter: nothing inside is followed), which is then renamed into place. An
 * existing empty directory is replaced; a non-empty one only with `force`; anything else (a file, a
 * symbolic link) is refused. On any failure (a full disk included) nothing is left behind.
 */
export async function writeDirectoryAtomic(target: string, build: (dir: DirectoryWriter) => Promise<void>, options: DirectoryOptions = {}): Promise<void> {
  if (target.trim() === '') throw new InputError('output directory: an empty path')
  if (target.includes('\0')) throw new InputError(`${JSON.stringify(target)}: a path cannot contain NUL`)
  const resolved = path.resolve(target)
  const name = path.basename(resolved)
  if (resolved === '/' || name === '' || name === '.' || name === '..') throw new InputError(`${target}: cannot replace this directory`)
  const parent = await openParent(path.dirname(resolved), target)
  let temp: string | undefined
  let writer: DirectoryWriter | undefined
  try {
    const replaceOld = await checkDirectoryTarget(await lstatIn(parent, name), () => readdir(parent.at(name)), target, options)
    temp = path.basename(await mkdtemp(parent.at(`.${name.slice(0, 100)}.kdumpcheck-`)))
    track(parent.realAt(temp), 'dir')
    writer = await DirectoryWriter.open(parent.at(temp), {shown: target})
    await build(writer)
    await writer.sync()
    await writer.close()
    writer = undefined
    await chmod(parent.at(temp), options.mode ?? 0o777 & ~umask())
    if (replaceOld) {
      const aside = temporaryName(name, '.old')
      await rename(parent.at(name), parent.at(aside))
      track(parent.realAt(aside), 'dir')
      try {
        await rename(parent.at(temp), parent.at(name))
      } catch (error) {
        // Put the old tree back rather than leave nothing.
        await rename(parent.at(aside), parent.at(name)).catch(() => undefined)
        untrack(parent.realAt(aside))
        throw error
      }
      untrack(parent.realAt(temp))
      await parent.sync()
      await rm(parent.at(aside), {recursive: true, force: true})
      untrack(parent.realAt(aside))
    } else {
      await rename(parent.at(temp), parent.at(name))
      untrack(parent.realAt(temp))
      await parent.sync()
    }
    temp = undefined
  } catch (error) {
    await writer?.close()
    if (temp !== undefined) {
      await rm(parent.at(temp), {recursive: true, force: true}).catch(() => undefined)
      untrack(parent.realAt(temp))
    }
    if (error instanceof InputError) throw error
    throw new InputError(`${target}: cannot write (${reason(error)})`)
  } finally {
    await parent.close()
  }
}

/**
 * A private scratch directory (mkdtemp: mode 0700, unpredictable name) for `work`, removed afterwards
 * whatever happens, and at exit or on a signal if the process dies inside `work`.
 */
export async function withScratchDirectory<T>(work: (dir: DirectoryWriter) => Promise<T>, options: {parent?: string} = {}): Promise<T> {
  const dir = await mkdtemp(path.join(options.parent ?? tmpdir(), 'kdumpcheck-'))
  track(dir, 'dir')
  let writer: DirectoryWriter | undefined
  try {
    writer = await DirectoryWriter.open(dir, {durable: false})
    return await work(writer)
  } finally {
    await writer?.close()
    await rm(dir, {recursive: true, force: true}).catch(() => undefined)
    untrack(dir)
  }
}
