/**
 * Reads a small input file (a configuration, an inventory, a results file) the way every reader of
 * user-named paths must: opened without blocking (a FIFO would wait for a writer forever), read only
 * when fstat proves a regular file (/dev/zero never ends, a terminal waits for a human), and at most
 * `maxBytes` (a huge file costs the cap, not memory). Errors of the file system (ENOENT, EACCES) are
 * thrown as they are, for the caller to word; the refusals are InputErrors.
 */
import {constants} from 'node:fs'
import {open} from 'node:fs/promises'
import {InputError} from '../errors.js'
import {escapeControls} from './terminal.js'

export interface BoundedRead {
  /** At most this many bytes; a larger file is refused. */
  maxBytes: number
  /** What the file is, for messages: "configuration", "inventory". */
  what: string
}

export async function readBoundedText(file: string, options: BoundedRead): Promise<string> {
  const shown = escapeControls(file)
  const handle = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0))
  try {
    const info = await handle.stat()
    if (info.isDirectory()) throw new InputError(`${shown}: cannot read ${options.what} (a directory, expected a file)`)
    if (!info.isFile()) throw new InputError(`${shown}: cannot read ${options.what} (not a regular file)`)
    const tooLarge = (): InputError => new InputError(`${shown}: ${options.what} larger than ${describeSize(options.maxBytes)}, not read`)
    if (info.size > options.maxBytes) throw tooLarge()
    // Read to the end whatever fstat said (the file may grow), one byte past the cap at most.
    let bytes = Buffer.alloc(Math.min(options.maxBytes + 1, Math.max(info.size + 1, 64 * 1024)))
    let length = 0
    for (;;) {
      if (length === bytes.length) {
        if (length > options.maxBytes) throw tooLarge()
        const grown = Buffer.alloc(Math.min(options.maxBytes + 1, bytes.length * 2))
        bytes.copy(grown, 0, 0, length)
        bytes = grown
      }
      const {bytesRead} = await handle.read(bytes, length, bytes.length - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    if (length > options.maxBytes) throw tooLarge()
    return bytes.subarray(0, length).toString('utf8')
  } finally {
    await handle.close()
  }
}

function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`
  return `${bytes} bytes`
}
