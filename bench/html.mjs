#!/usr/bin/env node
/**
 * The fleet page at 10,000 hosts: how big the file is, how long `kdumpcheck report` takes to write
 * it, and how soon headless Chromium paints it and lists the first hosts, with the floor beside it in
 * the same run (an empty page's first paint in the same browser). Also the longest main-thread task
 * (a frozen page shows as one long task) and the time a filter takes to apply.
 *
 * Two fleets: "shared texts" (the fixtures' 37 hosts repeated under 10,000 names: hosts alike, as a
 * real fleet mostly is, so messages and fixes repeat and the page keeps each once) and "unique
 * texts" (every message, evidence line and fix made unique per host: the worst case for size).
 *
 * Usage: npm run build && node bench/html.mjs [hosts=10000] [runs=3]
 * Appends a section to bench/RESULTS.md and writes bench/out/html.json.
 */
import {spawnSync} from 'node:child_process'
import {appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {Browser, chromiumAvailable, CHROMIUM} from '../test/helpers/chromium.mjs'

const REPO = path.resolve(import.meta.dirname, '..')
const CLI = path.join(REPO, 'bin/run.js')
const HOSTS = Number(process.argv[2] ?? 10000)
const RUNS = Number(process.argv[3] ?? 3)
if (!chromiumAvailable()) {
  console.error(`bench/html.mjs needs ${CHROMIUM}`)
  process.exit(2)
}

const work = mkdtempSync(path.join(tmpdir(), 'kdc-bench-html-'))
const cli = (args) => {
  const start = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [CLI, ...args], {cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 30, env: {...process.env, NODE_ENV: 'production'}})
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (![0, 1, 3].includes(r.status)) throw new Error(`kdumpcheck ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return ms
}

// The fixtures' fleet, scanned offline, as the base of the large files.
const base = path.join(work, 'fixtures.jsonl')
cli(['scan', '--snapshots', 'fixtures/hosts', '--results', base])
const lines = readFileSync(base, 'utf8').trim().split('\n').map((l) => JSON.parse(l))

function fleet(name, unique) {
  const file = path.join(work, `${name}.jsonl`)
  const out = []
  for (let i = 0; i < HOSTS; i++) {
    const l = structuredClone(lines[i % lines.length])
    l.host = `dom0-${String(i).padStart(5, '0')}.${['fra1', 'ams1', 'sjc2', 'nyc3'][i % 4]}`
    l.groups = ['all', ['fra1', 'ams1', 'sjc2', 'nyc3'][i % 4], i % 7 === 0 ? 'canary' : 'prod']
    if (l.scan) l.scan.planned = HOSTS
    if (unique && l.report) {
      for (const f of l.report.findings) {
        f.message = `${f.message} [${l.host}]`
        if (f.fix) f.fix = `${f.fix}\n(${l.host})`
        for (const e of f.evidence) if (e.text !== undefined) e.text = `${e.text} #${i}`
      }
    }
    out.push(JSON.stringify(l))
  }
  writeFileSync(file, `${out.join('\n')}\n`)
  return file
}

const median = (v) => {
  const s = [...v].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

const OBSERVE = `(() => {
  window.__longest = 0;
  try { new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration) }).observe({type: 'longtask', buffered: true}) } catch {}
})()`

async function measure(browser, file, isReport) {
  const page = await browser.newPage()
  // The long-task observer must exist before the page's own script runs.
  await page.send('Page.addScriptToEvaluateOnNewDocument', {source: OBSERVE})
  const start = Date.now()
  await page.goto(pathToFileURL(file).href)
  const loadMs = Date.now() - start
  await page.waitUntil(`performance.getEntriesByName('first-contentful-paint').length > 0`, 120_000)
  if (isReport) await page.waitUntil('window.kdumpcheckReady === true', 300_000)
  const t = await page.evaluate(`(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const listed = performance.getEntriesByName('kdc-hosts-listed')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return {fcp: fcp ? fcp.startTime : null, listed: listed ? listed.startTime : null, load: nav ? nav.loadEventEnd : null, longest: window.__longest, rows: document.querySelectorAll('details.host').length}
  })()`)
  let filterMs = null
  if (isReport) {
    filterMs = await page.evaluate(`(() => { const s = document.getElementById('f-check'); const t0 = performance.now(); s.value = s.options[1].value; s.dispatchEvent(new Event('change')); return performance.now() - t0 })()`)
  }
  await page.close()
  return {...t, loadMs, filterMs}
}

const empty = path.join(work, 'empty.html')
writeFileSync(empty, '<!doctype html><meta charset="utf-8"><title>floor</title><p>empty page</p>')
const results = []
const before = loadavg().map((x) => x.toFixed(2)).join(' ')
for (const [name, unique] of [['shared texts', false], ['unique texts', true]]) {
  const jsonl = fleet(name.replace(' ', '-'), unique)
  const html = path.join(work, `${name.replace(' ', '-')}.html`)
  const renderMs = []
  for (let r = 0; r < RUNS; r++) renderMs.push(cli(['report', jsonl, '--format', 'html', '-o', html]))
  const samples = []
  const floor = []
  for (let r = 0; r < RUNS; r++) {
    // A fresh browser per run, the floor measured in the same browser just before.
    const browser = await Browser.launch({timeoutMs: 180_000})
    try {
      floor.push(await measure(browser, empty, false))
      samples.push(await measure(browser, html, true))
    } finally {
      await browser.close()
    }
  }
  results.push({
    fleet: name,
    hosts: HOSTS,
    resultsMiB: statSync(jsonl).size / 2 ** 20,
    pageMiB: statSync(html).size / 2 ** 20,
    renderMs: median(renderMs),
    floorFcp: median(floor.map((s) => s.fcp)),
    fcp: median(samples.map((s) => s.fcp)),
    listed: median(samples.map((s) => s.listed)),
    load: median(samples.map((s) => s.load)),
    longest: median(samples.map((s) => s.longest)),
    filterMs: median(samples.map((s) => s.filterMs)),
    rows: samples[0].rows,
  })
  console.log(results.at(-1))
}
rmSync(work, {recursive: true, force: true})

const f = (n, d = 0) => (n === null || n === undefined ? 'n/a' : n.toFixed(d))
const section = [
  '',
  `## html: the fleet page at ${HOSTS} hosts (bench/html.mjs, ${new Date().toISOString()})`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model}), node ${process.version}, ${spawnSync(CHROMIUM, ['--version'], {encoding: 'utf8'}).stdout.trim()} headless, load average before: ${before}. Medians of ${RUNS} runs, a fresh browser each; times are the page's own clock from navigation start. Floor: an empty page's first contentful paint in the same browser, just before. "hosts listed": the page's script has parsed the embedded model and built the first 200 rows. "longest task": the longest main-thread task (a frozen page is one long task). "filter": applying a check filter over all hosts.`,
  '',
  '| fleet | hosts | results file MiB | page MiB | report -f html ms | floor: empty page FCP ms | first contentful paint ms | hosts listed ms | load event ms | longest task ms | filter ms | rows built |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.fleet} | ${r.hosts} | ${f(r.resultsMiB, 1)} | ${f(r.pageMiB, 1)} | ${f(r.renderMs)} | ${f(r.floorFcp)} | ${f(r.fcp)} | ${f(r.listed)} | ${f(r.load)} | ${f(r.longest)} | ${f(r.filterMs, 1)} | ${r.rows} |`),
  '',
]
appendFileSync(path.join(REPO, 'bench/RESULTS.md'), section.join('\n'))
mkdirSync(path.join(REPO, 'bench/out'), {recursive: true})
writeFileSync(path.join(REPO, 'bench/out/html.json'), JSON.stringify(results, null, 2))
console.log(section.join('\n'))
