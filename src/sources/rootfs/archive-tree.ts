/**
 * A rootfs tarball (`docker export`, `tar -C rootfs -cf image.tar .`, gzip'd or not) read as a tree
 * in memory, never extracted.
 *
 * Why not extract into a private temp dir and reuse the directory tree: extraction materialises a
 * hostile archive on the machine's disk (node-tar's preservePaths:false and its `..`/symlink
 * protections then carry the whole defence), writes gigabytes for a `docker export` when we need
 * a few kilobytes, and loses the very metadata the `ls` probes must reproduce unless we run as root
 * (owners), and even then (symlink times, modes under the umask, device nodes node-tar skips).
 * Read in memory, the archive's member names only ever become keys in a tree we build ourselves:
 * nothing is written anywhere, so there is nothing to escape to, and every lookup then goes through
 * the same confined resolver as a directory image. The price is a second streaming pass when a
 * needed file's content was not kept on the first one (a symlink such as /etc/os-release pointing
 * at a file no pattern named), which costs time, not memory.
 *
 * Metadata the archive does not carry is what a fresh ext4 extraction would show: directories are
 * 4096 bytes in 8 blocks with 2 + subdirectories links, files use whole 4 KiB blocks, symlinks
 * longer than 59 bytes take a block, hard links share one inode.
 */
import {createReadStream} from 'node:fs'
import type {ReadEntry} from 'tar'
import {InputError} from '../../errors.js'
import {TreeError, components, type ImageTree, type NodeInfo, type NodeType, type ReadResult, type TreeDir} from './tree.js'

/** More members than any real root filesystem; bounds the metadata a hostile archive can make us hold. */
export const MAX_MEMBERS = 2_000_000
/** Linux's PATH_MAX: a longer member name cannot exist in a booted image. */
export const PATH_MAX = 4096

const S_IFMT: Record<NodeType, number> = {
  file: 0o100000,
  dir: 0o040000,
  symlink: 0o120000,
  char: 0o020000,
  block: 0o060000,
  fifo: 0o010000,
  socket: 0o140000,
  other: 0,
}

interface VNode {
  info: NodeInfo
  linkTarget?: string
  children?: Map<string, VNode>
  /** The ordinal of the member that carries this file's data. */
  member?: number
  content?: ReadResult
  /** Why the content cannot be read (a GNU sparse member, the evidence budget spent). */
  unreadable?: string
}

interface VDir extends TreeDir {
  node: VNode
}

export interface ArchiveTreeOptions {
  /** Canonical paths whose content is worth keeping on the first pass (the evidence patterns). */
  keep: (path: string) => boolean
  /** Per-file cap. */
  fileCap: number
  /** Total content kept in memory. */
  totalCap: number
  /** Problems with single members (skipped), for snapshot.json `errors`. */
  problems: string[]
}

export async function openArchiveTree(file: string, options: ArchiveTreeOptions): Promise<ArchiveTree> {
  const tree = new ArchiveTree(file, options)
  await tree.load()
  return tree
}

export class ArchiveTree implements ImageTree {
  private top: VNode = dirNode(0n)
  private kept = 0
  root: VDir = {brand: 'TreeDir', node: this.top}
  readonly confinement = 'memory' as const

  constructor(
    private readonly file: string,
    private readonly options: ArchiveTreeOptions,
  ) {}

  /** Pass 1: every member's metadata, and the content of the members `keep` names. */
  async load(): Promise<void> {
    let ordinal = 0
    const problem = (message: string): void => {
      if (this.options.problems.length < 200) this.options.problems.push(`${this.file}: ${message}`)
    }
    const onIgnored = (entry: ReadEntry): void => {
      // node-tar hands out no data for member types it does not support; GNU sparse members are
      // the ones a rootfs can hold (`tar --sparse`). Their name exists in the image; their content is unknown.
      if (entry.meta || entry.type !== 'SparseFile') return
      const parts = memberParts(entry.path)
      const parent = parts && parts.length > 0 ? this.parentOf(parts, problem, entry.path) : undefined
      if (!parts || !parent) return
      const node = leaf('file', (entry.mode ?? 0) & 0o7777, {uid: entry.uid ?? 0, gid: entry.gid ?? 0, mtimeNs: BigInt(entry.mtime?.getTime() ?? 0) * 1_000_000n}, entry.size)
      node.unreadable = 'a GNU sparse archive member, not read'
      parent.children!.set(parts[parts.length - 1]!, node)
    }
    await this.stream((entry) => {
      const index = ordinal++
      if (index >= MAX_MEMBERS) throw new InputError(`${this.file}: more than ${MAX_MEMBERS} members, not a root filesystem`)
      if (entry.path.length > PATH_MAX) {
        problem(`member ${JSON.stringify(entry.path.slice(0, 80))}...: a path longer than ${PATH_MAX} bytes, which no root filesystem can hold, skipped`)
        return false
      }
      const parts = memberParts(entry.path)
      if (parts === undefined) {
        problem(`member ${JSON.stringify(entry.path)} climbs out of the archive with '..', skipped`)
        return false
      }
      const mtimeNs = BigInt(entry.mtime?.getTime() ?? 0) * 1_000_000n
      const perm = (entry.mode ?? 0) & 0o7777
      const base = {uid: entry.uid ?? 0, gid: entry.gid ?? 0, mtimeNs}
      if (parts.length === 0) {
        if (entry.type === 'Directory') Object.assign(this.top.info, base, {mode: S_IFMT.dir | perm})
        return false
      }
      const parent = this.parentOf(parts, problem, entry.path)
      if (!parent) return false
      const name = parts[parts.length - 1]!
      const existing = parent.children!.get(name)
      switch (entry.type) {
        case 'Directory': {
          const node = existing?.info.type === 'dir' ? existing : dirNode(mtimeNs)
          Object.assign(node.info, base, {mode: S_IFMT.dir | perm})
          parent.children!.set(name, node)
          return false
        }
        case 'File':
        case 'OldFile':
        case 'ContiguousFile': {
          const node = leaf('file', perm, base, entry.size)
          node.member = index
          parent.children!.set(name, node)
          return this.options.keep(`/${parts.join('/')}`) ? node : false
        }
        case 'Link': {
          const targetParts = entry.linkpath === undefined ? undefined : memberParts(entry.linkpath)
          const target = targetParts === undefined ? undefined : this.nodeAt(targetParts)
          if (!target || target.info.type === 'dir') {
            problem(`hard link ${JSON.stringify(entry.path)} to ${JSON.stringify(entry.linkpath ?? '')}: no such member before it, skipped`)
            return false
          }
          target.info.nlink++
          parent.children!.set(name, target)
          return false
        }
        case 'SymbolicLink': {
          const linkTarget = entry.linkpath ?? ''
          const node = leaf('symlink', 0o777, base, Buffer.byteLength(linkTarget))
          node.info.blocks = node.info.size > 59 ? 8 : 0
          node.linkTarget = linkTarget
          parent.children!.set(name, node)
          return false
        }
        case 'CharacterDevice':
        case 'BlockDevice':
        case 'FIFO': {
          const type: NodeType = entry.type === 'FIFO' ? 'fifo' : entry.type === 'BlockDevice' ? 'block' : 'char'
          const node = leaf(type, perm, base, 0)
          node.info.blocks = 0
          // node-tar decodes device numbers from POSIX ustar/pax headers (docker export's, Go's archive/tar)
          // but not from GNU tar's own format, where they read as 0, 0.
          node.info.rdevMajor = entry.header.devmaj ?? 0
          node.info.rdevMinor = entry.header.devmin ?? 0
          parent.children!.set(name, node)
          return false
        }
        default:
          problem(`member ${JSON.stringify(entry.path)}: ${entry.type} entries are not part of a root filesystem, skipped`)
          return false
      }
    }, onIgnored)
    this.finish()
  }

  /** Pass 2, only when needed: the content of regular files at these canonical paths that pass 1 did not keep. */
  async prefetch(paths: string[]): Promise<void> {
    const wanted = new Map<number, VNode>()
    for (const p of paths) {
      const node = this.nodeAt(components(p), this.root.node)
      if (node && node.info.type === 'file' && !node.content && !node.unreadable && node.member !== undefined) wanted.set(node.member, node)
    }
    if (wanted.size === 0) return
    let ordinal = 0
    await this.stream((entry) => {
      const node = wanted.get(ordinal++)
      return node && entry.size >= 0 ? node : false
    })
  }

  /**
   * Streams the archive, handing each member to `visit`; a node returned gets the member's content
   * (capped). The callback may throw an InputError to stop reading.
   */
  private async stream(visit: (entry: ReadEntry) => VNode | false, ignored?: (entry: ReadEntry) => void): Promise<void> {
    const {Parser} = await import('tar')
    let failure: Error | undefined
    let finish: () => void = () => undefined
    let members = 0
    let sawEnd = false
    const input = createReadStream(this.file)
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        members++
        let node: VNode | false = false
        if (!failure) {
          try {
            node = visit(entry)
          } catch (error) {
            failure = error instanceof Error ? error : new Error(String(error))
            finish()
          }
        }
        if (node) this.capture(entry, node)
        else entry.resume()
      },
    })
    // tar ends an archive with zero blocks: without one the archive was cut short, and the members
    // it lost would read as files the image does not have.
    parser.on('nullBlock', () => (sawEnd = true))
    parser.on('eof', () => (sawEnd = true))
    if (ignored) {
      parser.on('ignoredEntry', (entry: ReadEntry) => {
        if (!failure) ignored(entry)
      })
    }
    await new Promise<void>((resolve) => {
      finish = (): void => {
        input.unpipe(parser)
        input.destroy()
        resolve()
      }
      const fail = (error: Error): void => {
        const cut = /unexpected end of file|Truncated input/i.test(error.message)
        failure ??= new InputError(`${this.file}: ${cut ? 'truncated: the archive ends in the middle' : 'not a readable tar archive'} (${error.message})`)
        finish()
      }
      input.on('error', (error) => fail(new InputError(`${this.file}: cannot read: ${error.message}`)))
      parser.on('error', fail)
      parser.on('abort', fail)
      parser.on('end', finish)
      parser.on('close', finish)
      input.pipe(parser)
    })
    if (failure) throw failure instanceof InputError ? failure : new InputError(failure.message)
    if (!sawEnd && members > 0) throw new InputError(`${this.file}: truncated: the archive ends after ${members} members without tar's end-of-archive marker`)
  }

  /** Keeps the head of a member's data, within the per-file cap and the image's total budget. */
  private capture(entry: ReadEntry, node: VNode): void {
    const want = Math.min(entry.size, this.options.fileCap)
    if (this.kept + want > this.options.totalCap) {
      node.unreadable = `not read: the evidence from this image already fills ${Math.round(this.options.totalCap / 1048576)} MiB`
      entry.resume()
      return
    }
    this.kept += want
    const chunks: Buffer[] = []
    let got = 0
    entry.on('data', (chunk: Buffer) => {
      const room = want - got
      if (room <= 0) return
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk
      // A copy: the parser's chunk may be a view of a much larger buffer.
      chunks.push(Buffer.from(part))
      got += part.length
    })
    entry.on('end', () => {
      node.content = {bytes: Buffer.concat(chunks), size: entry.size}
    })
  }

  /** The directory that will hold member `parts`, creating implicit directories; undefined when a non-directory is in the way. */
  private parentOf(parts: string[], problem: (m: string) => void, raw: string): VNode | undefined {
    let node = this.top
    for (const part of parts.slice(0, -1)) {
      let child = node.children!.get(part)
      if (!child) {
        child = dirNode(0n)
        node.children!.set(part, child)
      }
      if (child.info.type !== 'dir') {
        problem(`member ${JSON.stringify(raw)} lies under ${JSON.stringify(part)}, which is not a directory in the archive, skipped`)
        return undefined
      }
      node = child
    }
    return node
  }

  /** The node at literal member path `parts` (no symlink followed). */
  private nodeAt(parts: string[], from: VNode = this.top): VNode | undefined {
    let node: VNode | undefined = from
    for (const part of parts) {
      node = node?.children?.get(part)
      if (!node) return undefined
    }
    return node
  }

  private finish(): void {
    // Iterative: an archive member may sit 20,000 directories deep, which recursion would not survive.
    const seen = new Set<VNode>()
    const pending: VNode[] = [this.top]
    while (pending.length > 0) {
      const node = pending.pop()!
      if (seen.has(node) || !node.children) continue
      seen.add(node)
      let subdirs = 0
      for (const child of node.children.values()) {
        if (child.info.type === 'dir') {
          subdirs++
          pending.push(child)
        }
      }
      node.info.nlink = 2 + subdirs
    }
    // `tar -cf image.tar rootfs/` wraps the tree in one directory: the image starts inside it.
    const names = [...this.top.children!.keys()]
    const only = names.length === 1 ? this.top.children!.get(names[0]!) : undefined
    if (only?.info.type === 'dir' && only.children!.get('etc')?.info.type === 'dir') this.root = {brand: 'TreeDir', node: only}
  }

  private child(dir: TreeDir, name: string): VNode | undefined {
    return (dir as VDir).node.children?.get(name)
  }

  async rootInfo(): Promise<NodeInfo> {
    return {...this.root.node.info}
  }

  async lstat(dir: TreeDir, name: string): Promise<NodeInfo | undefined> {
    const node = this.child(dir, name)
    return node ? {...node.info} : undefined
  }

  async readlink(dir: TreeDir, name: string): Promise<string> {
    const node = this.child(dir, name)
    if (!node) throw new TreeError('ENOENT', `${name}: no such member`)
    if (node.linkTarget === undefined) throw new TreeError('EINVAL', `${name}: not a symlink`)
    return node.linkTarget
  }

  async descend(dir: TreeDir, name: string): Promise<TreeDir> {
    const node = this.child(dir, name)
    if (!node) throw new TreeError('ENOENT', `${name}: no such member`)
    if (node.info.type !== 'dir') throw new TreeError(node.info.type === 'symlink' ? 'ELOOP' : 'ENOTDIR', `${name}: not a directory`)
    const d: VDir = {brand: 'TreeDir', node}
    return d
  }

  async release(): Promise<void> {}

  async list(dir: TreeDir, limit: number): Promise<{names: string[]; more: boolean}> {
    const names = [...((dir as VDir).node.children?.keys() ?? [])]
    return {names: names.slice(0, limit), more: names.length > limit}
  }

  async read(dir: TreeDir, name: string, cap: number): Promise<ReadResult> {
    const node = this.child(dir, name)
    if (!node) throw new TreeError('ENOENT', `${name}: no such member`)
    if (node.info.type !== 'file') throw new TreeError('ENOTREG', `${name}: not a regular file`)
    if (node.unreadable) throw new TreeError('EUNREADABLE', node.unreadable)
    if (!node.content) throw new TreeError('EUNREADABLE', 'not read: its content was not loaded from the archive')
    return {bytes: node.content.bytes.subarray(0, cap), size: node.content.size}
  }

  async close(): Promise<void> {}
}

function dirNode(mtimeNs: bigint): VNode {
  return {
    info: {type: 'dir', mode: S_IFMT.dir | 0o755, nlink: 2, uid: 0, gid: 0, size: 4096, blocks: 8, mtimeNs, rdevMajor: 0, rdevMinor: 0},
    children: new Map(),
  }
}

function leaf(type: NodeType, perm: number, base: {uid: number; gid: number; mtimeNs: bigint}, size: number): VNode {
  return {
    info: {type, mode: S_IFMT[type] | perm, nlink: 1, ...base, size, blocks: Math.ceil(size / 4096) * 8, rdevMajor: 0, rdevMinor: 0},
  }
}

/** A member name as path components inside the image: leading `/` and `./` dropped; undefined when it uses `..`. */
export function memberParts(name: string): string[] | undefined {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.')
  return parts.includes('..') ? undefined : parts
}
