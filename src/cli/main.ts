/**
 * The entry bin/run.js loads: oclif's run, bundled with the commands into dist/ (scripts/bundle.mjs)
 * so that start-up loads a few chunks instead of ~150 CommonJS and ESM files. `--version` is answered
 * here, with the formats this build speaks (src/cli/version-flag.ts), before oclif is even loaded.
 *
 * Errors inside a command are the command's (KdumpcheckCommand.catch). What fails before a command
 * runs (an unknown command name) is turned into the same one line and exit 2 here, never oclif's
 * multi-line banner or a stack trace.
 */
import {oneLine} from './one-line.js'
import {versionOutput} from './version-flag.js'

export async function execute(options: {dir: string}): Promise<unknown> {
  const version = versionOutput(process.argv.slice(2))
  if (version !== undefined) {
    process.stdout.write(version)
    return undefined
  }
  const {flush, run} = await import('@oclif/core')
  try {
    const result = await run(process.argv.slice(2), options.dir)
    await flush()
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
