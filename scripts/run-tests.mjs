#!/usr/bin/env node
// Runs vitest, then prints the plain closing line "N passed, N failed" that CI systems read in any language.
//
// `npm test` runs the whole suite on the Node running it. When KDUMPCHECK_TEST_NODES names other Node binaries
// (colon-separated paths; .ci/run fetches the official 22 and 24 with scripts/fetch-node.sh), it then runs the
// suites that exercise the built CLI as users run it (test/cli, the packed-and-installed package, the fixtures)
// under each of them, with that binary first on PATH so that npm and the installed `kdumpcheck` use it too.
// `npm run test:node-matrix` (--node-matrix-only) runs only those.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

export const NODE_MATRIX_SUITES = ['test/cli', 'test/package.test.ts', 'test/fixtures.test.ts']

const args = process.argv.slice(2)
const matrixOnly = args.includes('--node-matrix-only')
const vitestArgs = args.filter((a) => a !== '--node-matrix-only')
const nodes = (process.env.KDUMPCHECK_TEST_NODES ?? '').split(':').filter(Boolean)
if (matrixOnly && nodes.length === 0) {
  console.error('test:node-matrix: set KDUMPCHECK_TEST_NODES to colon-separated Node binaries, e.g. from `bash scripts/fetch-node.sh 24 /tmp/node24`')
  process.exit(2)
}

/** One vitest run under `node`; returns its counts (a run that wrote no results counts as one failure). */
function vitest(node, extra) {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdumpcheck-vitest-'))
  const results = path.join(dir, 'results.json')
  const env = {...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`}
  const run = spawnSync(node, ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${results}`, ...extra], {
    stdio: 'inherit',
    env,
  })
  const version = spawnSync(node, ['-p', 'process.version'], {encoding: 'utf8'}).stdout.trim() || node
  let counts = {passed: 0, failed: 1, skipped: 0, note: ' (vitest wrote no results)'}
  try {
    const json = JSON.parse(readFileSync(results, 'utf8'))
    counts = {passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests, note: ''}
  } catch {}
  rmSync(dir, {recursive: true, force: true})
  if (run.status !== 0 && counts.failed === 0) counts = {...counts, failed: 1, note: ` (vitest exited ${run.status ?? run.signal})`}
  return {version, ...counts}
}

const runs = []
if (!matrixOnly) runs.push({what: 'all suites', ...vitest(process.execPath, vitestArgs)})
for (const node of nodes) runs.push({what: NODE_MATRIX_SUITES.join(', '), ...vitest(node, [...NODE_MATRIX_SUITES, ...vitestArgs])})

const line = (r) => `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`
if (runs.length > 1) for (const r of runs) console.log(`node ${r.version} (${r.what}): ${line(r)}${r.note}`)
const total = runs.reduce((t, r) => ({passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped}), {passed: 0, failed: 0, skipped: 0})
console.log(`tests: ${line(total)}${runs.length === 1 ? runs[0].note : ''}`)
process.exit(total.failed > 0 ? 1 : 0)
