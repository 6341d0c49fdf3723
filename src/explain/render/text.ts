import {configurationLines} from '../configuration.js'
/** The terminal story: verdict first, then the chain, what happened (with the quoted lines), why, and what was read. */
import type {ExplainResult, TimelineEntry} from '../result.js'
import {anyInferred, displayName, FACT_WORDS, formatsLine, LINK_WORDS, OUTCOME_WORDS, STATUS_WORDS, timeLabel, visibleTimeline, yesNo} from './common.js'

const WIDTH = 100
const TIMELINE_LIMIT = 80

function wrap(text: string, indent: string, width = WIDTH): string[] {
  const words = text.split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let current = ''
  for (const word of words) {
    if (current.length > 0 && indent.length + current.length + 1 + word.length > width) {
      lines.push(indent + current)
      current = word
    } else {
      current = current ? `${current} ${word}` : word
    }
  }
  if (current) lines.push(indent + current)
  return lines
}

function quote(text: string, max = 160): string {
  const flat = text.replace(/\t/g, '  ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

export function renderText(result: ExplainResult, options: {width?: number} = {}): string {
  const width = options.width ?? WIDTH
  const out: string[] = []
  const name = (file: string) => displayName(file, result.inputs)
  const v = result.verdict
  // One line, however long: scripts and people grep the first line for the answer.
  out.push(`VERDICT: ${v.headline}`)
  out.push(`  outcome            ${OUTCOME_WORDS[v.outcome]} (${v.outcome}, exit ${result.exit_code})`)
  out.push(`  vmcore             ${v.vmcore.replace('-', ' ')}`)
  out.push(`  dump attempted     ${yesNo(v.dump_attempted)}`)
  out.push(`  capture kernel ran ${yesNo(v.capture_kernel_ran)}`)
  out.push(`  host after crash   ${v.host_after_crash}`)
  if (v.first_broken_link) out.push(...wrap(`${LINK_WORDS[v.first_broken_link.link]}: ${v.first_broken_link.summary}`, '                     ', width).map((l, i) => (i === 0 ? `  first broken link  ${l.trimStart()}` : l)))
  if (v.crash) {
    const where = `  the crash          ${name(v.crash.file)}:${v.crash.line}  `
    out.push(`${where}${quote(v.crash.text, Math.max(20, Math.min(70, width - where.length)))}`)
  }
  // The answer's other half on the first screen: what to do about it, from the root cause below.
  const root = result.causes.find((c) => c.role === 'root')
  if (root) {
    const next = `${root.title}. ${root.checks.length > 0 ? `Run \`kdumpcheck check\` (or \`preflight\`) on the host: ${root.checks.join(', ')} find this before the next crash.` : 'See WHY below.'}`
    out.push(...wrap(next, '                     ', width).map((l, i) => (i === 0 ? `  what to do         ${l.trimStart()}` : l)))
  }

  const facts = Object.entries(result.facts)
  if (facts.length > 0) {
    out.push('', 'FACTS')
    for (const [key, f] of facts) {
      out.push(...wrap(`${f.value} (${f.basis})`, '                     ', width).map((l, i) => (i === 0 ? `  ${(FACT_WORDS[key] ?? key).padEnd(18)} ${l.trimStart()}` : l)))
    }
  }

  if (result.configuration) out.push('', ...configurationLines(result.configuration))

  out.push('', 'DUMP CHAIN')
  for (const link of result.chain) {
    const mark = link.status === 'broken' && v.first_broken_link?.link === link.link ? '  <- first broken link' : ''
    out.push(...wrap(`${link.summary}${mark}`, '                              ', width).map((l, i) => (i === 0 ? `  ${LINK_WORDS[link.link].padEnd(15)} ${STATUS_WORDS[link.status].padEnd(11)} ${l.trimStart()}` : l)))
  }

  out.push('', 'WHAT HAPPENED')
  if (result.timeline.length === 0) out.push('  (no crash-related events found)')
  const {head, hidden, tail} = visibleTimeline(result.timeline, TIMELINE_LIMIT)
  const entry = (t: TimelineEntry) => {
    const when = timeLabel(t)
    out.push(...wrap(t.summary, '      ', width).map((l, i) => (i === 0 ? `  ${when ? `${when}  ` : ''}${l.trimStart()}` : l)))
    out.push(`      > ${name(t.file)}:${t.line}: ${quote(t.text)}`)
    if (t.also) out.push(`        (also ${t.also.map((a) => `${name(a.file)}:${a.line}`).join(', ')})`)
  }
  head.forEach(entry)
  if (hidden > 0) out.push(`  … ${hidden} more events (all of them are in --format json)`)
  tail.forEach(entry)
  if (anyInferred(result)) out.push('  * date or year inferred from the other inputs')

  if (result.causes.length > 0) {
    out.push('', 'WHY')
    for (const c of result.causes) {
      out.push(`  [${c.role}] ${c.title}`)
      out.push(...wrap(c.detail, '    ', width))
      if (c.checks.length > 0) out.push(`    ${c.role === 'note' ? 'related checks' : 'would have been caught by'}: ${c.checks.join(', ')} (kdumpcheck rules)`)
      for (const e of c.evidence.slice(0, 4)) out.push(`    > ${name(e.file)}:${e.line}: ${quote(e.text, 120)}`)
    }
  }

  out.push('', 'INPUTS')
  for (const input of result.inputs) {
    const notes = [
      input.gzip ? 'gzip' : '',
      input.unreadable_lines > 0 ? `${input.unreadable_lines} unreadable lines` : '',
      input.truncated_lines > 0 ? `${input.truncated_lines} lines cut at 64 KiB` : '',
      input.error ? `ERROR: ${input.error}` : '',
    ].filter(Boolean)
    out.push(`  ${name(input.file)}: ${input.lines} lines (${formatsLine(input)}), ${input.events} event${input.events === 1 ? '' : 's'}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`)
  }
  if (result.limits.events_dropped > 0) out.push(`  ${result.limits.events_dropped} repetitive events were counted but not kept (bounded memory)`)
  return `${out.join('\n')}\n`
}
