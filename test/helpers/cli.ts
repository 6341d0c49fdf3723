/** Runs the built CLI as a user would: `node bin/run.js ...` (tests run after `npm run build`). */
import {spawnSync} from 'node:child_process'
import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '../..')

export interface CliResult {
  status: number | null
  stdout: string
  stderr: string
}

export function runCli(args: string[], options: {input?: string; env?: Record<string, string>} = {}): CliResult {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/run.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    input: options.input ?? '',
    // vitest sets NODE_ENV=test, which makes oclif print development warnings no user sees.
    env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1', ...options.env},
    timeout: 60_000,
  })
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}
