/**
 * Every write `fix` makes inside an image root, on top of the one write helper (src/io/write-atomic.ts).
 * Writes are confined the way the image reader's lookups are (src/sources/rootfs/tree.ts): the path is
 * resolved inside the image first (an absolute symlink restarts at the image's root, `..` stops
 * there); the resolved path, which holds no link, is then written through a DirectoryWriter on the
 * root, which enters every directory O_DIRECTORY | O_NOFOLLOW through its parent's handle, so a
 * directory swapped for a symlink in the meantime fails instead of leading out. A file is replaced
 * atomically (O_EXCL | O_NOFOLLOW temp file beside it, the old mode and owner, fsync, rename, fsync of
 * the directory) and only if its content is still what the plan was computed from.
 */
import {createHash} from 'node:crypto'
import {realpath} from 'node:fs/promises'
import {InputError} from '../../errors.js'
import {DirectoryWriter} from '../../io/write-atomic.js'
import {lookup, type ImageTree} from '../../sources/rootfs/tree.js'
import {openDirectoryTree} from '../../sources/rootfs/directory-tree.js'

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

export async function openRootWriter(root: string): Promise<RootWriter> {
  if (process.platform !== 'linux') throw new WriteRefused('writing into an image needs Linux (/proc/self/fd)')
  const realRoot = await realpath(root)
  const tree: ImageTree = await openDirectoryTree(realRoot)
  if (tree.confinement !== 'fd') {
    await tree.close()
    throw new WriteRefused('writing into an image needs /proc/self/fd to confine the writes')
  }
  // The root is the directory the user named; nothing below it is ever followed.
  const rootWriter = await DirectoryWriter.open(realRoot, {shown: realRoot, dirMode: 0o755})
  /** The helper's refusals (changed since read, a link, a special file) are this module's. */
  const refused = (error: unknown): never => {
    if (error instanceof InputError) throw new WriteRefused(error.message.replace(`${realRoot}/`, '/'))
    throw error
  }

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

  return {
    async resolve(hostPath) {
      const p = await place(hostPath)
      return {path: p.path, exists: p.exists}
    },

    async replaceFile(hostPath, before, after) {
      const p = await place(hostPath)
      if (before !== undefined && !p.exists) throw new WriteRefused(`${hostPath}: it was removed since it was read; not written`)
      const rel = p.path.replace(/^\/+/, '')
      const expect = before === undefined ? ('absent' as const) : {sha256: createHash('sha256').update(before).digest('hex')}
      try {
        // A new file gets 0644 (the image's, not this machine's umask); a replaced one keeps its mode and owner.
        await rootWriter.replaceFile(rel, after, {expect, createParents: true, ...(before === undefined ? {mode: 0o644} : {})})
      } catch (error) {
        if (error instanceof InputError && /changed since it was read/.test(error.message)) {
          throw new WriteRefused(`${hostPath}: it changed since it was read; not overwritten (run fix again)`)
        }
        refused(error)
      }
      return p.path
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
      const rel = [...dirParts, name].join('/')
      try {
        await rootWriter.symlink(rel, target)
      } catch (error) {
        refused(error)
      }
      return `/${rel}`
    },

    async close() {
      await tree.close()
      await rootWriter.close()
    },
  }
}
