/**
 * A repaired copy of a rootfs tarball: the input is streamed member by member and copied byte for
 * byte, except the members `fix` edits (replaced: a fresh header with the old mode, owner and
 * names, the new size and time, then the new content) and, before the end-of-archive blocks, the
 * files and links it adds. The input is never extracted and never modified; the output is written
 * beside its final name and renamed into place (io/confined-write.ts's rule for every write).
 * A member that changed since the plan was made (its bytes differ from what was judged) stops the
 * rewrite. When a path occurs twice in the archive, the last occurrence (the one extraction keeps)
 * is the one replaced.
 */
import {createReadStream} from 'node:fs'
import {open} from 'node:fs/promises'
import type {Readable, Writable} from 'node:stream'
import {createGunzip, createGzip} from 'node:zlib'
import {Header, Pax} from 'tar'
import {InputError} from '../errors.js'
import type {ArchiveTree} from '../sources/rootfs/archive-tree.js'
import {lookup} from '../sources/rootfs/tree.js'
import {openAtomicOutput} from '../io/write-atomic.js'
import type {FixPlan} from './types.js'

interface Target {
  rel: string
  hostPath: string
  before?: Buffer
  after: Buffer
}

/** A member name as a path inside the image, or undefined when it climbs out with `..`. */
export function memberPath(name: string): string | undefined {
  const parts: string[] = []
  for (const p of name.split('/')) {
    if (p === '' || p === '.') continue
    if (p === '..') return undefined
    parts.push(p)
  }
  return parts.join('/')
}

class Blocks {
  private chunks: Buffer[] = []
  private have = 0
  private done = false
  private readonly it: AsyncIterator<Buffer>
  constructor(stream: Readable) {
    this.it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  }
  private async fill(n: number): Promise<boolean> {
    while (this.have < n && !this.done) {
      const next = await this.it.next()
      if (next.done) this.done = true
      else {
        this.chunks.push(next.value)
        this.have += next.value.length
      }
    }
    return this.have >= n
  }
  /** Exactly n bytes, or fewer at the end of the stream. */
  async take(n: number): Promise<Buffer> {
    await this.fill(n)
    const all = Buffer.concat(this.chunks)
    const out = all.subarray(0, Math.min(n, all.length))
    const rest = all.subarray(out.length)
    this.chunks = rest.length > 0 ? [rest] : []
    this.have = rest.length
    return out
  }
  /** Passes n bytes to `sink` (or collects them when `collect`), chunk by chunk. */
  async forward(n: number, sink: ((b: Buffer) => Promise<void>) | undefined, collect?: Buffer[]): Promise<void> {
    let left = n
    while (left > 0) {
      if (this.have === 0 && !(await this.fill(1))) throw new InputError('the tarball ends inside a member')
      const head = this.chunks[0]!
      const part = head.length <= left ? head : head.subarray(0, left)
      if (part === head) this.chunks.shift()
      else this.chunks[0] = head.subarray(left)
      this.have -= part.length
      left -= part.length
      if (collect) collect.push(part)
      if (sink) await sink(part)
    }
  }
}

function padded(size: number): number {
  return Math.ceil(size / 512) * 512
}

function paxRecords(body: Buffer): Record<string, string> {
  const out: Record<string, string> = {}
  let pos = 0
  const text = body.toString('utf8')
  while (pos < text.length) {
    const sp = text.indexOf(' ', pos)
    if (sp < 0) break
    const len = Number(text.slice(pos, sp))
    if (!Number.isFinite(len) || len <= 0) break
    const record = text.slice(sp + 1, pos + len - 1)
    const eq = record.indexOf('=')
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1)
    pos += len
  }
  return out
}

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b
}

async function openInput(file: string): Promise<{stream: Readable; gzip: boolean}> {
  const fh = await open(file, 'r')
  const head = Buffer.alloc(2)
  await fh.read(head, 0, 2, 0)
  await fh.close()
  const raw = createReadStream(file)
  return isGzip(head) ? {stream: raw.pipe(createGunzip()), gzip: true} : {stream: raw, gzip: false}
}

interface Member {
  /** The name as the archive writes it (`./etc/fstab`, `etc/fstab`). */
  name: string
  /** Raw blocks of the extension headers before the member (pax, GNU long names). */
  ext: Buffer[]
  header: Buffer
  path: string | undefined
  type: string
  size: number
  decoded: Header
}

/** Walks the members; `visit` decides what to do with each one's data. */
async function walk(file: string, visit: (m: Member, blocks: Blocks) => Promise<void>, atEnd: (trailer: Buffer) => Promise<void>): Promise<void> {
  const {stream} = await openInput(file)
  const blocks = new Blocks(stream)
  let ext: Buffer[] = []
  let pax: Record<string, string> = {}
  let longName: string | undefined
  for (;;) {
    const header = await blocks.take(512)
    if (header.length < 512 || header.every((b) => b === 0)) {
      await atEnd(header)
      stream.destroy()
      return
    }
    const decoded = new Header(header)
    if (!decoded.cksumValid) throw new InputError(`${file}: not a tar archive (bad header checksum)`)
    const type = String.fromCharCode(header[156]!)
    const size = decoded.size ?? 0
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      const data: Buffer[] = []
      if (size > 1 << 20) throw new InputError(`${file}: an extended header of ${size} bytes`)
      await blocks.forward(padded(size), undefined, data)
      const body = Buffer.concat(data)
      if (type === 'x') pax = {...pax, ...paxRecords(body.subarray(0, size))}
      if (type === 'L') longName = body.subarray(0, size).toString('utf8').replace(/\0.*$/s, '')
      ext.push(header, body)
      continue
    }
    const name = pax.path ?? longName ?? decoded.path ?? ''
    await visit({name, ext, header, path: memberPath(name), type, size: pax.size !== undefined ? Number(pax.size) : size, decoded}, blocks)
    ext = []
    pax = {}
    longName = undefined
  }
}

function headerFor(rel: string, like: Header | undefined, size: number, type: 'File' | 'SymbolicLink' | 'Directory', linkpath = ''): Buffer {
  const data = {
    path: rel,
    mode: like?.mode ?? (type === 'Directory' ? 0o755 : type === 'SymbolicLink' ? 0o777 : 0o644),
    uid: like?.uid ?? 0,
    gid: like?.gid ?? 0,
    size,
    mtime: new Date(),
    type,
    linkpath,
    uname: like?.uname ?? 'root',
    gname: like?.gname ?? 'root',
  }
  const h = new Header(data)
  h.encode()
  if (!h.needPax) return h.block!
  return Buffer.concat([new Pax({...data, linkpath: linkpath || undefined} as ConstructorParameters<typeof Pax>[0]).encode(), h.block!])
}

export async function writeRepairedArchive(input: string, output: string, plan: FixPlan, tree: ArchiveTree): Promise<Array<{path: string; resolved: string}>> {
  const targets = new Map<string, Target>()
  const added: Target[] = []
  const links: Array<{rel: string; target: string}> = []
  const dirsNeeded = new Set<string>()
  const resolveNew = async (hostPath: string): Promise<string> => {
    const parts = hostPath.split('/').filter(Boolean)
    const name = parts.pop()!
    const parent = await lookup(tree, `/${parts.join('/')}`, true)
    if (parent.ok) {
      await parent.release()
      if (parent.info.type !== 'dir') throw new InputError(`${hostPath}: its parent is not a directory in the image`)
      return memberPath(`${parent.path}/${name}`)!
    }
    if (parent.code === 'ENOENT' && parent.links === 0) {
      // Directories to add: from the deepest existing one down.
      for (let i = 1; i <= parts.length; i++) {
        const p = `/${parts.slice(0, i).join('/')}`
        const found = await lookup(tree, p, true)
        if (found.ok) await found.release()
        else dirsNeeded.add(memberPath(p)!)
      }
      return memberPath(hostPath)!
    }
    throw new InputError(`${hostPath}: its directory cannot be resolved inside the image (${parent.code})`)
  }
  for (const f of plan.files) {
    if (f.before === undefined) {
      added.push({rel: await resolveNew(f.path), hostPath: f.path, after: Buffer.from(f.after, 'utf8')})
      continue
    }
    const found = await lookup(tree, f.path, true)
    if (!found.ok || found.info.type !== 'file') {
      if (found.ok) await found.release()
      throw new InputError(`${f.path}: not a regular file in the tarball any more`)
    }
    await found.release()
    targets.set(memberPath(found.path)!, {rel: memberPath(found.path)!, hostPath: f.path, before: Buffer.from(f.before, 'utf8'), after: Buffer.from(f.after, 'utf8')})
  }
  for (const l of plan.links) links.push({rel: await resolveNew(l.path), target: l.target})

  // Pass 1: the last member of each edited path (extraction keeps the last), and no hard links.
  const last = new Map<string, number>()
  let index = 0
  // Added members are named like the archive's own (`./etc/...` after `tar -C root -cf - .`).
  let dotSlash = false
  await walk(
    input,
    async (m, blocks) => {
      if (index === 0) dotSlash = m.name.startsWith('./')
      if (m.path !== undefined && targets.has(m.path)) {
        if (m.type === '1') throw new InputError(`/${m.path} is a hard link in the tarball; not rewritten (edit it by hand)`)
        last.set(m.path, index)
      }
      index++
      await blocks.forward(padded(m.size), undefined)
    },
    async () => undefined,
  )
  for (const t of targets.values()) if (!last.has(t.rel)) throw new InputError(`/${t.rel}: not found as a member of the tarball`)

  const {gzip} = await openInput(input)
  const out = await openAtomicOutput(output)
  const sinkStream: Writable = gzip ? createGzip() : out.stream
  if (gzip) sinkStream.pipe(out.stream)
  const write = async (b: Buffer): Promise<void> => {
    if (!sinkStream.write(b)) await new Promise<void>((resolve) => sinkStream.once('drain', () => resolve()))
  }
  try {
    index = 0
    await walk(
      input,
      async (m, blocks) => {
        const t = m.path !== undefined ? targets.get(m.path) : undefined
        if (t && last.get(t.rel) === index) {
          const data: Buffer[] = []
          await blocks.forward(padded(m.size), undefined, data)
          const current = Buffer.concat(data).subarray(0, m.size)
          if (!current.equals(t.before!)) throw new InputError(`${t.hostPath}: changed in the tarball since it was read; nothing written`)
          // Global pax headers stay; this member's own extension headers are replaced.
          for (let i = 0; i < m.ext.length; i += 2) if (m.ext[i]![156] === 0x67) await write(Buffer.concat([m.ext[i]!, m.ext[i + 1]!]))
          await write(headerFor(m.name, m.decoded, t.after.length, 'File'))
          await write(Buffer.concat([t.after, Buffer.alloc(padded(t.after.length) - t.after.length)]))
        } else {
          for (const b of m.ext) await write(b)
          await write(m.header)
          await blocks.forward(padded(m.size), write)
        }
        index++
      },
      async () => {
        const named = (rel: string): string => (dotSlash ? `./${rel}` : rel)
        for (const d of [...dirsNeeded].sort()) await write(headerFor(`${named(d)}/`, undefined, 0, 'Directory'))
        for (const a of added) {
          await write(headerFor(named(a.rel), undefined, a.after.length, 'File'))
          await write(Buffer.concat([a.after, Buffer.alloc(padded(a.after.length) - a.after.length)]))
        }
        for (const l of links) await write(headerFor(named(l.rel), undefined, 0, 'SymbolicLink', l.target))
        await write(Buffer.alloc(1024))
      },
    )
    await new Promise<void>((resolve, reject) => {
      out.stream.once('finish', () => resolve())
      out.stream.once('error', reject)
      sinkStream.end()
    })
    await out.commit()
  } catch (error) {
    sinkStream.destroy()
    await out.abort()
    throw error
  }
  return [...[...targets.values()].map((t) => ({path: t.hostPath, resolved: `/${t.rel}`})), ...added.map((a) => ({path: a.hostPath, resolved: `/${a.rel}`})), ...links.map((l, i) => ({path: plan.links[i]!.path, resolved: `/${l.rel}`}))]
}
