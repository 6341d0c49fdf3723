#!/usr/bin/env node
// Start-up cost of the CLI against bare `node -e 0`, per Node version, measured in the same run and interleaved
// (every command of every Node binary once per round), so that machine load falls on all of them alike.
//
// Usage: node bench/startup.mjs [--runs N] [--node /path/to/node]... [--fixture DIR]
//   (the old positional form `node bench/startup.mjs [runs] [fixture]` still works)
// Default: 30 rounds, the Node running this script only. Needs `npm run build` first.
// Writes bench/out/startup.json and prints a Markdown table per Node version.
//
// Wall time is what users feel but rises and falls with the machine's load; CPU time (user + system of the
// child, from /proc/self/stat's cutime/cstime, averaged) moves much less, so both are reported, with the load
// average before and after. The compile cache (Node 22+) is measured warm (a private XDG_CACHE_HOME filled by a
// first run), cold (an empty one every run: what the first run after an install or upgrade costs) and off.
import {spawnSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
let runs = 30
let fixture = 'fixtures/hosts/good-pvops-debian12'
const nodes = []
const positional = []
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--runs') runs = Number(args[++i])
  else if (args[i] === '--node') nodes.push(args[++i])
  else if (args[i] === '--fixture') fixture = args[++i]
  else positional.push(args[i])
}
if (positional[0]) runs = Number(positional[0])
if (positional[1]) fixture = positional[1]
if (nodes.length === 0) nodes.push(process.execPath)
if (!(runs > 0)) {
  console.error('usage: node bench/startup.mjs [--runs N] [--node PATH]... [--fixture DIR]')
  process.exit(2)
}
const bin = path.join(root, 'bin/run.js')
const work = mkdtempSync(path.join(tmpdir(), 'kdc-bench-'))

/** Children's CPU time so far (ms): cutime + cstime, in clock ticks of 10 ms on Linux. */
function childCpuMs() {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
  return (Number(fields[13]) + Number(fields[14])) * 10
}
const loadavg = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

const baseEnv = {...process.env, NO_COLOR: '1'}
for (const name of ['NODE_COMPILE_CACHE', 'NODE_DISABLE_COMPILE_CACHE', 'NODE_OPTIONS', 'XDG_CACHE_HOME']) delete baseEnv[name]

const cases = []
for (const node of nodes) {
  const version = spawnSync(node, ['-p', 'process.version'], {encoding: 'utf8'}).stdout.trim()
  if (!version) {
    console.error(`${node} does not run`)
    process.exit(2)
  }
  const major = Number(version.slice(1).split('.')[0])
  const warm = path.join(work, `warm-${version}`)
  mkdirSync(warm)
  const check = [bin, 'check', '--snapshot', fixture]
  const add = (name, argv, env = {}, fresh = false) => cases.push({node, version, name, argv, env, fresh, wall: [], cpu: 0})
  add('node -e 0', ['-e', '0'])
  add('kdumpcheck --version', [bin, '--version'], {XDG_CACHE_HOME: warm})
  add(`kdumpcheck check --snapshot ${fixture}`, check, {XDG_CACHE_HOME: warm})
  add(`kdumpcheck check --snapshot ${fixture} --json`, [...check, '--json'], {XDG_CACHE_HOME: warm})
  if (major >= 22) {
    add(`kdumpcheck check --snapshot ${fixture} (compile cache cold)`, check, {}, true)
    add(`kdumpcheck check --snapshot ${fixture} (compile cache off)`, check, {NODE_DISABLE_COMPILE_CACHE: '1'})
  }
  // Fill the warm cache (a no-op on Node 20).
  spawnSync(node, [...check, '--json'], {cwd: root, env: {...baseEnv, XDG_CACHE_HOME: warm}, stdio: 'ignore'})
  spawnSync(node, [bin, '--version'], {cwd: root, env: {...baseEnv, XDG_CACHE_HOME: warm}, stdio: 'ignore'})
}

const loadBefore = loadavg()
const started = new Date().toISOString()
for (let i = 0; i < runs; i++) {
  for (const c of cases) {
    let env = {...baseEnv, ...c.env}
    let cold
    if (c.fresh) {
      cold = mkdtempSync(path.join(work, 'cold-'))
      env = {...env, XDG_CACHE_HOME: cold}
    }
    const cpu0 = childCpuMs()
    const start = process.hrtime.bigint()
    const result = spawnSync(c.node, c.argv, {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']})
    c.wall.push(Number(process.hrtime.bigint() - start) / 1e6)
    c.cpu += childCpuMs() - cpu0
    if (cold) rmSync(cold, {recursive: true, force: true})
    if (result.status !== 0 && result.status !== 1 && result.status !== 3) {
      console.error(`${c.version} ${c.name} exited ${result.status}: ${result.stderr}`)
      process.exit(2)
    }
  }
}
const loadAfter = loadavg()
rmSync(work, {recursive: true, force: true})

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const round = (n) => Number(n.toFixed(1))
const rows = cases.map((c) => {
  const floor = cases.find((f) => f.node === c.node && f.name === 'node -e 0')
  return {
    node: c.version,
    name: c.name,
    median_ms: round(median(c.wall)),
    min_ms: round(Math.min(...c.wall)),
    ratio: Number((median(c.wall) / median(floor.wall)).toFixed(2)),
    cpu_ms: round(c.cpu / runs),
    cpu_ratio: Number((c.cpu / floor.cpu).toFixed(2)),
  }
})
mkdirSync(path.join(root, 'bench/out'), {recursive: true})
writeFileSync(
  path.join(root, 'bench/out/startup.json'),
  JSON.stringify({runs, at: started, cpus: cpus().length, load_before: loadBefore, load_after: loadAfter, rows}, null, 2),
)
console.log(`${runs} interleaved rounds, ${cpus().length} CPUs, load average before ${loadBefore}, after ${loadAfter}\n`)
for (const version of [...new Set(rows.map((r) => r.node))]) {
  console.log(`Node ${version}\n\n| command | median ms | min ms | x node -e 0 | CPU ms | CPU x node -e 0 |\n|---|---:|---:|---:|---:|---:|`)
  for (const r of rows.filter((r) => r.node === version)) {
    console.log(`| \`${r.name}\` | ${r.median_ms} | ${r.min_ms} | ${r.ratio} | ${r.cpu_ms} | ${r.cpu_ratio} |`)
  }
  console.log('')
}
