/**
 * A minimal tar writer for tests that need archives no well-behaved tar would write: any member
 * name (newlines, control characters, `..`, 40,000 components, via a pax header), any type, a
 * missing end-of-archive marker. POSIX ustar headers, pax `path`/`linkpath` records when a name
 * does not fit.
 */
import {gzipSync} from 'node:zlib'

export type MemberType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'fifo' | 'char' | 'block'

export interface Member {
  name: string
  type?: MemberType
  data?: Buffer | string
  linkpath?: string
  mode?: number
  mtime?: number
  uid?: number
  gid?: number
  devmajor?: number
  devminor?: number
}

const TYPEFLAG: Record<MemberType, string> = {file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6'}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`
}

function header(name: string, typeflag: string, size: number, m: Member, linkpath = ''): Buffer {
  const h = Buffer.alloc(512)
  h.write(name, 0, 100, 'utf8')
  h.write(octal(m.mode ?? (typeflag === '5' ? 0o755 : 0o644), 8), 100, 'ascii')
  h.write(octal(m.uid ?? 0, 8), 108, 'ascii')
  h.write(octal(m.gid ?? 0, 8), 116, 'ascii')
  h.write(octal(size, 12), 124, 'ascii')
  h.write(octal(m.mtime ?? 1_700_000_000, 12), 136, 'ascii')
  h.write('        ', 148, 'ascii')
  h.write(typeflag, 156, 'ascii')
  h.write(linkpath, 157, 100, 'utf8')
  h.write('ustar\u000000', 257, 'binary')
  h.write(octal(m.devmajor ?? 0, 8), 329, 'ascii')
  h.write(octal(m.devminor ?? 0, 8), 337, 'ascii')
  let sum = 0
  for (const byte of h) sum += byte
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii')
  return h
}

function pad(data: Buffer): Buffer {
  const rest = data.length % 512
  return rest === 0 ? data : Buffer.concat([data, Buffer.alloc(512 - rest)])
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`
  let length = Buffer.byteLength(body) + 1
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body)
  return `${length}${body}`
}

export function tarBytes(members: Member[], options: {end?: boolean} = {}): Buffer {
  const blocks: Buffer[] = []
  for (const m of members) {
    const type = m.type ?? 'file'
    const data = type === 'file' ? Buffer.from(m.data ?? '') : Buffer.alloc(0)
    const link = m.linkpath ?? ''
    const long = Buffer.byteLength(m.name) > 99 || Buffer.byteLength(link) > 99
    if (long) {
      const pax = Buffer.from(paxRecord('path', m.name) + (link ? paxRecord('linkpath', link) : ''))
      blocks.push(header('PaxHeader', 'x', pax.length, {name: 'PaxHeader'}), pad(pax))
    }
    blocks.push(header(long ? 'long' : m.name, TYPEFLAG[type], data.length, m, long ? '' : link), pad(data))
  }
  if (options.end !== false) blocks.push(Buffer.alloc(1024))
  return Buffer.concat(blocks)
}

export function tarGzBytes(members: Member[], options: {end?: boolean} = {}): Buffer {
  return gzipSync(tarBytes(members, options))
}
