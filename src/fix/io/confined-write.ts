/**
 * Every write `fix` makes inside an image root goes through here (the one module to switch over
 * to src/io/write-atomic.ts when it lands). Writes are confined the way the image reader's lookups
 * are (src/sources/rootfs/tree.ts): the path is resolved inside the image first (an absolute
 * symlink restarts at the image's root, `..` stops there), then every directory of the resolved
 * path is entered with O_DIRECTORY | O_NOFOLLOW through the handle of its parent
 * (`/proc/self/fd/N/name`, openat(2) by another name), so a directory swapped for a symlink in the
 * meantime fails instead of leading out. A file is replaced atomically: a new file is created
 * beside it with O_CREAT | O_EXCL | O_NOFOLLOW, given the old one's mode and owner, written,
 * fsync'ed and renamed over it, and the directory fsync'ed. Its content is compared with what the
 * plan was computed from just before the rename: a file that changed since it was read is left alone.
 */
import {randomBytes} from 'node:crypto'
import {constants} from 'node:fs'
import {lstat, mkdir, open, readlink, realpath, rename, symlink, unlink, type FileHandle} from 'node:fs/promises'
import {lookup, type ImageTree} from '../../sources/rootfs/tree.js'
import {openDirectoryTree} from '../../sources/rootfs/directory-tree.js'

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0
const O_DIRECTORY = constants.O_DIRECTORY ?? 0
const O_NONBLOCK = constants.O_NONBLOCK ?? 0
const O_NOCTTY = constants.O_NOCTTY ?? 0

export class WriteRefused extends Error {}

export interface RootWriter {
  /** Where a host path resolves inside the image (`/etc/default/grub` -> `/usr/share/grub/default/grub`), or why it cannot be written. */
  resolve(hostPath: string): Promise<{path: string; exists: boolean}>
  /** Replaces (or creates, when `before` is undefined) the regular file at `hostPath`. */
  replaceFile(hostPath: string, before: Buffer | undefined, after: Buffer): Promise<string>
  /** Creates a symlink; an identical one already there is fine. */
  createSymlink(hostPath: string, target: string): Promise<string>
  close(): Promise<void>
}

interface Dir {
  handle: FileHandle
  fsPath: string
}

export async function openRootWriter(root: string): Promise<RootWriter> {
  if (process.platform !== 'linux') throw new WriteRefused('writing into an image needs Linux (/proc/self/fd)')
  const realRoot = await realpath(root)
  const tree: ImageTree = await openDirectoryTree(realRoot)
  if (tree.confinement !== 'fd') {
    await tree.close()
    throw new WriteRefused('writing into an image needs /proc/self/fd to confine the writes')
  }
  const rootHandle = await open(realRoot, constants.O_RDONLY | O_DIRECTORY)
  const rootDir: Dir = {handle: rootHandle, fsPath: `/proc/self/fd/${rootHandle.fd}`}

  /** The canonical parent directory and name of hostPath inside the image. */
  const place = async (hostPath: string): Promise<{dir: string[]; name: string; path: string; exists: boolean}> => {
    const found = await lookup(tree, hostPath, true)
    if (found.ok) {
      await found.release()
      if (found.info.type !== 'file') throw new WriteRefused(`${hostPath}: ${found.path === hostPath ? '' : `resolves to ${found.path}, `}not a regular file (${found.info.type})`)
      const parts = found.path.split('/').filter(Boolean)
      return {dir: parts.slice(0, -1), name: parts.at(-1)!, path: found.path, exists: true}
    }
    if (found.code !== 'ENOENT') throw new WriteRefused(`${hostPath}: cannot be resolved inside the image (${found.code})`)
    if (found.links > 0) {
      // A dangling symlink: writing through it would create its target, wherever the image says.
      const asLink = await lookup(tree, hostPath, false)
      if (asLink.ok) {
        await asLink.release()
        throw new WriteRefused(`${hostPath}: a symlink that does not resolve inside the image (${found.at}); not followed`)
      }
    }
    // A new file: its parent must resolve (or be created) inside the image.
    const parts = hostPath.split('/').filter(Boolean)
    const name = parts.pop()!
    let dir: string[] = []
    const parent = await lookup(tree, `/${parts.join('/')}`, true)
    if (parent.ok) {
      await parent.release()
      if (parent.info.type !== 'dir') throw new WriteRefused(`${hostPath}: its parent ${parent.path} is not a directory`)
      dir = parent.path.split('/').filter(Boolean)
    } else if (parent.code === 'ENOENT' && parent.links === 0) {
      dir = parts
    } else throw new WriteRefused(`${hostPath}: its directory cannot be resolved inside the image (${parent.code} at ${parent.at})`)
    return {dir, name, path: `/${[...dir, name].join('/')}`, exists: false}
  }

  /** Enters the directories one by one without following links, creating missing ones. */
  const enter = async (components: string[]): Promise<Dir> => {
    let cur = rootDir
    const opened: Dir[] = []
    try {
      for (const c of components) {
        if (c === '.' || c === '..' || c.includes('\0')) throw new WriteRefused(`bad path component ${JSON.stringify(c)}`)
        const at = `${cur.fsPath}/${c}`
        let handle: FileHandle
        try {
          handle = await open(at, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new WriteRefused(`${c}: not a directory that can be entered without following a link (${(error as NodeJS.ErrnoException).code})`)
          await mkdir(at, {mode: 0o755})
          handle = await open(at, constants.O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
        }
        cur = {handle, fsPath: `/proc/self/fd/${handle.fd}`}
        opened.push(cur)
      }
      // Keep only the last; the chain was needed to reach it.
      for (const d of opened.slice(0, -1)) await d.handle.close()
      return cur
    } catch (error) {
      for (const d of opened) await d.handle.close().catch(() => undefined)
      throw error
    }
  }

  const release = async (dir: Dir): Promise<void> => {
    if (dir !== rootDir) await dir.handle.close().catch(() => undefined)
  }

  const readRegular = async (at: string): Promise<{bytes: Buffer; mode: number; uid: number; gid: number} | undefined> => {
    let handle: FileHandle
    try {
      handle = await open(at, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT') return undefined
      throw new WriteRefused(`cannot open it without following a link (${code})`)
    }
    try {
      const info = await handle.stat()
      if (!info.isFile()) throw new WriteRefused('not a regular file any more')
      return {bytes: await handle.readFile(), mode: info.mode & 0o7777, uid: info.uid, gid: info.gid}
    } finally {
      await handle.close()
    }
  }

  return {
    async resolve(hostPath) {
      const p = await place(hostPath)
      return {path: p.path, exists: p.exists}
    },

    async replaceFile(hostPath, before, after) {
      const p = await place(hostPath)
      if (before !== undefined && !p.exists) throw new WriteRefused(`${hostPath}: it was removed since it was read; not written`)
      const dir = await enter(p.dir)
      const target = `${dir.fsPath}/${p.name}`
      const temp = `${dir.fsPath}/.${p.name}.kdumpcheck-${process.pid}-${randomBytes(4).toString('hex')}`
      let made = false
      try {
        const current = await readRegular(target)
        const same = (c: typeof current): boolean => (before === undefined ? c === undefined : c !== undefined && c.bytes.equals(before))
        if (!same(current)) throw new WriteRefused(`${hostPath}: it changed since it was read; not overwritten (run fix again)`)
        const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, current?.mode ?? 0o644)
        made = true
        try {
          await handle.writeFile(after)
          if (current) {
            await handle.chmod(current.mode)
            await handle.chown(current.uid, current.gid).catch(() => undefined)
          }
          await handle.sync()
        } finally {
          await handle.close()
        }
        // The last look before the rename: the window left is the rename itself.
        if (!same(await readRegular(target))) throw new WriteRefused(`${hostPath}: it changed while being replaced; not overwritten`)
        await rename(temp, target)
        made = false
        await dir.handle.sync().catch(() => undefined)
        return p.path
      } finally {
        if (made) await unlink(temp).catch(() => undefined)
        await release(dir)
      }
    },

    async createSymlink(hostPath, target) {
      const parts = hostPath.split('/').filter(Boolean)
      const name = parts.pop()!
      const parent = await lookup(tree, `/${parts.join('/')}`, true)
      let dirParts = parts
      if (parent.ok) {
        await parent.release()
        if (parent.info.type !== 'dir') throw new WriteRefused(`${hostPath}: its parent ${parent.path} is not a directory`)
        dirParts = parent.path.split('/').filter(Boolean)
      } else if (!(parent.code === 'ENOENT' && parent.links === 0)) throw new WriteRefused(`${hostPath}: its directory cannot be resolved inside the image (${parent.code})`)
      const dir = await enter(dirParts)
      try {
        const at = `${dir.fsPath}/${name}`
        const info = await lstat(at).catch(() => undefined)
        if (info) {
          if (info.isSymbolicLink() && (await readlink(at)) === target) return `/${[...dirParts, name].join('/')}`
          throw new WriteRefused(`${hostPath}: something else is already there; not replaced`)
        }
        await symlink(target, at)
        await dir.handle.sync().catch(() => undefined)
        return `/${[...dirParts, name].join('/')}`
      } finally {
        await release(dir)
      }
    },

    async close() {
      await tree.close()
      await rootHandle.close().catch(() => undefined)
    },
  }
}

/**
 * A file written under its final name only once complete: created beside it with O_EXCL (never
 * through a link an attacker planted), fsync'ed, renamed into place. For outputs a user names (the
 * repaired tarball).
 */
export async function atomicOutputStream(file: string): Promise<{stream: import('node:stream').Writable; commit(): Promise<void>; abort(): Promise<void>}> {
  const {dirname, basename, join} = await import('node:path')
  const {createWriteStream} = await import('node:fs')
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW, 0o644)
  const stream = createWriteStream('', {fd: handle.fd, autoClose: false})
  return {
    stream,
    async commit() {
      await handle.sync()
      await handle.close()
      const existing = await lstat(file).catch(() => undefined)
      if (existing && !existing.isFile()) {
        await unlink(temp).catch(() => undefined)
        throw new WriteRefused(`${file}: exists and is not a regular file; not replaced`)
      }
      await rename(temp, file)
    },
    async abort() {
      await handle.close().catch(() => undefined)
      await unlink(temp).catch(() => undefined)
    },
  }
}

/** A whole output file (a diff, a script), written the same way; an empty text stays empty. */
export async function writeOutputFile(file: string, text: string): Promise<void> {
  const out = await atomicOutputStream(file)
  try {
    await new Promise<void>((resolve, reject) => {
      out.stream.once('error', reject)
      out.stream.end(text, () => resolve())
    })
    await out.commit()
  } catch (error) {
    await out.abort()
    throw error
  }
}
