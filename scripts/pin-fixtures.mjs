#!/usr/bin/env node
// Shows, for each host fixture (fixtures/hosts/<name>), which checks of the catalogue its <name>.expect.yaml does not
// pin yet, and what the tool says about them today (status, message, evidence source:line), so that a person can
// decide each status against the domain facts before pinning it. It also lists pins the tool disagrees with and the
// known-wrong entries (pins whose right answer the tool does not give yet).
//
//   npm run build && node scripts/pin-fixtures.mjs [NAME ...]        report only (exit 1 when a check is unpinned)
//   node scripts/pin-fixtures.mjs --write NAME ...                   add today's statuses for the UNPINNED checks
//
// --write never changes or removes an existing pin: it only appends missing ids to the status lists, keeping the
// rest of the file (comments, order, wording) as it is. Review the diff: today's output is not the truth.
// Run it again after every rebase: a new check or a new fixture shows up here first.
import {spawnSync} from 'node:child_process'
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseDocument} from 'yaml'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const hosts = path.join(root, 'fixtures/hosts')
const bin = path.join(root, 'bin/run.js')
/** expect.yaml key -> report status */
const LISTS = {fail: 'fail', warn: 'warn', info: 'info', pass: 'pass', unknown: 'unknown', na: 'n/a'}
const KEY_OF = Object.fromEntries(Object.entries(LISTS).map(([key, status]) => [status, key]))

const args = process.argv.slice(2)
const write = args.includes('--write')
const names = args.filter((a) => !a.startsWith('--'))
if (write && names.length === 0) {
  console.error('pin-fixtures: --write needs the fixture names to pin (review each one)')
  process.exit(2)
}

function kdumpcheck(...argv) {
  const run = spawnSync(process.execPath, [bin, ...argv], {encoding: 'utf8', maxBuffer: 64 << 20})
  if (run.error || !run.stdout) {
    console.error(`pin-fixtures: kdumpcheck ${argv.join(' ')} failed (${run.error?.message ?? run.stderr.trim()}); run npm run build first`)
    process.exit(2)
  }
  return JSON.parse(run.stdout)
}

const catalogue = kdumpcheck('rules', '--json').map((r) => r.id)
const all = readdirSync(hosts)
  .filter((n) => statSync(path.join(hosts, n)).isDirectory())
  .sort()
for (const n of names) {
  if (!all.includes(n)) {
    console.error(`pin-fixtures: no fixture ${n} in fixtures/hosts`)
    process.exit(2)
  }
}

let unpinnedTotal = 0
for (const name of names.length ? names : all) {
  const file = path.join(hosts, `${name}.expect.yaml`)
  const doc = parseDocument(readFileSync(file, 'utf8'))
  const expect = doc.toJS() ?? {}
  const pinned = new Map()
  for (const [key, status] of Object.entries(LISTS)) for (const id of expect[key] ?? []) pinned.set(id, status)
  const knownWrong = expect.known_wrong ?? {}
  const report = kdumpcheck('check', '--snapshot', path.join(hosts, name), '--json')
  const byId = new Map(report.findings.map((f) => [f.id, f]))
  const unpinned = catalogue.filter((id) => !pinned.has(id))
  const disagree = [...pinned].filter(([id, status]) => byId.get(id)?.status !== status)
  unpinnedTotal += unpinned.length
  console.log(`\n== ${name}: verdict ${report.verdict} (pinned ${expect.verdict}); ${catalogue.length - unpinned.length}/${catalogue.length} pinned`)
  const show = (f) => {
    const ev = (f.evidence ?? []).map((e) => `${e.source}:${e.line}`).join(', ') || 'no evidence'
    return `${f.status.padEnd(7)} ${f.message.replace(/\s+/g, ' ').slice(0, 220)}\n           [${ev}]`
  }
  for (const id of unpinned) console.log(`  unpinned ${id}: ${byId.has(id) ? show(byId.get(id)) : 'NOT IN THE REPORT'}`)
  for (const [id, status] of disagree) {
    const known = knownWrong[id]
    const tag = known ? `known wrong (today ${known.today}: ${known.why})` : 'DISAGREES'
    console.log(`  pinned   ${id}: ${status}, ${tag}; the tool says ${byId.has(id) ? show(byId.get(id)) : 'nothing'}`)
  }
  if (write && unpinned.length) {
    const lists = {}
    for (const key of Object.keys(LISTS)) lists[key] = [...(expect[key] ?? [])]
    for (const id of unpinned) {
      const status = byId.get(id)?.status
      if (status) lists[KEY_OF[status]].push(id)
    }
    const text = rewriteLists(readFileSync(file, 'utf8'), lists)
    const check = parseDocument(text).toJS()
    for (const [key, ids] of Object.entries(lists)) {
      if (JSON.stringify(check[key] ?? []) !== JSON.stringify(ids.length ? ids.sort() : [])) throw new Error(`pin-fixtures: rewriting ${key} in ${file} went wrong`)
    }
    writeFileSync(file, text)
    console.log(`  wrote ${unpinned.length} new pins to ${path.relative(root, file)} (existing pins untouched): review them`)
  }
}

/** Replaces each status list (a top-level `key: [...]` block) with the sorted list, appending new keys; the rest stays byte for byte. */
function rewriteLists(text, lists) {
  const lines = text.split('\n')
  const render = (key, ids) => {
    const out = []
    let line = `${key}: [`
    for (const [i, id] of ids.sort().entries()) {
      const item = `${id}${i === ids.length - 1 ? ']' : ','}`
      if (line.length + item.length + 1 > 120 && !line.endsWith('[')) {
        out.push(line)
        line = `  ${item}`
      } else line += `${line.endsWith('[') ? '' : ' '}${item}`
    }
    out.push(line)
    return out
  }
  /** The line after a top-level key's block (its value's continuation lines are indented). */
  const blockEnd = (start) => {
    let end = start + 1
    while (end < lines.length && /^\s+\S/.test(lines[end])) end++
    return end
  }
  for (const [key, ids] of Object.entries(lists)) {
    const start = lines.findIndex((l) => l.startsWith(`${key}:`))
    if (start >= 0) lines.splice(start, blockEnd(start) - start, ...(ids.length ? render(key, ids) : []))
  }
  for (const [key, ids] of Object.entries(lists)) {
    if (!ids.length || lines.some((l) => l.startsWith(`${key}:`))) continue
    const ends = Object.keys(lists).map((k) => lines.findIndex((l) => l.startsWith(`${k}:`))).filter((i) => i >= 0).map(blockEnd)
    const at = ends.length ? Math.max(...ends) : lines.length - (lines.at(-1) === '' ? 1 : 0)
    lines.splice(at, 0, ...render(key, ids))
  }
  return lines.join('\n')
}

console.log(`\n${unpinnedTotal} unpinned check statuses`)
process.exit(unpinnedTotal && !write ? 1 : 0)
