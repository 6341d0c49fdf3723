#!/usr/bin/env node
// Start-up cost of the CLI against bare `node -e 0`, measured in the same run, interleaved so that
// machine load affects both alike. Usage: node bench/startup.mjs [runs=30] [fixture]
// Needs `npm run build` first. Writes bench/out/startup.json and prints a Markdown table.
import {spawnSync} from 'node:child_process'
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.argv[2] ?? 30)
const fixture = process.argv[3] ?? 'fixtures/hosts/good-pvops-debian12'
const bin = path.join(root, 'bin/run.js')

const cases = {
  'node -e 0': ['-e', '0'],
  'kdumpcheck --version': [bin, '--version'],
  [`kdumpcheck check --snapshot ${fixture}`]: [bin, 'check', '--snapshot', fixture],
  [`kdumpcheck check --snapshot ${fixture} --json`]: [bin, 'check', '--snapshot', fixture, '--json'],
}

const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
for (let i = 0; i < runs; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const start = process.hrtime.bigint()
    const result = spawnSync(process.execPath, args, {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    const ms = Number(process.hrtime.bigint() - start) / 1e6
    if (result.status !== 0 && result.status !== 1 && result.status !== 3) {
      console.error(`${name} exited ${result.status}: ${result.stderr}`)
      process.exit(2)
    }
    samples[name].push(ms)
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const base = median(samples['node -e 0'])
const rows = Object.entries(samples).map(([name, values]) => ({
  name,
  median_ms: Number(median(values).toFixed(1)),
  min_ms: Number(Math.min(...values).toFixed(1)),
  ratio: Number((median(values) / base).toFixed(2)),
}))
mkdirSync(path.join(root, 'bench/out'), {recursive: true})
writeFileSync(
  path.join(root, 'bench/out/startup.json'),
  JSON.stringify({runs, node: process.version, at: new Date().toISOString(), rows}, null, 2),
)
console.log(`| command | median ms | min ms | x node -e 0 |\n|---|---|---|---|`)
for (const row of rows) console.log(`| \`${row.name}\` | ${row.median_ms} | ${row.min_ms} | ${row.ratio} |`)
