/**
 * The entry bin/run.js loads: oclif's run, bundled with the commands into dist/ (scripts/bundle.mjs)
 * so that start-up loads a few chunks instead of ~150 CommonJS and ESM files.
 *
 * Errors inside a command are the command's (KdumpcheckCommand.catch). What fails before a command
 * runs (an unknown command name) is turned into the same one line and exit 2 here, never oclif's
 * multi-line banner or a stack trace.
 */
import {flush, run} from '@oclif/core'
import {oneLine} from './one-line.js'

export async function execute(options: {dir: string}): Promise<unknown> {
  try {
    const result = await run(process.argv.slice(2), options.dir)
    flush()
    return result
  } catch (error) {
    const e = error as Error & {oclif?: {exit?: number}; code?: string}
    // oclif's exit() (help, version) carries its own status.
    if (e.code === 'EEXIT' && e.oclif?.exit !== undefined) {
      process.exitCode = e.oclif.exit
      return undefined
    }
    if (process.env.KDUMPCHECK_DEBUG) process.stderr.write(`${e.stack}\n`)
    const message = (e.message || String(error)).replace(/^\s*Error:\s*/, '').replace(/\s*\n\s*/g, '; ')
    process.stderr.write(`kdumpcheck: error: ${oneLine(message)}${e.oclif ? ' (see --help)' : ''}\n`)
    process.exitCode = 2
    return undefined
  }
}
