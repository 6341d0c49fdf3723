/**
 * `--format html`: one self-contained page for people who look rather than parse. The parts that are
 * small and fixed (the headline, the verdict chart, the ranked checks, the scan's metadata) are
 * written here as HTML, so they paint at once and print without a script; the host table, the
 * per-host findings and the rule reference are built by the page's script from one embedded JSON
 * model (model.ts), in chunks.
 *
 * Nothing is fetched at view time: styles and script are inline, and the page's
 * Content-Security-Policy allows exactly those two (by hash) and no connection, frame, font or image
 * from anywhere. Every text from a host is escaped here (escapeHtml) or set as text by the script;
 * the JSON model is escaped so that no `<`, `>`, `&`, U+2028 or U+2029 appears in it literally,
 * which leaves `</script>` and `<!--` nothing to match.
 */
import {createHash} from 'node:crypto'
import type {ScanOutput} from '../output.js'
import {CLIENT_SCRIPT} from './client.js'
import {buildPageModel, CATEGORIES, type Category, type PageModel} from './model.js'
import {PAGE_STYLE} from './style.js'

export interface HtmlRenderOptions {
  /** When the page was rendered (shown in its footer; not part of the model). */
  now: Date
}

const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/g

/** Text and attribute values: the five HTML metacharacters as entities, invisible characters as visible \u{..}. */
export function escapeHtml(text: string): string {
  return text
    .replace(INVISIBLE, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`)
    .replace(/[\t\n]/g, (c) => (c === '\t' ? '\\t' : '\\n'))
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * JSON safe inside <script type="application/json">: no literal <, >, & (so no `</script>` or `<!--`),
 * and nothing outside printable ASCII (line separators, bidirectional controls and every other non-ASCII
 * character become \uXXXX). Pure ASCII also matters for speed: one non-ASCII character makes Chromium
 * hold the whole text as 16-bit and parse a large page several times slower (bench/RESULTS.md).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[^\x20-\x3b\x3d\x3f-\x7e]|&/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64')
}

const LABEL: Record<Category | 'not_scanned', string> = {
  READY: 'READY',
  NOT_READY: 'NOT READY',
  UNVERIFIED: 'UNVERIFIED',
  unreachable: 'unreachable',
  error: 'error',
  not_scanned: 'not scanned',
}
const MEANING: Record<Category | 'not_scanned', string> = {
  READY: 'every error-level check passed on evidence',
  NOT_READY: 'a crash would leave no vmcore',
  UNVERIFIED: 'judged, but some evidence was unknown',
  unreachable: 'no evidence: could not connect or log in, or timed out',
  error: 'no usable evidence: garbage output or a kdumpcheck error',
  not_scanned: 'planned, but the scan stopped before them',
}

const e = escapeHtml
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`
const pct = (n: number, total: number): string => (total === 0 ? '' : `${((100 * n) / total).toFixed(1)}%`)

function verdictChart(m: PageModel): string {
  const rows: Array<[Category | 'not_scanned', number]> = CATEGORIES.map((c) => [c, m.counts.categories[c]])
  if (m.counts.not_scanned > 0) rows.push(['not_scanned', m.counts.not_scanned])
  const total = m.counts.hosts + m.counts.not_scanned
  const max = Math.max(1, ...rows.map(([, n]) => n))
  const barX = 110
  const barW = 300
  const rowH = 26
  const svg = [
    `<svg class="chart" role="img" aria-labelledby="chart-title" width="${barX + barW + 110}" height="${rows.length * rowH + 4}" viewBox="0 0 ${barX + barW + 110} ${rows.length * rowH + 4}">`,
    `<title id="chart-title">Hosts by verdict: ${rows.map(([c, n]) => `${LABEL[c]} ${n}`).join(', ')}</title>`,
    ...rows.map(([c, n], i) => {
      const y = i * rowH + 2
      const w = Math.round((barW * n) / max)
      return [
        `<text x="0" y="${y + 16}">${LABEL[c]}</text>`,
        `<rect class="track" x="${barX}" y="${y + 3}" width="${barW}" height="16"/>`,
        `<rect class="fill-${c}" x="${barX}" y="${y + 3}" width="${w}" height="16"/>`,
        `<text x="${barX + barW + 8}" y="${y + 16}">${n}${total ? ` (${pct(n, total)})` : ''}</text>`,
      ].join('')
    }),
    '</svg>',
  ].join('\n')
  const table = [
    '<table id="verdict-table"><thead><tr><th>verdict</th><th class="num">hosts</th><th>meaning</th><th class="no-print"></th></tr></thead><tbody>',
    ...rows.map(
      ([c, n]) =>
        `<tr data-cat="${c}"><td><span class="badge cat-${c === 'not_scanned' ? 'unreachable' : c}">${LABEL[c]}</span></td><td class="num count">${n}</td><td class="muted">${MEANING[c]}</td>` +
        `<td class="no-print">${n > 0 && c !== 'not_scanned' ? `<button type="button" class="link" data-filter-cat="${c}">show</button>` : ''}</td></tr>`,
    ),
    '</tbody></table>',
  ].join('\n')
  const v = m.counts.verdicts
  const unverifiedParts = [
    `${m.counts.categories.UNVERIFIED} judged`,
    `${m.counts.categories.unreachable} unreachable`,
    `${m.counts.categories.error} error`,
  ].join(' + ')
  const totals =
    `<p id="verdict-totals">Verdicts: <strong>READY <span data-verdict="READY">${v.READY}</span></strong> · ` +
    `<strong>NOT READY <span data-verdict="NOT_READY">${v.NOT_READY}</span></strong> · ` +
    `<strong>UNVERIFIED <span data-verdict="UNVERIFIED">${v.UNVERIFIED}</span></strong> (${unverifiedParts})` +
    `${m.counts.not_scanned ? `, and <span data-verdict="not_scanned">${m.counts.not_scanned}</span> not scanned (they count as UNVERIFIED in the exit code)` : ''}.</p>`
  return `<div class="chart-wrap">${svg}${table}</div>\n${totals}`
}

function checkRanking(m: PageModel): string {
  if (m.checks.length === 0) return '<p class="muted">No check fails, is unknown, warns or is waived on any host.</p>'
  const max = Math.max(1, ...m.checks.map((c) => c.fail))
  const rows = m.checks.map((c) => {
    const w = Math.round((120 * c.fail) / max)
    const bar = `<svg class="chart" width="124" height="12" aria-hidden="true"><rect class="track" x="0" y="1" width="120" height="10"/><rect class="fill-fail" x="0" y="1" width="${w}" height="10"/></svg>`
    const show = c.fail > 0 ? `<button type="button" class="link" data-filter-check="fail:${e(c.id)}">hosts</button>` : c.unknown > 0 ? `<button type="button" class="link" data-filter-check="unknown:${e(c.id)}">hosts</button>` : ''
    return (
      `<tr data-check="${e(c.id)}"><td><a href="#rule-${encodeURIComponent(c.id)}">${e(c.id)}</a></td><td>${e(c.title)}</td>` +
      `<td class="num fail-count">${c.fail}</td><td>${bar}</td><td class="num">${c.unknown}</td><td class="num">${c.warn}</td><td class="num">${c.waived}</td><td class="no-print">${show}</td></tr>`
    )
  })
  return [
    '<table id="check-table"><thead><tr><th>check</th><th>title</th><th class="num">hosts failing</th><th></th><th class="num">cannot verify</th><th class="num">warn</th><th class="num">waived</th><th class="no-print"></th></tr></thead><tbody>',
    ...rows,
    '</tbody></table>',
  ].join('\n')
}

function banners(m: PageModel): string {
  const out: string[] = []
  const input = m.input
  if (input && input.skipped.length + input.skipped_more > 0) {
    const n = input.skipped.length + input.skipped_more
    out.push(
      `<div class="banner bad" id="skipped-banner"><strong>${plural(n, 'line')} of the results file could not be used</strong> and ${n === 1 ? 'is' : 'are'} left out: the hosts they held are missing below, so this page may look better than the fleet is. ` +
        `<a href="#scan-meta">Which lines and why</a>.</div>`,
    )
  }
  if (input?.torn_tail) out.push('<div class="banner" id="torn-banner">The results file ends in a line cut off mid-write (the scan died): that host is missing below.</div>')
  if (m.counts.not_scanned > 0) {
    out.push(
      `<div class="banner" id="interrupted-banner"><strong>${plural(m.counts.not_scanned, 'planned host')} ${m.counts.not_scanned === 1 ? 'was' : 'were'} not scanned</strong> (the scan was interrupted or died); they count as UNVERIFIED. <code>kdumpcheck scan ... --results FILE --resume</code> finishes them.</div>`,
    )
  }
  if (m.counts.hosts === 0) out.push('<div class="banner bad" id="empty-banner"><strong>No host results.</strong> Nothing here proves that any host would leave a vmcore.</div>')
  return out.join('\n')
}

function metadata(m: PageModel, options: HtmlRenderOptions): string {
  const rows: Array<[string, string]> = []
  const runs = m.scan.runs
  const last = runs.at(-1)
  rows.push(['inventory', e(m.scan.source)])
  if (runs.length === 0) {
    rows.push(['scan runs', '<span class="muted">not recorded (the results file predates run records); times below come from the host lines</span>'])
  }
  rows.push(['first host started', m.scan.first_started ? e(m.scan.first_started) : '<span class="muted">unknown</span>'])
  rows.push(['last host finished', m.scan.last_finished ? e(m.scan.last_finished) : '<span class="muted">unknown</span>'])
  if (last) {
    rows.push(['mode', last.mode === 'ssh' ? 'over OpenSSH' : 'saved snapshots (--snapshots)'])
    rows.push(['concurrency', String(last.concurrency)])
    if (last.limit !== undefined) rows.push(['--limit', `<code>${e(last.limit)}</code>`])
    rows.push(['configuration', last.config ? `${e(last.config)} (fail-on ${last.fail_on})` : `none (fail-on ${last.fail_on})`])
  }
  if (runs.length > 0) {
    rows.push([
      runs.length === 1 ? 'scan run' : `scan runs (${runs.length}, --resume)`,
      runs.map((r) => `${e(r.started_at)}: kdumpcheck ${e(r.version)}, ${plural(r.planned, 'host')} planned, concurrency ${r.concurrency}${r.resume ? ', resumed' : ''}`).join('<br>'),
    ])
  }
  rows.push(['judged by', m.scan.judged_by.length ? m.scan.judged_by.map((v) => `kdumpcheck ${e(v)}`).join(', ') : '<span class="muted">no host was judged</span>'])
  rows.push(['hosts', `${m.counts.hosts} with a result of ${m.counts.planned} planned`])
  const skippedHosts: string[] = []
  for (const [kind, n] of Object.entries(m.failures)) skippedHosts.push(`${plural(n, 'host')} ${kind} <button type="button" class="link no-print" data-filter-cat="${kind === 'garbage' || kind === 'internal' ? 'error' : 'unreachable'}">show</button>`)
  if (m.counts.not_scanned) skippedHosts.push(`${plural(m.counts.not_scanned, 'host')} not scanned (interrupted)`)
  rows.push(['hosts without a verdict', skippedHosts.length ? skippedHosts.join('<br>') : 'none'])
  const input = m.input
  if (input) {
    rows.push(['results file', `${e(input.file)} (${plural(input.lines, 'line')})`])
    if (input.skipped.length + input.skipped_more > 0) {
      const items = input.skipped.map((s) => `<li>line ${s.line}: ${e(s.why)}</li>`)
      if (input.skipped_more) items.push(`<li>and ${input.skipped_more} more</li>`)
      rows.push(['lines skipped', `<ul class="skiplist" id="skipped-lines">${items.join('')}</ul>`])
    }
    if (input.duplicates.length) rows.push(['hosts listed twice', `${input.duplicates.map((d) => e(d)).join(', ')} <span class="muted">(the last line of each counts)</span>`])
  }
  rows.push(['exit code', `${m.counts.exit_code} (worst host wins: 1 NOT READY, 3 UNVERIFIED, 0 READY)`])
  rows.push(['page rendered', `${e(options.now.toISOString())} by kdumpcheck ${e(m.rendered_by)}`])
  return `<dl class="meta" id="meta-list">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`
}

export function renderScanHtml(output: ScanOutput, options: HtmlRenderOptions): string {
  const m = buildPageModel(output)
  return renderPage(m, options)
}

export function renderPage(m: PageModel, options: HtmlRenderOptions): string {
  const c = m.counts
  const headline =
    c.hosts === 0
      ? 'No host results.'
      : `${plural(c.hosts, 'host')}: <strong>${c.verdicts.NOT_READY} would leave no vmcore</strong> (NOT READY), ${c.verdicts.UNVERIFIED} cannot be verified, ${c.verdicts.READY} READY.`
  const csp = [
    "default-src 'none'",
    `script-src 'sha256-${sha256(CLIENT_SCRIPT)}'`,
    `style-src 'sha256-${sha256(PAGE_STYLE)}'`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ')
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="kdumpcheck ${e(m.rendered_by)}">`,
    `<title>kdumpcheck: ${c.verdicts.NOT_READY} of ${c.hosts} hosts NOT READY (${e(m.scan.source)})</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>Will a crash leave a vmcore? <span class="muted">${e(m.scan.source)}</span></h1>`,
    `<p class="lede" id="headline">${headline}</p>`,
    banners(m),
    '</header>',
    '<main>',
    '<section id="verdicts"><h2>Hosts by verdict</h2>',
    verdictChart(m),
    '</section>',
    '<section id="checks"><h2>Checks ranked by hosts failing</h2>',
    '<p class="muted">A failing check (error level) is a broken link of the dump chain: on that host a crash leaves no vmcore. Each ID links to its rule below.</p>',
    checkRanking(m),
    '</section>',
    '<section id="hosts"><h2>Hosts</h2>',
    '<div class="controls" role="search">',
    '<label>Verdict<select id="f-verdict"><option value="">all</option>' +
      CATEGORIES.map((cat) => `<option value="${cat}">${LABEL[cat]}</option>`).join('') +
      '<option value="UNVERIFIED*">UNVERIFIED, unreachable and error</option></select></label>',
    '<label>Check<select id="f-check"><option value="">any</option></select></label>',
    '<label>Inventory group<select id="f-group"><option value="">any</option></select></label>',
    '<label>Host name contains<input id="f-search" type="search" autocomplete="off" spellcheck="false"></label>',
    '<button type="button" id="f-reset">Clear filters</button>',
    '</div>',
    '<p id="hosts-shown" class="muted" aria-live="polite"></p>',
    '<p id="host-loading" class="muted">Listing hosts…</p>',
    '<p class="no-js-only banner">The host table needs JavaScript; every host’s data is in this page’s JSON and in the results file.</p>',
    '<div id="host-list" role="list">',
    '<div id="host-head" role="presentation"><button type="button" data-sort="host">host</button><button type="button" data-sort="verdict">verdict</button><button type="button" data-sort="first">first broken link</button><button type="button" data-sort="fails">failing checks</button><button type="button" data-sort="group">groups</button><button type="button" data-sort="distribution">distribution</button><button type="button" data-sort="xen">Xen</button></div>',
    '</div>',
    '<p id="host-more"><button type="button" id="host-all">List every matching host</button></p>',
    '</section>',
    '<section id="scan-meta"><h2>About this scan</h2>',
    metadata(m, options),
    '</section>',
    '<section id="rules"><h2>Rules</h2><p class="muted">The rule text of every check, as <code>kdumpcheck rules ID</code> prints it.</p><div id="rule-list"></div></section>',
    '</main>',
    `<script type="application/json" id="kdc-data">${jsonForScript(m)}</script>`,
    `<script>${CLIENT_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n')
}
