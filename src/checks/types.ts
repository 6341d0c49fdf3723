/**
 * The contract between checks and the engine. A check is a pure function from facts to one outcome,
 * with its documentation beside it (ESLint's `meta`). The engine, not the check, turns a problem into
 * `fail`/`warn`/`info` from the effective severity, so waivers and severity overrides live in one place.
 */
import type {Facts} from '../facts/facts.js'
import type {Severity} from '../severity.js'
import type {Evidence} from '../snapshot/evidence.js'
import type {HostContext} from './shared/host-wording.js'

/** Which evidence a check needs: `static` ones judge configuration an image also has; `runtime` ones need a running host. */
export type Scope = 'static' | 'runtime'
/** The link of the dump chain a check belongs to, in the order a crash walks it. */
export type Stage = 'host' | 'region' | 'capture' | 'service' | 'target' | 'after-crash' | 'proof'

export interface CheckMeta {
  id: string
  title: string
  severity: Severity
  scope: Scope
  stage: Stage
  /** Why this matters for getting a vmcore, in a paragraph. */
  why: string
  /** How to fix, with exact commands for grub legacy, grub2 and XenServer where they differ (Markdown). */
  fix: string
  /** The title on a host without Xen, when `title` speaks of Xen (shared/host-wording.ts). */
  nativeTitle?: string
  /** `fix` for this host: its distribution's and boot loader's commands only (shared/host-wording.ts). */
  fixFor?: (host: HostContext) => string
  references: string[]
}

export type Outcome =
  | {status: 'pass'; message: string; evidence: Evidence[]}
  | {
      status: 'problem'
      message: string
      evidence: Evidence[]
      /** This host's fix when it is more exact than the generic one in meta. */
      fix?: string
      /** Overrides meta.severity for this evidence (a check may weigh images and live hosts differently). */
      severity?: Severity
    }
  | {status: 'unknown'; message: string; evidence: Evidence[]; verify?: string; severity?: Severity}
  | {status: 'n/a'; message: string; evidence?: Evidence[]}

export interface Check {
  meta: CheckMeta
  run(facts: Facts): Outcome
}

export function defineCheck(meta: CheckMeta, run: (facts: Facts) => Outcome): Check {
  return {meta, run}
}

export const pass = (message: string, evidence: Evidence[] = []): Outcome => ({status: 'pass', message, evidence})
export const notApplicable = (message: string): Outcome => ({status: 'n/a', message})
