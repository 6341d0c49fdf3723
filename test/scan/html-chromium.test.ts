/**
 * The fleet page as a person sees it: Debian's Chromium (/usr/bin/chromium, headless, over the
 * DevTools protocol: test/helpers/chromium.mjs) opens pages that `kdumpcheck report` wrote from
 * file://, and the tests read what is on screen: the counts equal the results file's, filtering by a
 * check lists exactly the hosts that fail it, hostile strings never run, print shows everything.
 * Screenshots go to test-artifacts/html/ (git-ignored) for a person to look at.
 *
 * Without /usr/bin/chromium the tests are skipped with a message; in CI (CI=true) that is a failure.
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {renderScanHtml} from '../../src/scan/html/page.js'
import type {ScanOutput} from '../../src/scan/render.js'
import type {HostResult} from '../../src/scan/result.js'
import {Browser, CHROMIUM, chromiumAvailable} from '../helpers/chromium.mjs'
import {runCli} from '../helpers/cli.js'
import {HOSTILE, hostileResult, readResults, REPO, scanFixtures, tempDir, writeResults} from '../helpers/fleet-results.js'

const ARTIFACTS = path.join(REPO, 'test-artifacts/html')
const available = chromiumAvailable() as boolean

type Page = any

if (!available) {
  if (process.env.CI === 'true') {
    describe('the fleet page in Chromium', () => {
      it('needs Debian’s chromium (.ci/run installs it)', () => {
        throw new Error(`${CHROMIUM} is missing: .ci/run must install the chromium package`)
      })
    })
  } else {
    console.warn(`SKIPPED: the fleet page's browser tests need ${CHROMIUM} (apt-get install chromium); CI runs them.`)
    describe.skip('the fleet page in Chromium (no /usr/bin/chromium here)', () => {
      it('skipped', () => {})
    })
  }
} else {
  describe('the fleet page in Chromium', () => {
    let browser: any
    let dir: string
    let lines: HostResult[]
    let scanned: ScanOutput

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, {recursive: true})
      dir = tempDir('kdc-html-')
      const results = path.join(dir, 'fleet.jsonl')
      scanned = await scanFixtures(results)
      lines = readResults(results)
      report(results, 'fleet')
      browser = await Browser.launch()
    })
    afterAll(async () => {
      await browser?.close()
    })

    /** `kdumpcheck report FILE --format html -o PAGE`, as a user renders it. */
    function report(results: string, name: string): string {
      const page = path.join(dir, `${name}.html`)
      const r = runCli(['report', results, '--format', 'html', '-o', page])
      expect([0, 1, 3], r.stderr).toContain(r.status)
      return page
    }

    async function open(file: string): Promise<Page> {
      const page = await browser.newPage()
      await page.watchNetwork()
      await page.goto(pathToFileURL(file).href)
      await page.waitUntil('window.kdumpcheckReady === true')
      return page
    }

    const names = (page: Page): Promise<string[]> => page.evaluate(`[...document.querySelectorAll('#host-list details.host')].map((d) => d.dataset.name)`)
    async function choose(page: Page, id: string, value: string): Promise<void> {
      await page.evaluate(`(() => { const s = document.getElementById(${JSON.stringify(id)}); s.value = ${JSON.stringify(value)}; s.dispatchEvent(new Event(s.tagName === 'INPUT' ? 'input' : 'change')); })()`)
    }
    const sorted = (list: string[]): string[] => [...list].sort()

    it('shows the counts of the results file, names every host, and fetches nothing', async () => {
      const page = await open(path.join(dir, 'fleet.html'))
      const expected = {READY: 0, NOT_READY: 0, UNVERIFIED: 0, unreachable: 0, error: 0}
      for (const l of lines) expected[l.status === 'unreachable' ? (l.failure === 'garbage' || l.failure === 'internal' ? 'error' : 'unreachable') : l.verdict]++
      const shown = await page.evaluate(`Object.fromEntries([...document.querySelectorAll('#verdict-table tr[data-cat]')].map((r) => [r.dataset.cat, Number(r.querySelector('.count').textContent)]))`)
      expect(shown).toEqual(expected)
      const totals = await page.evaluate(`Object.fromEntries([...document.querySelectorAll('#verdict-totals [data-verdict]')].map((s) => [s.dataset.verdict, Number(s.textContent)]))`)
      expect(totals).toEqual({READY: expected.READY, NOT_READY: expected.NOT_READY, UNVERIFIED: expected.UNVERIFIED + expected.unreachable + expected.error})
      expect(await page.evaluate(`document.getElementById('headline').textContent`)).toBe(
        `${lines.length} hosts: ${expected.NOT_READY} would leave no vmcore (NOT READY), ${expected.UNVERIFIED} cannot be verified, ${expected.READY} READY.`,
      )
      expect(sorted(await names(page))).toEqual(sorted(lines.map((l) => l.host)))
      expect(await page.evaluate(`document.getElementById('hosts-shown').textContent`)).toBe(`All ${lines.length} hosts`)
      // The ranking: each failing check with its host count, linked to its rule text in the page.
      const ranking = await page.evaluate(`[...document.querySelectorAll('#check-table tbody tr')].map((r) => [r.dataset.check, Number(r.querySelector('.fail-count').textContent), r.querySelector('a').getAttribute('href')])`)
      for (const c of scanned.summary.failing_checks) expect(ranking).toContainEqual([c.id, c.hosts, `#rule-${c.id}`])
      const failCounts = ranking.map((r: [string, number]) => r[1])
      expect(failCounts).toEqual([...failCounts].sort((a: number, b: number) => b - a))
      expect(page.requests).toEqual([pathToFileURL(path.join(dir, 'fleet.html')).href])
      expect(page.errors).toEqual([])
      expect(page.dialogs).toEqual([])
      writeFileSync(path.join(ARTIFACTS, 'fleet.png'), await page.screenshot({fullPage: true}))
      await page.close()
    })

    it('filtering by a check shows exactly the hosts that fail it; by verdict and by name likewise', async () => {
      const page = await open(path.join(dir, 'fleet.html'))
      const failing = new Map<string, string[]>()
      for (const l of lines) for (const f of l.report?.findings ?? []) if (f.status === 'fail') failing.set(f.id, [...(failing.get(f.id) ?? []), l.host])
      expect(failing.size).toBeGreaterThan(5)
      for (const [id, hosts] of failing) {
        await choose(page, 'f-check', `fail:${id}`)
        expect(sorted(await names(page)), id).toEqual(sorted(hosts))
        expect(await page.evaluate(`document.getElementById('hosts-shown').textContent`)).toBe(`${hosts.length} of ${lines.length} hosts match`)
      }
      // The ranking's own button does the same.
      await page.evaluate(`document.querySelector('#check-table button[data-filter-check="fail:KD301"]').click()`)
      expect(sorted(await names(page))).toEqual(sorted(failing.get('KD301')!))
      expect(await page.evaluate(`document.getElementById('f-check').value`)).toBe('fail:KD301')
      await page.evaluate(`document.getElementById('f-reset').click()`)
      expect(await names(page)).toHaveLength(lines.length)
      await choose(page, 'f-verdict', 'NOT_READY')
      expect(sorted(await names(page))).toEqual(sorted(lines.filter((l) => l.verdict === 'NOT_READY').map((l) => l.host)))
      await choose(page, 'f-verdict', 'READY')
      await choose(page, 'f-search', 'DEBIAN12')
      expect(sorted(await names(page))).toEqual(sorted(lines.filter((l) => l.verdict === 'READY' && l.host.includes('debian12')).map((l) => l.host)))
      await page.close()
    })

    it('filters by inventory group and sorts by column', async () => {
      const grouped = lines.map((l, i) => ({...l, groups: ['all', i % 3 === 0 ? 'fra1' : 'ams1', ...(i % 2 ? ['xen'] : [])]}))
      const page = await open(report(writeResults(path.join(dir, 'grouped.jsonl'), grouped), 'grouped'))
      const groups = await page.evaluate(`[...document.querySelectorAll('#f-group option')].map((o) => [o.value, o.textContent])`)
      const fra1 = groups.find((g: string[]) => g[1] === 'fra1')[0]
      await choose(page, 'f-group', fra1)
      expect(sorted(await names(page))).toEqual(sorted(grouped.filter((l) => l.groups.includes('fra1')).map((l) => l.host)))
      await page.evaluate(`document.getElementById('f-reset').click()`)
      await page.evaluate(`document.querySelector('#host-head button[data-sort="host"]').click()`)
      expect(await names(page)).toEqual(sorted(lines.map((l) => l.host)))
      await page.evaluate(`document.querySelector('#host-head button[data-sort="host"]').click()`)
      expect(await names(page)).toEqual(sorted(lines.map((l) => l.host)).reverse())
      // Default order: worst first.
      await page.evaluate(`document.querySelector('#host-head button[data-sort="verdict"]').click()`)
      const verdicts = await page.evaluate(`[...document.querySelectorAll('#host-list details.host .badge')].map((b) => b.textContent)`)
      expect(verdicts.indexOf('READY')).toBeGreaterThan(verdicts.lastIndexOf('NOT READY'))
      await page.close()
    })

    it('a host opens to its findings, evidence and fix; waived findings say so; rule links open the rule', async () => {
      const page = await open(path.join(dir, 'fleet.html'))
      const body = await page.evaluate(`(() => { const d = document.querySelector('details.host[data-name="target-debian12-small-var"]'); d.open = true; return new Promise((r) => setTimeout(() => r(d.querySelector('.body').innerText), 50)); })()`)
      expect(body).toMatch(/FAIL\s+KD402 Not enough free space for the expected dump/)
      expect(body).toContain('Waived: dumps move to the new /var/crash volume in CHG-2041 (expires 2099-12-31)')
      expect(body).toMatch(/FIX FOR THIS HOST/i)
      expect(body).toMatch(/files\/\S+:\d+/)
      const incident = await page.evaluate(`(() => { const d = document.querySelector('details.host[data-name="incident-el5xen"]'); d.open = true; return new Promise((r) => setTimeout(() => r(d.querySelector('.body').innerText), 50)); })()`)
      expect(incident).toContain('xen_commandline')
      expect(incident).toMatch(/Expired waivers \(no longer applied\)\s+KD300 enabled at boot by the config-management run after reprovisioning \(expired 2020-01-31\)/)
      // Collapsed by default: only what was opened was built.
      expect(await page.evaluate(`document.querySelectorAll('details.host[open]').length`)).toBe(2)
      expect(await page.evaluate(`document.querySelectorAll('details.host .body').length`)).toBe(2)
      writeFileSync(path.join(ARTIFACTS, 'fleet-host-open.png'), await page.screenshot({fullPage: false}))
      await page.evaluate(`document.querySelector('#check-table a[href="#rule-KD301"]').click()`)
      await page.waitUntil(`document.getElementById('rule-KD301').open === true`)
      expect(await page.evaluate(`document.getElementById('rule-KD301').innerText`)).toMatch(/Why it matters[\s\S]*How to fix[\s\S]*References/)
      await page.close()
    })

    it('prints every host expanded, and no controls', async () => {
      const page = await open(path.join(dir, 'fleet.html'))
      await page.emulateMedia('print')
      expect(await page.evaluate(`getComputedStyle(document.querySelector('.controls')).display`)).toBe('none')
      expect(await page.evaluate(`getComputedStyle(document.querySelector('#verdict-table .no-print')).display`)).toBe('none')
      expect(await page.evaluate(`document.querySelector('#verdict-table button').getClientRects().length`)).toBe(0)
      const pdf = await page.pdf()
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
      expect(await page.evaluate(`document.querySelectorAll('details.host[open] .body').length`)).toBe(lines.length)
      expect(await page.evaluate(`[...document.querySelectorAll('details.rule')].every((d) => d.open)`)).toBe(true)
      writeFileSync(path.join(ARTIFACTS, 'fleet.pdf'), pdf)
      await page.close()
    })

    it('hostile strings everywhere: nothing executes, no dialog opens, and the text shows as written', async () => {
      const base = lines.find((l) => l.host === 'incident-el5xen')!
      const hostile = HOSTILE.map((t, i) => hostileResult(base, `${t}#${i}`, t))
      const page = await open(report(writeResults(path.join(dir, 'hostile.jsonl'), hostile), 'hostile'))
      // Open every host and every rule, and print: every string is on the page at once.
      await page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true })`)
      await page.pdf()
      await page.waitUntil(`document.querySelectorAll('details.host .body').length === ${hostile.length}`)
      expect(await page.evaluate(`window.__pwned`)).toBeUndefined()
      expect(page.dialogs).toEqual([])
      expect(page.errors).toEqual([])
      expect(page.requests).toEqual([pathToFileURL(path.join(dir, 'hostile.html')).href])
      expect(await page.evaluate(`document.querySelectorAll('img, iframe, object, embed, svg [onload], [onerror], [onclick]').length`)).toBe(0)
      expect(await page.evaluate(`document.querySelectorAll('script').length`)).toBe(2)
      // Names read as written, with invisible characters made visible.
      const shown = await page.evaluate(`[...document.querySelectorAll('details.host .c-host')].map((s) => s.textContent)`)
      expect(shown).toContain('<script>window.__pwned = "script"</script>#0')
      expect(shown).toContain('</script><script>window.__pwned="breakout"</script>#3')
      expect(shown).toContain('ctl\\u{0}\\u{7}\\u{1b}[31mred\\u{1b}[0m\\u{d}\\nnext line#6')
      expect(shown).toContain('bidi \\u{202e}evil\\u{202c} \\u{2066}x\\u{2069}#8')
      writeFileSync(path.join(ARTIFACTS, 'hostile.png'), await page.screenshot({fullPage: false}))
      await page.close()
    })

    it('the hostile check can fail: the same probe sees a script that does run', async () => {
      const control = path.join(dir, 'control.html')
      writeFileSync(control, '<!doctype html><title>control</title><img src=x onerror="window.__pwned=1"><script>window.kdumpcheckReady = true; alert(1)</script>')
      const page = await browser.newPage()
      await page.goto(pathToFileURL(control).href)
      await page.waitUntil(`window.__pwned === 1`)
      expect(page.dialogs).toHaveLength(1)
      await page.close()
    })

    it('one host, no host, and a host of every failure kind', async () => {
      const one = await open(report(writeResults(path.join(dir, 'one.jsonl'), [lines[0]!]), 'one'))
      expect(await names(one)).toEqual([lines[0]!.host])
      await one.close()
      const none = await open(report(writeResults(path.join(dir, 'none.jsonl'), []), 'none'))
      expect(await names(none)).toEqual([])
      expect(await none.evaluate(`document.getElementById('empty-banner').textContent`)).toMatch(/No host results/)
      expect(none.errors).toEqual([])
      await none.close()
      const kinds = ['refused', 'auth', 'dns', 'hostkey', 'timeout', 'garbage', 'ssh', 'internal'] as const
      const down = kinds.map<HostResult>((failure, i) => ({...lines[0]!, host: `down-${i}`, status: 'unreachable', verdict: 'UNVERIFIED', exit_code: 3, failure, reason: `${failure}: <b>no</b>`, report: undefined}))
      const page = await open(report(writeResults(path.join(dir, 'down.jsonl'), down), 'down'))
      const counts = await page.evaluate(`Object.fromEntries([...document.querySelectorAll('#verdict-table tr[data-cat]')].map((r) => [r.dataset.cat, Number(r.querySelector('.count').textContent)]))`)
      // The lines say their scan planned every fixture: the rest show as not scanned.
      expect(counts).toEqual({READY: 0, NOT_READY: 0, UNVERIFIED: 0, unreachable: 6, error: 2, not_scanned: lines.length - 8})
      const first = await page.evaluate(`document.querySelector('details.host[data-name="down-0"] .c-first').textContent`)
      expect(first).toBe('refused: refused: <b>no</b>')
      expect(page.errors).toEqual([])
      await page.close()
    })

    it('two hosts of the same name (from a hand-made file) stay two rows, each with its own findings', async () => {
      const a = lines.find((l) => l.verdict === 'NOT_READY')!
      const b = lines.find((l) => l.verdict === 'READY')!
      const html = renderScanHtml({...scanned, hosts: [a, {...b, host: a.host}]}, {now: new Date()})
      const file = path.join(dir, 'same-name.html')
      writeFileSync(file, html)
      const page = await open(file)
      expect(await names(page)).toEqual([a.host, a.host])
      const bodies = await page.evaluate(`(() => { document.querySelectorAll('details.host').forEach((d) => { d.open = true }); return new Promise((r) => setTimeout(() => r([...document.querySelectorAll('details.host .body')].map((b) => b.querySelectorAll('.finding.st-fail').length)), 50)); })()`)
      expect(bodies.sort()).toEqual([0, a.report!.findings.filter((f) => f.status === 'fail').length])
      await page.close()
    })

    it('2,000 hosts: rows come in chunks as the reader scrolls, and a filter still counts every host', async () => {
      const many = Array.from({length: 2000}, (_, i) => ({...lines[i % lines.length]!, host: `dom0-${String(i).padStart(4, '0')}`}))
      const page = await open(report(writeResults(path.join(dir, 'many.jsonl'), many), 'many'))
      expect(await page.evaluate(`document.querySelectorAll('details.host').length`)).toBe(200)
      await page.evaluate(`document.getElementById('host-more').scrollIntoView()`)
      await page.waitUntil(`document.querySelectorAll('details.host').length >= 400`)
      const failing = many.filter((l) => l.report?.findings.some((f) => f.id === 'KD301' && f.status === 'fail'))
      await choose(page, 'f-check', 'fail:KD301')
      expect(await page.evaluate(`Number(document.getElementById('hosts-shown').dataset.matching)`)).toBe(failing.length)
      await page.evaluate(`document.getElementById('host-all').click()`)
      expect(sorted(await names(page))).toEqual(sorted(failing.map((l) => l.host)))
      expect(page.errors).toEqual([])
      await page.close()
    })
  })
}
