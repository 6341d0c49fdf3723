/** Runs the built CLI as a user would: `node bin/run.js ...` (tests run after `npm run build`). */
import {spawnSync} from 'node:child_process'
import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '../..')
/** KDUMPCHECK_TEST_CLI points at another build (a copy of main, to see a new test fail before the fix). */
export const CLI = process.env.KDUMPCHECK_TEST_CLI ?? path.join(repoRoot, 'bin/run.js')

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: {input?: string; env?: Record<string, string>} = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    input: options.input ?? '',
    // vitest sets NODE_ENV=test, which makes oclif print development warnings no user sees.
    env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', ...options.env},
    timeout: 60_000,
  })
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}
