/** Runs the built CLI asynchronously (scan tests need to signal it and to run several at once). */
import {spawn, type ChildProcess} from 'node:child_process'
import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '../..')
/** KDUMPCHECK_TEST_CLI points at another build (a developer's private copy while dist/ is rebuilt). */
export const CLI = process.env.KDUMPCHECK_TEST_CLI ?? path.join(repoRoot, 'bin/run.js')

export interface AsyncCliResult {
  status: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
}

export function startCli(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}): {child: ChildProcess; done: Promise<AsyncCliResult>} {
  const started = Date.now()
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: {...process.env, NO_COLOR: '1', ...options.env},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()))
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  const done = new Promise<AsyncCliResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (status, signal) => resolve({status, signal, stdout, stderr, ms: Date.now() - started}))
  })
  return {child, done}
}

export function runCliAsync(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}): Promise<AsyncCliResult> {
  return startCli(args, options).done
}
