/**
 * `--results FILE.jsonl`: one JSON line per host, appended the moment the host's result is known and
 * flushed to disk before the next one (open with O_APPEND, write, fdatasync, close), so a crash, a
 * SIGKILL or a power cut loses at most the line being written. `--resume` reads it back: a torn last
 * line (the process died mid-write) is ignored and rewritten, a line that is not a result is an error
 * naming it, and a host listed twice keeps its last line.
 */
import {lstat} from 'node:fs/promises'
import {openAppend} from '../io/write-atomic.js'
import {readBoundedText} from '../util/read-bounded.js'
import {InputError} from '../errors.js'
import {SCAN_RESULT_SCHEMA, type HostResult} from './result.js'

export interface ResultsFileContent {
  results: Map<string, HostResult>
  /** True when the file ended in a torn line (discarded). */
  tornTail: boolean
}

export async function readResultsFile(file: string): Promise<ResultsFileContent> {
  let text: string
  // The file --resume reads is the file it appends to: a link is refused here as it is there.
  if ((await lstat(file).catch(() => undefined))?.isSymbolicLink()) throw new InputError(`${file}: is a symbolic link; kdumpcheck never writes through a link`)
  try {
    // Never a FIFO or a device; a results file is one line per host.
    text = await readBoundedText(file, {maxBytes: 1024 * 1024 * 1024, what: 'results'})
  } catch (error) {
    if (error instanceof InputError) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {results: new Map(), tornTail: false}
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') throw new InputError(`${file}: is a directory, not a results file`)
    throw new InputError(`${file}: cannot read results (${(error as Error).message})`)
  }
  const results = new Map<string, HostResult>()
  const lines = text.split('\n')
  const complete = text.endsWith('\n') || text === ''
  let tornTail = false
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue
    const last = i === lines.length - 1
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      if (last && !complete) {
        tornTail = true
        continue
      }
      throw new InputError(`${file}:${i + 1}: not a scan result (invalid JSON)`)
    }
    const result = value as Partial<HostResult>
    if (result?.schema !== SCAN_RESULT_SCHEMA || typeof result.host !== 'string') {
      throw new InputError(`${file}:${i + 1}: not a ${SCAN_RESULT_SCHEMA} line`)
    }
    results.set(result.host, result as HostResult)
  }
  return {results, tornTail}
}

/** Appends results one line at a time, in order, each on disk before the next starts. */
export class ResultsWriter {
  private queue: Promise<void> = Promise.resolve()
  private failure: Error | undefined

  private constructor(readonly file: string) {}

  /** `resume`: keep the file (dropping a torn tail by starting on a fresh line); otherwise it must not exist. */
  static async open(file: string, resume: boolean): Promise<ResultsWriter> {
    let handle
    try {
      // Never through a link, only a regular file (src/io/write-atomic.ts).
      handle = await openAppend(file, {exclusive: !resume})
    } catch (error) {
      if (error instanceof InputError) throw error
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST') {
        const what = await lstat(file).catch(() => undefined)
        if (what?.isSymbolicLink()) throw new InputError(`${file}: is a symbolic link; kdumpcheck never writes through a link`)
        if (what && !what.isFile()) throw new InputError(`${file}: is ${what.isDirectory() ? 'a directory' : 'not a regular file'}, not a results file`)
        throw new InputError(`${file}: results file exists; pass --resume to continue that scan, or choose another file`)
      }
      if (code === 'EISDIR') throw new InputError(`${file}: is a directory, not a results file`)
      throw new InputError(`${file}: cannot write results (${(error as Error).message})`)
    }
    try {
      const {size} = await handle.stat()
      if (size > 0) {
        const last = Buffer.alloc(1)
        await handle.read(last, 0, 1, size - 1)
        if (last[0] !== 0x0a) {
          // The previous run died mid-line: a complete JSON line only lacks its newline; a torn one goes.
          const whole = await handle.readFile()
          const start = whole.lastIndexOf(0x0a) + 1
          let complete = true
          try {
            JSON.parse(whole.subarray(start).toString('utf8'))
          } catch {
            complete = false
          }
          if (complete) await handle.write('\n')
          else await handle.truncate(start)
        }
      }
      await handle.datasync()
    } finally {
      await handle.close()
    }
    return new ResultsWriter(file)
  }

  append(result: HostResult): Promise<void> {
    const line = `${JSON.stringify(result)}\n`
    this.queue = this.queue.then(async () => {
      if (this.failure) return
      try {
        const handle = await openAppend(this.file, {exclusive: false})
        try {
          await handle.write(line)
          await handle.datasync()
        } finally {
          await handle.close()
        }
      } catch (error) {
        this.failure = new InputError(`${this.file}: cannot append a result (${(error as Error).message})`)
      }
    })
    return this.queue
  }

  /** Waits for every pending line; throws when one could not be written. */
  async close(): Promise<void> {
    await this.queue
    if (this.failure) throw this.failure
  }
}
