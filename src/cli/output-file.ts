import {rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {InputError} from '../errors.js'

/** Readers (a node_exporter textfile collector, a CI step) must never see half a file: write beside it, then rename. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  try {
    await writeFile(temp, text, {mode: 0o644})
    await rename(temp, file)
  } catch (error) {
    await rm(temp, {force: true})
    throw new InputError(`${file}: cannot write output (${error instanceof Error ? error.message : String(error)})`)
  }
}
