/**
 * The fleet page without a browser: its data (a golden model for the fixtures' fleet), its escaping,
 * that it names nothing to fetch, and `kdumpcheck report` over good, torn, foreign and hostile
 * results files. What a person sees in Chromium is html-chromium.test.ts.
 *
 * A missing golden model fails; regenerate it with UPDATE_GOLDEN=1 after an intended change (refused in CI),
 * and read the diff.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {buildPageModel, type PageModel} from '../../src/scan/html/model.js'
import {escapeHtml, jsonForScript, renderScanHtml} from '../../src/scan/html/page.js'
import type {HostResult} from '../../src/scan/result.js'
import {loadResultsForReport, scanOutputFromResults} from '../../src/scan/results-load.js'
import {runCli} from '../helpers/cli.js'
import {expectGolden} from '../helpers/golden.js'
import {HOSTILE, hostileResult, readResults, REPO, scanFixtures, tempDir, writeResults} from '../helpers/fleet-results.js'

const GOLDEN = path.resolve(import.meta.dirname, '../golden/fleet-page-model.json')

/** The model without what changes from run to run (times of this scan) or is held elsewhere (rule texts: rule-docs.test.ts). */
function stable(model: PageModel): unknown {
  return {
    ...model,
    rendered_by: '<version>',
    scan: {
      ...model.scan,
      runs: model.scan.runs.map((r) => ({...r, started_at: '<time>', version: '<version>'})),
      judged_by: model.scan.judged_by.map(() => '<version>'),
      first_started: '<time>',
      last_finished: '<time>',
      duration_ms: 0,
    },
    rules: Object.fromEntries(Object.entries(model.rules).map(([id, r]) => [id, r.title])),
    hosts: model.hosts.map((h) => ({...h, started_at: '<time>'})),
  }
}

/** The JSON model embedded in a page, read back as the page's script reads it. */
export function embeddedModel(html: string): PageModel {
  const m = /<script type="application\/json" id="kdc-data">([^<]*)<\/script>/.exec(html)
  if (!m) throw new Error('no embedded model')
  return JSON.parse(m[1]!) as PageModel
}

describe('the fleet page model', () => {
  it('matches its golden file for the fixtures fleet (offline scan, one waiver in force, one expired)', async () => {
    const output = await scanFixtures()
    const html = renderScanHtml(output, {now: new Date('2026-01-01T00:00:00Z')})
    const model = embeddedModel(html)
    expect(model).toEqual(JSON.parse(JSON.stringify(buildPageModel(output))))
    const text = `${JSON.stringify(stable(model), null, 1)}\n`
    expectGolden(GOLDEN, text)
    // Beyond the golden file: the model agrees with the scan's own summary, host by host.
    expect(model.hosts.map((h) => h.name)).toEqual(output.hosts.map((h) => h.host))
    expect(model.counts.verdicts).toEqual(output.summary.verdicts)
    expect(Object.values(model.counts.categories).reduce((a, b) => a + b, 0)).toBe(output.hosts.length)
    for (const c of output.summary.failing_checks) expect(model.checks.find((k) => k.id === c.id)?.fail, c.id).toBe(c.hosts)
    const waived = model.hosts.flatMap((h) => h.findings.filter((f) => f.waiver))
    expect(waived.length).toBeGreaterThan(0)
    for (const f of waived) expect(f).toMatchObject({id: 'KD402', waiver: {reason: 'dumps move to the new /var/crash volume in CHG-2041', expires: '2099-12-31'}})
    expect(model.hosts.some((h) => h.expired_waivers.some((w) => w.id === 'KD300' && w.expires === '2020-01-31'))).toBe(true)
    // A waiver changes the exit code a host asks for, never its verdict; an expired one changes nothing.
    expect(model.hosts.find((h) => h.name === 'target-debian12-small-var')).toMatchObject({verdict: 'NOT_READY', fail: ['KD402'], waived: ['KD402']})
    expect(model.hosts.find((h) => h.name === 'target-debian12-small-var')!.exit_code).not.toBe(1)
    expect(model.hosts.find((h) => h.name === 'svc-image-not-enabled-debian12')).toMatchObject({verdict: 'NOT_READY', exit_code: 1, fail: ['KD300']})
    expect(model.hosts.find((h) => h.name === 'svc-image-not-enabled-debian12')!.waived).not.toContain('KD300')
    expect(model.scan.runs).toHaveLength(1)
    expect(model.scan.runs[0]).toMatchObject({mode: 'offline', source: 'fixtures/hosts', concurrency: 4, planned: output.hosts.length, config: 'test/golden/fleet-waivers.yaml'})
  })

  it('keeps each repeated text once, cuts huge texts visibly, and bounds what one host adds', async () => {
    const output = await scanFixtures()
    const base = output.hosts.find((h) => h.host === 'incident-el5xen')!
    const huge = 'A'.repeat(3_000_000)
    const big: HostResult = {
      ...base,
      host: 'huge',
      report: {...base.report!, findings: base.report!.findings.map((f) => ({...f, message: huge, evidence: Array.from({length: 5000}, (_, i) => ({source: `s${i}`, line: i, text: huge}))}))},
    }
    const model = buildPageModel({...output, hosts: [big, {...base, host: 'copy'}, base]})
    const json = JSON.stringify(model)
    expect(json.length).toBeLessThan(2_000_000)
    const h = model.hosts[0]!
    expect(h.findings[0]!.evidence).toHaveLength(40)
    expect(h.findings[0]!.evidence_more).toBe(4960)
    expect(model.strings[h.findings[0]!.message]).toMatch(/^A{4000} … \[2996000 more characters cut for the page; the results file has them all\]$/)
    // The copy's texts are the original's: no string is stored twice.
    expect(new Set(model.strings).size).toBe(model.strings.length)
    expect(model.hosts[1]!.findings).toEqual(model.hosts[2]!.findings)
  })
})

describe('escaping', () => {
  it('escapes HTML metacharacters and makes invisible characters visible', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&#60;a href=&#34;x&#34; onclick=&#39;y&#39;&#62;&#38;amp;&#60;/a&#62;')
    expect(escapeHtml('a\u0000b\u001b[0m\nc\u2028d\u202ee')).toBe('a\\u{0}b\\u{1b}[0m\\nc\\u{2028}d\\u{202e}e')
  })

  it('embeds JSON that no string can break out of', () => {
    const value = {a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028\u2029', d: '&amp;', e: '\ud800', f: 'Grüße 😀 \u202e'}
    const text = jsonForScript(value)
    expect(text).not.toMatch(/[<>&]/)
    // Printable ASCII only: nothing invisible, and Chromium keeps the page's text 8-bit (fast to parse).
    expect(text).toMatch(/^[\x20-\x7e]*$/)
    expect(JSON.parse(text)).toEqual(value)
  })

  it('puts no host text into the page unescaped, and names nothing to fetch', async () => {
    const output = await scanFixtures()
    const base = output.hosts.find((h) => h.host === 'incident-el5xen')!
    const hosts = HOSTILE.map((t, i) => hostileResult(base, `${t}#${i}`, t))
    const html = renderScanHtml({...output, source: HOSTILE.join(' '), hosts}, {now: new Date()})
    // Markup appears only where the page writes it: the head, its own elements, one data blob, one script.
    expect(html.match(/<script\b/g)).toHaveLength(2)
    expect(html).not.toMatch(/<img|<svg onload|<style>body|<a href="https:\/\/example|<!--/i)
    expect(html).not.toMatch(/[\u0000\u0007\u001b\u2028\u2029\u202e]/)
    expect(embeddedModel(html).hosts.map((h) => h.name)).toEqual(hosts.map((h) => h.host))
    // Self-contained: no script, style, image, font or frame from anywhere, and a CSP that forbids them.
    expect(html).not.toMatch(/<(script|img|iframe|link|object|embed|source|video|audio)\b[^>]*\s(src|href)=/i)
    expect(html).not.toMatch(/url\(|@import/i)
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+'; img-src 'none'/)
  })
})

/** A model with its string references resolved, hosts by name, and this render's own times left out: what a reader sees. */
function resolved(model: PageModel): unknown {
  const S = model.strings
  return {
    ...model,
    strings: undefined,
    input: undefined,
    scan: {...model.scan, duration_ms: 0},
    hosts: [...model.hosts]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((h) => ({
        ...h,
        snapshot_errors: h.snapshot_errors.map((i) => S[i]),
        timed_out_probes: h.timed_out_probes.map((i) => S[i]),
        findings: h.findings.map((f) => ({
          ...f,
          message: S[f.message],
          evidence: f.evidence.map(([src, line, text]) => [S[src], line, S[text]]),
          fix: f.fix === undefined ? undefined : S[f.fix],
          verify: f.verify === undefined ? undefined : S[f.verify],
        })),
      })),
  }
}

describe('kdumpcheck report', () => {
  it('renders a scan’s results file in text, json, csv and html, as scan itself does', async () => {
    const dir = tempDir('kdc-report-')
    const file = path.join(dir, 'fleet.jsonl')
    const scanned = await scanFixtures(file)
    // The file holds hosts in the order they finished; the scan's output is in inventory order.
    const byName = (a: {host: string}, b: {host: string}): number => (a.host < b.host ? -1 : 1)
    const csv = runCli(['report', file, '--format', 'csv'])
    expect(csv.status).toBe(1)
    const {renderScanCsv} = await import('../../src/scan/render.js')
    expect(csv.stdout.split('\r\n').sort()).toEqual(renderScanCsv(scanned.hosts).split('\r\n').sort())
    const json = spawnSync(process.execPath, ['bin/run.js', 'report', file, '--format', 'json'], {cwd: REPO, maxBuffer: 1 << 28, encoding: 'utf8', env: {...process.env, NODE_ENV: 'production'}})
    const out = JSON.parse(json.stdout)
    expect(out.summary).toEqual(scanned.summary)
    expect(out.hosts.sort(byName)).toEqual(JSON.parse(JSON.stringify(scanned.hosts)).sort(byName))
    const text = runCli(['report', file])
    const n = scanned.hosts.length
    expect(n).toBeGreaterThan(30)
    expect(text.stdout).toMatch(new RegExp(`^kdumpcheck scan of fixtures/hosts: ${n} of ${n} hosts`))
    expect(text.stdout).toContain('Exit code 1: a host is NOT READY')
    const page = path.join(dir, 'fleet.html')
    const html = runCli(['report', file, '--format', 'html', '-o', page])
    expect(html.status).toBe(1)
    expect(html.stderr).toBe('')
    const model = embeddedModel(readFileSync(page, 'utf8'))
    expect(model.counts.verdicts).toEqual(scanned.summary.verdicts)
    expect(model.hosts.map((h) => h.name).sort()).toEqual(scanned.hosts.map((h) => h.host).sort())
  })

  it('scan --format html writes the same page data as report does from its results', async () => {
    const dir = tempDir('kdc-report-')
    const results = path.join(dir, 'r.jsonl')
    const page = path.join(dir, 'scan.html')
    const scan = runCli(['scan', '--snapshots', 'fixtures/hosts', '--limit', 'good-*,incident-*', '--results', results, '--format', 'html', '-o', page])
    expect(scan.status).toBe(1)
    const fromScan = embeddedModel(readFileSync(page, 'utf8'))
    expect(fromScan.scan.runs[0]).toMatchObject({limit: 'good-*,incident-*', planned: 3, mode: 'offline'})
    const again = runCli(['report', results, '--format', 'html'])
    expect(resolved(embeddedModel(again.stdout))).toEqual(resolved(fromScan))
  })

  it('exits 2 with one line for a missing, special, foreign or binary file', () => {
    const dir = tempDir('kdc-report-')
    const fifo = path.join(dir, 'fifo')
    execFileSync('mkfifo', [fifo])
    const foreign = path.join(dir, 'foreign.jsonl')
    writeFileSync(foreign, '{"level":"info","msg":"started"}\n{"level":"info","msg":"done"}\n')
    const binary = path.join(dir, 'binary.jsonl')
    writeFileSync(binary, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x0a, 0x00]))
    mkdirSync(path.join(dir, 'adir'))
    const cases: Array<[string, RegExp]> = [
      [path.join(dir, 'missing.jsonl'), /cannot read results \(ENOENT/],
      [fifo, /not a regular file/],
      [path.join(dir, 'adir'), /not a regular file/],
      ['/dev/zero', /not a regular file/],
      [foreign, /not a kdumpcheck results file \(line 1: not a kdumpcheck-scan-result\/1 line\)/],
      [binary, /not a kdumpcheck results file \(line 1: not UTF-8 text\)/],
    ]
    for (const [file, message] of cases) {
      const r = runCli(['report', file, '--format', 'html'])
      expect(r.status, file).toBe(2)
      expect(r.stdout, file).toBe('')
      expect(r.stderr.trim().split('\n'), file).toHaveLength(1)
      expect(r.stderr, file).toMatch(message)
    }
  })

  it('an empty results file is no hosts, and proves nothing (exit 3)', () => {
    const file = writeResults(path.join(tempDir('kdc-report-'), 'empty.jsonl'), [])
    const r = runCli(['report', file, '--format', 'html'])
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/no host results; nothing is proven/)
    expect(embeddedModel(r.stdout).counts).toMatchObject({hosts: 0, exit_code: 3})
    expect(r.stdout).toContain('id="empty-banner"')
    expect(runCli(['report', file]).stdout).toMatch(/NO HOSTS[\s\S]*Exit code 3: results are missing/)
  })

  it('skips unusable lines, names them, and never lets a lost line look better', async () => {
    const dir = tempDir('kdc-report-')
    const file = path.join(dir, 'fleet.jsonl')
    await scanFixtures(file)
    const lines = readResults(file)
    const ready = lines.filter((l) => l.verdict === 'READY')
    const notReady = lines.find((l) => l.verdict === 'NOT_READY')!
    const forged = {...notReady, host: 'forged', verdict: 'READY', exit_code: 0, report: {...notReady.report!, verdict: 'READY'}}
    const mixed = writeResults(path.join(dir, 'mixed.jsonl'), ready, [
      'not json at all',
      JSON.stringify({schema: 'something-else/1', host: 'x'}),
      JSON.stringify({...ready[0], host: 'badgroups', groups: 'all'}),
      JSON.stringify({...ready[0], host: 'badverdict', verdict: 'PWNED'}),
      JSON.stringify(forged),
      JSON.stringify({...ready[0], host: 'noreport', report: undefined}),
      JSON.stringify({...ready[0], host: 'unreachable-ready', status: 'unreachable'}),
      `${'['.repeat(100000)}${']'.repeat(100000)}`,
      // Valid, with a foreign field nested 5,000 deep: kept, without the field.
      JSON.stringify({...ready[0], host: 'deep'}).replace(/}$/, `,"extra":${'['.repeat(5000)}${']'.repeat(5000)}}`),
    ])
    const r = runCli(['report', mixed, '--format', 'json'])
    // Only READY hosts are left, yet the exit code is 3: the lost lines might have been anything.
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/skipped 8 unusable lines \(line \d+: not JSON; \.\.\.\); their hosts are missing, so the exit code is at least 3/)
    const out = JSON.parse(r.stdout)
    expect(out.hosts.map((h: HostResult) => h.host).sort()).toEqual([...ready.map((h) => h.host), 'deep'].sort())
    expect(out.hosts.find((h: {host: string}) => h.host === 'deep').extra).toBeUndefined()
    expect(out.input.skipped.map((s: {why: string}) => s.why), JSON.stringify(out.input.skipped)).toEqual([
      'not JSON',
      'not a kdumpcheck-scan-result/1 line',
      'groups is not a list',
      'verdict is not one of READY, NOT_READY, UNVERIFIED',
      'its verdict READY contradicts its own findings (NOT_READY)',
      'a judged host without its report',
      'an unreachable host cannot be READY',
      'the line is not an object',
    ])
    const page = runCli(['report', mixed, '--format', 'html'])
    expect(page.stdout).toContain('id="skipped-banner"')
    expect(page.stdout).toMatch(/<li>line \d+: its verdict READY contradicts its own findings \(NOT_READY\)<\/li>/)
    expect(runCli(['report', mixed]).stdout).toMatch(/^SKIPPED: 8 lines of .* are not usable results/m)
  })

  it('accepts lines whose findings the site policy changed (a violation fails a check the verdict passed)', async () => {
    const dir = tempDir('kdc-report-')
    const config = path.join(dir, 'policy.yaml')
    writeFileSync(config, 'policy:\n  min-crash-region-mb: 100000\n  require-panic-on-oops: true\n')
    const file = path.join(dir, 'fleet.jsonl')
    const scanned = await scanFixtures(file, config)
    const ruled = scanned.hosts.filter((h) => h.verdict === 'READY' && h.report!.findings.some((f) => f.policy && f.status === 'fail'))
    expect(ruled.length).toBeGreaterThan(0)
    const loaded = await loadResultsForReport(file)
    expect(loaded.input.skipped).toEqual([])
    expect(loaded.results).toHaveLength(scanned.hosts.length)
    const model = embeddedModel(runCli(['report', file, '--format', 'html']).stdout)
    const host = model.hosts.find((h) => h.name === ruled[0]!.host)!
    expect(host.verdict).toBe('READY')
    expect(host.findings.some((f) => f.policy?.key === 'min-crash-region-mb' || f.policy?.key === 'require-panic-on-oops')).toBe(true)
  })

  it('a torn last line and a host listed twice: the torn line is skipped, the last line of a host counts', async () => {
    const dir = tempDir('kdc-report-')
    const file = path.join(dir, 'fleet.jsonl')
    await scanFixtures(file)
    const lines = readResults(file)
    const a = lines.find((l) => l.verdict === 'NOT_READY')!
    const b = lines.find((l) => l.verdict === 'READY')!
    const twice = path.join(dir, 'twice.jsonl')
    writeFileSync(twice, `${JSON.stringify(a)}\n${JSON.stringify({...b, host: a.host})}\n${JSON.stringify(b).slice(0, 200)}`)
    const loaded = await loadResultsForReport(twice)
    expect(loaded.input).toMatchObject({duplicates: [a.host], torn_tail: true, skipped: []})
    expect(loaded.results).toHaveLength(1)
    expect(loaded.results[0]!.verdict).toBe('READY')
    const out = scanOutputFromResults(loaded, 10)
    expect(out.summary.exit_code).toBe(3)
    const r = runCli(['report', twice, '--format', 'html'])
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/last line is torn/)
    expect(r.stdout).toContain('id="torn-banner"')
    expect(r.stdout).toMatch(/hosts listed twice<\/dt><dd>[^<]*incident|hosts listed twice/)
  })

  it('an interrupted scan: its planned hosts without a line are counted as not scanned', async () => {
    const dir = tempDir('kdc-report-')
    const file = path.join(dir, 'fleet.jsonl')
    const all = await scanFixtures(file)
    const planned = all.hosts.length
    const ready = readResults(file).filter((l) => l.verdict === 'READY')
    const part = writeResults(path.join(dir, 'part.jsonl'), ready.slice(0, 3))
    const r = runCli(['report', part, '--format', 'json'])
    expect(r.status).toBe(3)
    expect(JSON.parse(r.stdout).summary).toMatchObject({planned, hosts: 3, not_scanned: planned - 3})
    const page = runCli(['report', part, '--format', 'html'])
    expect(page.stdout).toContain('id="interrupted-banner"')
    // A results file from before run records still renders; the page says what it does not know.
    const old = writeResults(path.join(dir, 'old.jsonl'), ready.map(({scan: _scan, ...rest}) => rest))
    const oldPage = runCli(['report', old, '--format', 'html'])
    expect(oldPage.status).toBe(0)
    expect(oldPage.stdout).toContain('not recorded (the results file predates run records)')
  })

  it('reads a results file of 2,000 hosts without a stack overflow or quadratic time', async () => {
    const dir = tempDir('kdc-report-')
    const file = path.join(dir, 'fleet.jsonl')
    await scanFixtures(file)
    const lines = readResults(file)
    const many = writeResults(
      path.join(dir, 'many.jsonl'),
      Array.from({length: 2000}, (_, i) => ({...lines[i % lines.length]!, host: `dom0-${i}`})),
    )
    const r = spawnSync(process.execPath, ['bin/run.js', 'report', many, '--format', 'html'], {cwd: REPO, maxBuffer: 1 << 30, encoding: 'utf8', env: {...process.env, NODE_ENV: 'production'}})
    expect(r.status).toBe(1)
    expect(embeddedModel(r.stdout).hosts).toHaveLength(2000)
  })
})
