import type {FileHandle} from 'node:fs/promises'

/** Reads at most `cap` bytes from the start of an open file: evidence files are small; a runaway one must not exhaust memory. */
export async function readHead(handle: FileHandle, size: number, cap: number): Promise<Buffer> {
  const length = Math.min(size, cap)
  const bytes = Buffer.alloc(length)
  let offset = 0
  while (offset < length) {
    const {bytesRead} = await handle.read(bytes, offset, length - offset, offset)
    if (bytesRead === 0) break
    offset += bytesRead
  }
  return bytes.subarray(0, offset)
}
