/**
 * The real-world corpus (issue 11): every item in fixtures/real-world/ goes through the built CLI the way a user
 * would run it (`check --snapshot`, `check --root`, `explain`), and the answer is compared with the expectation that
 * was written before the tool ever saw the item (expect.yaml).
 *
 * Items the tool gets wrong today are listed in fixtures/real-world/known-wrong.yaml (item -> defect class + why) and
 * run as `it.fails`: such a test passes while the tool is still wrong and FAILS once the tool is right, so a fix has
 * to shrink the list. Every other item must match its expectation exactly.
 */
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {repoRoot} from './helpers/cli.js'

const corpusDir = path.join(repoRoot, 'fixtures/real-world')

type Status = 'fail' | 'warn' | 'pass' | 'info' | 'unknown' | 'n/a'
type OneOrMany<T> = T | T[]

interface Claim {
  why: string
}
interface Expectation {
  form: 'snapshot' | 'root' | 'log'
  written: string
  role?: Claim & {match?: string; not_match?: string}
  verdict?: Claim & {is?: string; not?: string[]}
  checks?: Record<string, Claim & {status: OneOrMany<Status>}>
  explain?: {
    crash_found?: Claim & {is: boolean}
    outcome?: Claim & {in: string[]}
    vmcore?: Claim & {is?: string; not?: string}
    cause?: Claim & {include?: string[]; exclude?: string[]}
  }
}

interface KnownWrong {
  class: string | number
  why: string
}

interface Item {
  name: string
  dir: string
  expect: Expectation
}

interface Run {
  status: number | null
  stdout: string
  stderr: string
}

const items: Item[] = readdirSync(corpusDir)
  .filter((name) => statSync(path.join(corpusDir, name)).isDirectory())
  .sort()
  .map((name) => ({
    name,
    dir: path.join(corpusDir, name),
    expect: parse(readFileSync(path.join(corpusDir, name, 'expect.yaml'), 'utf8')) as Expectation,
  }))

const knownWrong = (parse(readFileSync(path.join(corpusDir, 'known-wrong.yaml'), 'utf8')) ?? {}) as Record<string, KnownWrong>

/** The arguments a user would type for this item. */
function argsFor(item: Item): string[] {
  switch (item.expect.form) {
    case 'snapshot':
      return ['check', '--snapshot', path.join(item.dir, 'snapshot'), '--json']
    case 'root':
      return ['check', '--root', path.join(item.dir, 'root'), '--json']
    case 'log': {
      const logDir = path.join(item.dir, 'log')
      return ['explain', ...readdirSync(logDir).sort().map((f) => path.join(logDir, f)), '--json']
    }
  }
}

function runCliAsync(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/run.js'), ...args], {
      cwd: repoRoot,
      env: {...process.env, NODE_ENV: 'production', NO_COLOR: '1'},
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({status, stdout, stderr})
    })
  })
}

const asList = <T>(v: OneOrMany<T>): T[] => (Array.isArray(v) ? v : [v])

/** Every way the tool's answer differs from the expectation; empty when it matches. */
function mismatches(item: Item, run: Run): string[] {
  const out: string[] = []
  const e = item.expect
  if (run.status === 2 || run.status === null) return [`the CLI refused the input (exit ${run.status}): ${run.stderr.trim().split('\n')[0]}`]
  let report: any
  try {
    report = JSON.parse(run.stdout)
  } catch {
    return [`the CLI printed no JSON (exit ${run.status}): ${run.stderr.trim().split('\n')[0]}`]
  }
  if (e.form === 'log') {
    const x = e.explain ?? {}
    const v = report.verdict ?? {}
    // A crash is "found" when the verdict names one, or when the chain's crash link is judged on it (an Oops that
    // never panicked leaves verdict.crash null but the crash link broken: the tool did see it).
    const crashLink = (report.chain ?? []).find((l: {link: string}) => l.link === 'crash')?.status
    const found = (v.crash !== null && v.crash !== undefined) || crashLink === 'ok' || crashLink === 'broken'
    if (x.crash_found && found !== x.crash_found.is)
      out.push(`crash_found: expected ${x.crash_found.is}, got crash=${JSON.stringify(v.crash)}, crash link ${crashLink}`)
    if (x.outcome && !x.outcome.in.includes(v.outcome)) out.push(`outcome: expected one of ${x.outcome.in.join('|')}, got ${v.outcome}`)
    if (x.vmcore?.is && v.vmcore !== x.vmcore.is) out.push(`vmcore: expected ${x.vmcore.is}, got ${v.vmcore}`)
    if (x.vmcore?.not && v.vmcore === x.vmcore.not) out.push(`vmcore: expected anything but ${x.vmcore.not}, got it`)
    const causes: string[] = (report.causes ?? []).map((c: {id: string}) => c.id)
    for (const id of x.cause?.include ?? []) if (!causes.includes(id)) out.push(`cause ${id}: expected, absent (causes: ${causes.join(',') || 'none'})`)
    for (const id of x.cause?.exclude ?? []) if (causes.includes(id)) out.push(`cause ${id}: must not be claimed, but was`)
    return out
  }
  const role: string = report.host?.role ?? ''
  if (e.role?.match && !new RegExp(e.role.match).test(role)) out.push(`role: expected /${e.role.match}/, got "${role}"`)
  if (e.role?.not_match && new RegExp(e.role.not_match).test(role)) out.push(`role: must not match /${e.role.not_match}/, got "${role}"`)
  if (e.verdict?.is && report.verdict !== e.verdict.is) out.push(`verdict: expected ${e.verdict.is}, got ${report.verdict}`)
  if (e.verdict?.not?.includes(report.verdict)) out.push(`verdict: must not be ${report.verdict}`)
  const findings: Array<{id: string; status: Status; message?: string}> = report.findings ?? []
  for (const [id, claim] of Object.entries(e.checks ?? {})) {
    const f = findings.find((x) => x.id === id)
    const want = asList(claim.status)
    if (!f) out.push(`${id}: expected ${want.join('|')}, check absent`)
    else if (!want.includes(f.status)) out.push(`${id}: expected ${want.join('|')}, got ${f.status} (${(f.message ?? '').slice(0, 160)})`)
  }
  return out
}

const runs = new Map<string, Run>()

describe('real-world corpus (issue 11)', () => {
  beforeAll(async () => {
    // Two at a time: the machine is shared; each run is a fresh node process.
    const queue = [...items]
    const worker = async (): Promise<void> => {
      for (let item = queue.shift(); item; item = queue.shift()) runs.set(item.name, await runCliAsync(argsFor(item)))
    }
    await Promise.all([worker(), worker()])
  }, 600_000)

  it('holds at least 30 items, each with a SOURCE.md, one form and reasons for every claim', () => {
    expect(items.length).toBeGreaterThanOrEqual(30)
    for (const item of items) {
      expect(existsSync(path.join(item.dir, 'SOURCE.md')), `${item.name}/SOURCE.md`).toBe(true)
      const forms = (['snapshot', 'root', 'log'] as const).filter((f) => existsSync(path.join(item.dir, f)))
      expect(forms, `${item.name}: exactly one form directory, matching expect.yaml`).toEqual([item.expect.form])
      const claims: Array<Claim | undefined> = [
        item.expect.role,
        item.expect.verdict,
        ...Object.values(item.expect.checks ?? {}),
        ...Object.values(item.expect.explain ?? {}),
      ]
      expect(claims.filter(Boolean).length, `${item.name} expects nothing`).toBeGreaterThan(0)
      for (const c of claims) if (c) expect(c.why?.length ?? 0, `${item.name}: a claim without a reason`).toBeGreaterThan(5)
    }
  })

  it('lists in known-wrong.yaml only items that exist, each with a defect class and a reason', () => {
    for (const [name, entry] of Object.entries(knownWrong)) {
      expect(items.map((i) => i.name), `known-wrong.yaml names ${name}`).toContain(name)
      expect(String(entry.class), `${name}: class`).toMatch(/^(1|2|3|4|5|new-[a-z0-9-]+)$/)
      expect(entry.why.length, `${name}: why`).toBeGreaterThan(10)
    }
  })

  for (const item of items) {
    const wrong = knownWrong[item.name]
    const title = wrong ? `${item.name} (known wrong, class ${wrong.class}: ${wrong.why})` : item.name
    const body = () => {
      const run = runs.get(item.name)
      expect(run, 'the CLI ran').toBeDefined()
      expect(mismatches(item, run!)).toEqual([])
    }
    if (wrong) it.fails(title, body)
    else it(title, body)
  }
})
