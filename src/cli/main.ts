/**
 * The entry bin/run.js loads: oclif's execute, bundled with the commands into dist/ (scripts/bundle.mjs)
 * so that start-up loads a few chunks instead of ~150 CommonJS and ESM files. `--version` is answered
 * here, with the formats this build speaks (src/cli/version-flag.ts), before oclif is even loaded.
 */
import {versionOutput} from './version-flag.js'

export async function execute(options: {dir: string}): Promise<unknown> {
  const version = versionOutput(process.argv.slice(2))
  if (version !== undefined) {
    process.stdout.write(version)
    return
  }
  const oclif = await import('@oclif/core')
  return oclif.execute(options)
}
