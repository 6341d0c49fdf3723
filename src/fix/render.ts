/** The plan as a person reads it, and as JSON. */
import {planDiff} from './diff.js'
import type {FixPlan} from './types.js'
import {escapeControls} from '../util/terminal.js'

export const FIX_SCHEMA = 'kdumpcheck-fix/1'

export interface FixOutcome {
  origin: string
  kind: 'runtime' | 'static'
  /** `applied`: written into the image; `proposed`: a diff/script/report only. */
  mode: 'applied' | 'proposed'
  plan: FixPlan
  /** After an apply: what judging the image again said about each repaired check. */
  recheck?: Array<{id: string; status: string}>
  /** Where each edited host path really was written (a symlink resolved inside the image). */
  written?: Array<{path: string; resolved: string}>
  output?: string
  exitCode: number
}

export function activationOf(plan: FixPlan): {commands: string[]; reboot: boolean} {
  const commands = [...new Set(plan.items.flatMap((i) => i.activation).filter((a) => !a.reboot).map((a) => a.command))]
  return {commands, reboot: plan.items.some((i) => i.activation.some((a) => a.reboot))}
}

export function renderText(o: FixOutcome): string {
  const {plan} = o
  const lines: string[] = [`kdumpcheck fix: ${o.origin} (${o.kind === 'static' ? 'an image' : 'a live host: nothing is written there'})`]
  if (plan.items.length === 0 && plan.people.length === 0) lines.push('', 'Nothing to fix: no finding kdumpcheck fix repairs is open.')
  if (plan.items.length > 0) {
    lines.push('', o.mode === 'applied' ? 'Fixed in the image:' : 'Proposed:')
    for (const item of plan.items) {
      lines.push(`  ${item.findings.join(' ').padEnd(7)} ${item.summary}`)
      for (const p of item.paths) {
        const resolved = o.written?.find((w) => w.path === p)?.resolved
        lines.push(`          ${p}${resolved && resolved !== p ? ` (resolves to ${resolved} in the image)` : ''}`)
      }
      for (const d of item.details) lines.push(`          - ${d}`)
      const later = item.repairsAfterActivation
      if (later.length > 0) lines.push(`          repairs ${later.join(', ')} once activated (judged on a simulated next boot)`)
    }
  }
  const act = activationOf(plan)
  if (o.kind === 'runtime' && (act.commands.length > 0 || act.reboot)) {
    lines.push('', 'Then, on the host (after applying the diff: `patch -p1 -d / < fix.diff`):')
    for (const c of act.commands) lines.push(`  ${c}`)
    if (act.reboot) lines.push('  reboot   (required: Xen reserves the crash region and reads its command line only at boot)')
  }
  if (o.recheck && o.recheck.length > 0) {
    lines.push('', `Judged again after the edit: ${o.recheck.map((r) => `${r.id} ${r.status}`).join(', ')}.`)
  }
  if (plan.people.length > 0) {
    lines.push('', 'Needs a person:')
    for (const p of plan.people) lines.push(`  ${p.finding.padEnd(7)} ${p.message}`)
  }
  if (plan.notes.length > 0) {
    lines.push('', 'Not edited by fix:')
    for (const n of plan.notes) lines.push(`  ${n}`)
  }
  // Names and messages come from the host's files: each line is one line, and drives no terminal.
  return `${lines.map((l) => escapeControls(l)).join('\n')}\n`
}

export function renderJson(o: FixOutcome): unknown {
  const act = activationOf(o.plan)
  return {
    schema: FIX_SCHEMA,
    host: {origin: o.origin, kind: o.kind},
    mode: o.mode,
    items: o.plan.items,
    people: o.plan.people,
    notes: o.plan.notes,
    files: o.plan.files.map((f) => ({path: f.path, created: f.before === undefined})),
    links: o.plan.links,
    activation: act,
    diff: planDiff(o.plan),
    ...(o.recheck ? {recheck: o.recheck} : {}),
    ...(o.written ? {written: o.written} : {}),
    exit_code: o.exitCode,
  }
}
