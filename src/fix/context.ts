/** What every fixer gets: the host as judged, the workspace of files, and the plan it adds to. */
import type {Finding} from '../report/report.js'
import {bootTarget, type BootTarget} from './boot-target.js'
import type {HostView} from './host.js'
import type {Activation, FixItem, PersonItem} from './types.js'
import type {Workspace} from './workspace.js'

export interface FixContext {
  view: HostView
  ws: Workspace
  /** Every host path the evidence holds (and extra files read from an image). */
  paths: string[]
  /** The next boot's configuration, when it can be found. */
  boot: BootTarget | undefined
  live: boolean
  /** The finding when it is a problem this run should fix (status and --only). */
  problem(id: string): Finding | undefined
  item(item: Omit<FixItem, 'repairsAfterActivation' | 'activation' | 'details'> & Partial<Pick<FixItem, 'repairsAfterActivation' | 'activation' | 'details'>>): void
  person(finding: string, message: string): void
  note(message: string): void
  /** Runs `edit` on a copy of the workspace and keeps it only when it returns true. */
  attempt(edit: () => boolean): boolean
}

export interface Collected {
  items: FixItem[]
  people: PersonItem[]
  notes: string[]
}

export function makeContext(view: HostView, ws: Workspace, paths: string[], only: ReadonlySet<string> | undefined, skip: ReadonlySet<string>, out: Collected): FixContext {
  return {
    view,
    ws,
    paths,
    boot: bootTarget(paths, ws),
    live: view.kind === 'runtime',
    problem(id) {
      if (skip.has(id) || (only && !only.has(id))) return undefined
      const f = view.findings.get(id)
      // A waived finding (a waiver, or a policy such as allow-noreboot) is accepted as it is: not fixed.
      if (!f || f.waiver) return undefined
      // Info-level findings (a trade-off, KD503) are fixed only when asked for by id.
      if (f.status === 'fail' || f.status === 'warn') return f
      return f.status === 'info' && only?.has(id) ? f : undefined
    },
    item(item) {
      out.items.push({details: [], repairsAfterActivation: [], activation: [], ...item})
    },
    person(finding, message) {
      if (!out.people.some((p) => p.finding === finding && p.message === message)) out.people.push({finding, message})
    },
    note(message) {
      if (!out.notes.includes(message)) out.notes.push(message)
    },
    attempt(edit) {
      const saved = ws.snapshotState()
      let ok = false
      try {
        ok = edit()
      } catch {
        ok = false
      }
      if (!ok) ws.restore(saved)
      return ok
    },
  }
}

export const REBOOT: Activation = {command: 'reboot', why: 'Xen reserves the crash region and reads its command line only at boot', reboot: true}
