#!/usr/bin/env node
// Runs vitest, then prints the plain closing line "N passed, N failed" that CI systems read in any language.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

const dir = mkdtempSync(path.join(tmpdir(), 'kdumpcheck-vitest-'))
const results = path.join(dir, 'results.json')
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...process.argv.slice(2)],
  {stdio: 'inherit'},
)
let summary = 'tests: 0 passed, 1 failed (vitest wrote no results)'
try {
  const json = JSON.parse(readFileSync(results, 'utf8'))
  summary = `tests: ${json.numPassedTests} passed, ${json.numFailedTests} failed, ${json.numPendingTests + json.numTodoTests} skipped`
} catch {}
rmSync(dir, {recursive: true, force: true})
console.log(summary)
process.exit(run.status ?? 1)
