/**
 * findings + evidence -> a plan of edits. Fixers run in a fixed order over one workspace (two edits
 * of one file compose); then the plan is judged again before it is offered: every check an item
 * claims to repair must pass on the edited evidence (and, on a live host, on the simulated next
 * boot for what needs a reboot or a restart). An item whose claim does not hold is withdrawn, its
 * edits with it, and handed to a person instead: kdumpcheck offers no edit it cannot prove.
 */
import {judgeSnapshot} from '../pipeline.js'
import type {Config} from '../config/config.js'
import type {Snapshot} from '../snapshot/snapshot.js'
import {makeContext, type Collected, type FixContext} from './context.js'
import {fixCaptureCmdline} from './fixers/capture-cmdline.js'
import {fixCollector} from './fixers/collector.js'
import {fixCrashkernel} from './fixers/crashkernel.js'
import {fixNoreboot} from './fixers/noreboot.js'
import {fixServiceEnabled, fixUseKdump, UNIT_DIRS} from './fixers/service.js'
import {fixSysctl} from './fixers/sysctl.js'
import {fixTarget} from './fixers/target.js'
import {viewHost, type HostView} from './host.js'
import {afterActivation, withChanges} from './simulate.js'
import type {FixPlan} from './types.js'
import {EditRefused, Workspace, type SourceFile} from './workspace.js'

/** The checks `fix` has a fixer for, in the order they run. */
export const FIXABLE = ['KD101', 'KD102', 'KD103', 'KD104', 'KD106', 'KD107', 'KD500', 'KD206', 'KD303', 'KD300', 'KD406', 'KD403', 'KD404', 'KD401', 'KD502', 'KD503'] as const

const FIXERS: Array<(ctx: FixContext) => void> = [fixCrashkernel, fixNoreboot, fixCaptureCmdline, fixUseKdump, fixServiceEnabled, fixCollector, fixTarget, fixSysctl]

export interface PlanOptions {
  /** Only these finding ids (`--only`). */
  only?: readonly string[]
  /** Files an image holds beyond the snapshot's evidence (unit files), by host path. */
  extraFiles?: ReadonlyMap<string, string>
  /** The site configuration: waived findings are not fixed. */
  config?: Config
}

/** Unit files `fix` reads from an image to enable a service (not evidence: checks never see them). */
export const EXTRA_FILES: readonly string[] = UNIT_DIRS.flatMap((d) => [`${d}/kdump-tools.service`, `${d}/kdump.service`])

export function planFixes(snapshot: Snapshot, options: PlanOptions = {}): {plan: FixPlan; view: HostView} {
  const view = viewHost(snapshot, options.config)
  const withdrawn = new Map<string, string>()
  for (let round = 0; round < 8; round++) {
    const plan = planOnce(view, options, new Set(withdrawn.keys()))
    const failed = verify(snapshot, plan)
    if (failed.length === 0) {
      for (const [id, why] of withdrawn) plan.people.push({finding: id, message: why})
      plan.people.sort((a, b) => (a.finding < b.finding ? -1 : 1))
      return {plan, view}
    }
    for (const f of failed) {
      for (const id of f.findings) {
        withdrawn.set(id, `kdumpcheck computed an edit (${f.summary}) but judging the edited configuration again, ${f.failed.join(', ')} still ${f.failed.length > 1 ? 'do' : 'does'} not pass, so it is not offered: fix ${id} by hand (see its finding).`)
      }
    }
  }
  throw new Error('fix: the plan did not settle')
}

function planOnce(view: HostView, options: PlanOptions, skip: ReadonlySet<string>): FixPlan {
  const snapshot = view.snapshot
  const extra = options.extraFiles ?? new Map<string, string>()
  const source = (path: string): SourceFile | undefined => {
    const f = snapshot.file(path)
    if (f) return {text: f.text, truncated: f.truncated}
    const e = extra.get(path)
    return e === undefined ? undefined : {text: e}
  }
  const ws = new Workspace(source)
  const paths = [...new Set([...snapshot.filePaths, ...extra.keys()])].sort()
  const collected: Collected = {items: [], people: [], notes: []}
  const ctx = makeContext(view, ws, paths, options.only ? new Set(options.only) : undefined, skip, collected)
  for (const fixer of FIXERS) {
    try {
      fixer(ctx)
    } catch (error) {
      ctx.person('fix', error instanceof EditRefused ? `${error.message}: edit it by hand` : `internal error while planning: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  for (const id of skip) collected.items = collected.items.filter((i) => !i.findings.includes(id))
  const {files, links} = ws.changes()
  // Problems the run looked at and has no fixer for.
  const fixable = new Set<string>(FIXABLE)
  for (const f of view.report.findings) {
    if ((f.status === 'fail' || f.status === 'warn') && !fixable.has(f.id) && (!options.only || options.only.includes(f.id))) {
      collected.notes.push(`${f.id} (${f.status}): not something kdumpcheck fix edits; see its fix text in \`kdumpcheck check\`.`)
    }
  }
  return {files, links, items: collected.items, people: collected.people, notes: collected.notes}
}

interface Unproven {
  findings: string[]
  summary: string
  failed: string[]
}

/** Items whose claims do not hold on the edited evidence. */
export function verify(snapshot: Snapshot, plan: FixPlan): Unproven[] {
  if (plan.items.length === 0) return []
  const now = judgeSnapshot(withChanges(snapshot, plan))
  const later = snapshot.kind === 'runtime' && plan.items.some((i) => i.repairsAfterActivation.length > 0) ? judgeSnapshot(afterActivation(snapshot, plan)) : undefined
  const status = (report: typeof now | undefined, id: string): string | undefined => report?.findings.find((f) => f.id === id)?.status
  const out: Unproven[] = []
  for (const item of plan.items) {
    const failed = [
      ...item.repairs.filter((id) => status(now, id) !== 'pass'),
      ...item.repairsAfterActivation.filter((id) => status(later, id) !== 'pass').map((id) => `${id} (after activation, simulated)`),
    ]
    if (failed.length > 0) out.push({findings: item.findings, summary: item.summary, failed})
  }
  return out
}
