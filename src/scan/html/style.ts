/** The fleet page's stylesheet, inlined (the page fetches nothing); its print rules expand every host and drop the controls. */
export const PAGE_STYLE = `
:root { --ready: #1a7f37; --notready: #c62828; --unverified: #b26a00; --unreachable: #6b7280; --error: #7b3fa0; --line: #d8dce2; --muted: #5b6370; --bg2: #f5f7fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; margin: 0 auto; max-width: 1400px; padding: 0 1.2rem 3rem; }
h1 { font-size: 1.5rem; margin: 1.2rem 0 .2rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h4 { margin: .6rem 0 .3rem; font-size: .95rem; }
h5 { margin: .5rem 0 .2rem; font-size: .85rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
code, pre, .evidence-text, .source { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; }
pre { background: var(--bg2); padding: .5rem .7rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
code { background: var(--bg2); padding: 0 .2em; border-radius: 3px; word-break: break-all; }
a { color: #0b57d0; }
.lede { font-size: 1.05rem; margin: .2rem 0 .8rem; }
.muted { color: var(--muted); }
.banner { border-left: 4px solid var(--unverified); background: #fff7e6; padding: .5rem .8rem; margin: .6rem 0; }
.banner.bad { border-color: var(--notready); background: #fdecec; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: .25rem .6rem .25rem 0; vertical-align: top; border-bottom: 1px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.chart-wrap { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
svg.chart text { font: 13px system-ui, sans-serif; fill: #1f2328; }
svg.chart .track { fill: var(--bg2); }
.fill-READY, .cat-READY.badge { fill: var(--ready); background: var(--ready); }
.fill-NOT_READY, .cat-NOT_READY.badge { fill: var(--notready); background: var(--notready); }
.fill-UNVERIFIED, .cat-UNVERIFIED.badge { fill: var(--unverified); background: var(--unverified); }
.fill-unreachable, .cat-unreachable.badge { fill: var(--unreachable); background: var(--unreachable); }
.fill-error, .cat-error.badge { fill: var(--error); background: var(--error); }
.fill-not_scanned { fill: #a0a7b1; }
.fill-fail { fill: var(--notready); }
.badge { display: inline-block; color: #fff; border-radius: 3px; padding: 0 .4em; font-size: .78rem; font-weight: 600; white-space: nowrap; }
.badge.st-fail { background: var(--notready); } .badge.st-warn { background: var(--unverified); } .badge.st-unknown { background: var(--unreachable); }
.badge.st-info, .badge.st-pass, .badge.st-na { background: #4b5563; }
button { font: inherit; cursor: pointer; border: 1px solid var(--line); background: #fff; border-radius: 4px; padding: .1rem .5rem; }
button:hover { background: var(--bg2); }
button.link { border: 0; background: none; color: #0b57d0; padding: 0; text-decoration: underline; }
.controls { display: flex; flex-wrap: wrap; gap: .6rem 1rem; align-items: end; margin: .4rem 0 .6rem; }
.controls label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); }
.controls select, .controls input { font: inherit; padding: .2rem; max-width: 28rem; }
#host-list { border-top: 1px solid var(--line); }
.row, #host-head { display: grid; grid-template-columns: minmax(10rem, 2fr) 7.5rem minmax(12rem, 3fr) minmax(8rem, 1.6fr) minmax(6rem, 1fr) 7rem 5rem; gap: .6rem; align-items: baseline; padding: .3rem .3rem; }
#host-head { font-weight: 600; border-bottom: 2px solid var(--line); position: sticky; top: 0; background: #fff; z-index: 1; }
#host-head button { border: 0; background: none; padding: 0; font-weight: 600; text-align: left; }
#host-head button[aria-sort=ascending]::after { content: " \\25B2"; font-size: .7em; }
#host-head button[aria-sort=descending]::after { content: " \\25BC"; font-size: .7em; }
details.host { border-bottom: 1px solid var(--line); }
details.host > summary { cursor: pointer; list-style: none; }
details.host > summary::-webkit-details-marker { display: none; }
details.host > summary:hover { background: var(--bg2); }
details.host[open] > summary { background: var(--bg2); }
.row > span { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; min-width: 0; }
.c-host { font-weight: 600; }
.body { padding: .3rem 1rem 1rem 1.6rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .3rem 0 .6rem; }
dl.facts div { display: contents; } dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; word-break: break-all; }
.finding { border-left: 4px solid var(--line); padding: .1rem 0 .3rem .8rem; margin: .6rem 0; }
.finding.st-fail { border-color: var(--notready); } .finding.st-warn { border-color: var(--unverified); } .finding.st-unknown { border-color: var(--unreachable); }
.finding.waived { border-style: dashed; opacity: .9; }
.waiver, .policy { background: #eef4ff; padding: .2rem .5rem; }
.message { white-space: pre-wrap; margin: .3rem 0; }
ul.evidence { list-style: none; padding-left: 0; margin: .3rem 0; } ul.evidence li { margin: .1rem 0; word-break: break-all; }
.source { color: var(--muted); }
.fix, .verify { background: #f3faf4; padding: .1rem .7rem .3rem; margin-top: .4rem; }
.md p { margin: .3rem 0; } .md ul { margin: .3rem 0; padding-left: 1.3rem; }
details.rule { border-bottom: 1px solid var(--line); padding: .3rem 0; }
details.rule > summary { cursor: pointer; }
details.rule:target, details.rule[open] { background: #fcfcfd; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1.2rem; } dl.meta dt { color: var(--muted); } dl.meta dd { margin: 0; word-break: break-all; }
.skiplist { max-height: 16rem; overflow: auto; }
.no-js-only { display: none; }
html:not(.js) .no-js-only { display: block; }
@media (max-width: 800px) { .row, #host-head { grid-template-columns: 1fr 7rem; } .c-first, .c-fails, .c-group, .c-dist, .c-xen { display: none; } }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  .controls, .no-print, #host-more, #host-loading { display: none !important; }
  #host-head { position: static; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: block; }
  details.host, .finding, details.rule { break-inside: avoid-page; }
  a { color: inherit; text-decoration: none; }
  .badge { color: #000; border: 1px solid #000; background: none !important; }
  h2 { break-after: avoid; }
}
`
