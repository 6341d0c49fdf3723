import {configurationLines} from '../configuration.js'
/** A postmortem section, ready to paste: verdict table, dump chain, timeline, causes with their evidence, inputs. */
import type {ExplainResult} from '../result.js'
import {anyInferred, displayName, FACT_WORDS, formatsLine, LINK_WORDS, OUTCOME_WORDS, STATUS_WORDS, timeLabel, visibleTimeline, yesNo} from './common.js'

const TIMELINE_LIMIT = 200

/** A code span that survives backticks inside it, and pipes when it sits in a table (GFM wants `\|` there, and only there). */
function code(text: string, inTable = true): string {
  const flat = inTable ? text.replace(/\t/g, '  ').replace(/\|/g, '\\|') : text.replace(/\t/g, '  ')
  const fence = flat.includes('`') ? '``' : '`'
  return `${fence}${fence === '``' ? ' ' : ''}${flat}${fence === '``' ? ' ' : ''}${fence}`
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

export function renderMarkdown(result: ExplainResult): string {
  const name = (file: string) => displayName(file, result.inputs)
  const v = result.verdict
  const out: string[] = []
  out.push(`## Crash dump: ${OUTCOME_WORDS[v.outcome]}`, '')
  out.push(`**${v.headline}**`, '')
  out.push('| | |', '|---|---|')
  out.push(`| outcome | \`${v.outcome}\` (exit ${result.exit_code}) |`)
  out.push(`| vmcore | ${v.vmcore.replace('-', ' ')} |`)
  out.push(`| dump attempted | ${yesNo(v.dump_attempted)} |`)
  out.push(`| capture kernel ran | ${yesNo(v.capture_kernel_ran)} |`)
  out.push(`| host after the crash | ${v.host_after_crash} |`)
  if (v.first_broken_link) out.push(`| first broken link | **${LINK_WORDS[v.first_broken_link.link]}**: ${cell(v.first_broken_link.summary)} |`)
  if (v.crash) out.push(`| the crash | ${code(`${name(v.crash.file)}:${v.crash.line}`)} ${code(v.crash.text)} |`)
  for (const [key, f] of Object.entries(result.facts)) out.push(`| ${FACT_WORDS[key] ?? key} | ${cell(f.value)} (${cell(f.basis)}) |`)
  out.push('')

  if (result.configuration) out.push('### Host configuration', '', '```', ...configurationLines(result.configuration), '```', '')
  out.push('### Dump chain', '', '| link | status | what the logs show |', '|---|---|---|')
  for (const link of result.chain) {
    const evidence = link.evidence.slice(0, 2).map((e) => code(`${name(e.file)}:${e.line}`)).join(', ')
    out.push(`| ${LINK_WORDS[link.link]} | ${link.status === 'broken' ? '**BROKEN**' : STATUS_WORDS[link.status]} | ${cell(link.summary)}${evidence ? ` (${evidence})` : ''} |`)
  }
  out.push('')

  out.push('### Timeline', '', '| time | event | evidence |', '|---|---|---|')
  const {head, hidden, tail} = visibleTimeline(result.timeline, TIMELINE_LIMIT)
  const row = (t: (typeof result.timeline)[number]) => out.push(`| ${timeLabel(t) || '–'} | ${cell(t.summary)} | ${code(`${name(t.file)}:${t.line}`)} ${code(t.text.length > 140 ? `${t.text.slice(0, 139)}…` : t.text)} |`)
  head.forEach(row)
  if (hidden > 0) out.push(`| … | ${hidden} more events (see the JSON output) | |`)
  tail.forEach(row)
  if (anyInferred(result)) out.push('', '\\* date or year inferred from the other inputs.')
  out.push('')

  if (result.causes.length > 0) {
    out.push('### Why', '')
    for (const c of result.causes) {
      const role = c.role === 'root' ? 'Root cause' : c.role === 'contributing' ? 'Contributing' : 'Note'
      out.push(`#### ${role}: ${c.title}`, '', c.detail, '')
      if (c.checks.length > 0) out.push(`${c.role === 'note' ? 'Related checks' : 'Would have been caught beforehand by'}: ${c.checks.map((id) => `\`${id}\``).join(', ')}.`, '')
      if (c.evidence.length > 0) {
        out.push('Evidence:')
        for (const e of c.evidence.slice(0, 4)) out.push(`- ${code(`${name(e.file)}:${e.line}`, false)} ${code(e.text, false)}`)
        out.push('')
      }
    }
  }

  out.push('### Inputs', '', '| file | lines | recognised as | events | notes |', '|---|---|---|---|---|')
  for (const input of result.inputs) {
    const notes = [input.gzip ? 'gzip' : '', input.unreadable_lines > 0 ? `${input.unreadable_lines} unreadable lines` : '', input.error ? `error: ${input.error}` : ''].filter(Boolean).join('; ')
    out.push(`| ${code(name(input.file))} | ${input.lines} | ${cell(formatsLine(input))} | ${input.events} | ${cell(notes)} |`)
  }
  return `${out.join('\n')}\n`
}
