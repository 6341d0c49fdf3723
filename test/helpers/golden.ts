/**
 * Golden files: committed expected outputs that a test compares with byte for byte. A test never writes one
 * by itself: a missing golden file fails (a test that writes its own expectation and then compares the output
 * with itself cannot fail). Updating is an explicit opt-in, `UPDATE_GOLDEN=1 npx vitest run <test>`, refused
 * when CI is set (CI=true, as CI systems set it): CI only ever compares. Read the diff before committing.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {expect} from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** True when the environment variable is set to anything but empty, 0 or false. */
export function envFlag(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env[name]?.trim().toLowerCase()
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}

/**
 * Whether this run may (re)write committed expected files (golden files, generated docs) on the named opt-in
 * variable. Throws when the opt-in is given in CI, so a CI job that sets it fails instead of blessing its output.
 */
export function mayUpdate(variable: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (!envFlag(variable, env)) return false
  if (envFlag('CI', env)) throw new Error(`${variable} is refused when CI is set: CI compares with the committed files and never rewrites them`)
  return true
}

/** Compares `text` with the golden file `file`, writing it first only under UPDATE_GOLDEN=1 outside CI. */
export function expectGolden(file: string, text: string, env: NodeJS.ProcessEnv = process.env): void {
  const rel = path.relative(ROOT, file)
  if (mayUpdate('UPDATE_GOLDEN', env)) writeFileSync(file, text)
  if (!existsSync(file)) {
    expect.fail(`golden file ${rel} is missing: create it with UPDATE_GOLDEN=1 npx vitest run <this test>, read it, and commit it`)
  }
  expect(text, `output differs from ${rel} (after an intended change: UPDATE_GOLDEN=1, then read the diff)`).toBe(readFileSync(file, 'utf8'))
}
