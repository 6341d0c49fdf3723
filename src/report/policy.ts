/**
 * Site policy (`policy:` in .kdumpcheck.yaml), applied after the checks have judged, in this one place.
 *
 * A check answers "will a crash leave a vmcore" and nothing else; a site may demand more (a larger region,
 * panic_on_oops, approved dump targets) or accept less (a host that halts after a failed dump). Policy
 * therefore never changes a finding's judgement of the host, nor the verdict: it rules on findings the way
 * severity overrides and waivers do, and so changes the exit code and how a finding is shown. Each key
 * becomes one of three rulings:
 * - `severity`: the finding counts at another severity, exactly as a `severity:` override would;
 * - `waive`: the finding no longer counts for the exit code, exactly as a waiver would;
 * - `violation`: the host breaks a site rule the finding is about; the finding counts as a failure whatever
 *   the check found (the check's own status and message stay in the report beside the requirement).
 */
import type {Policy} from '../config/config.js'
import type {DumpPlan} from '../facts/dump-plan.js'
import type {Facts} from '../facts/facts.js'
import type {Severity} from '../severity.js'
import {MiB, wholeMiB} from '../units.js'

export type PolicyKey = 'min-crash-region-mb' | 'require-panic-on-oops' | 'allowed-dump-targets' | 'allow-noreboot'

export type PolicyRuling =
  | {kind: 'severity'; key: PolicyKey; id: string; severity: Severity; requirement: string}
  | {kind: 'waive'; key: PolicyKey; id: string; requirement: string}
  | {kind: 'violation'; key: PolicyKey; id: string; requirement: string}

/** The words `allowed-dump-targets` uses for a target kind: a dump disk is as local as a path. */
export function policyTargetKind(kind: DumpPlan['target']['kind']): string {
  return kind === 'fs' ? 'local' : kind
}

/** What the site's policy says about this host's findings; facts decide the violations, nothing else. */
export function policyRulings(policy: Policy, facts: Facts): PolicyRuling[] {
  const rulings: PolicyRuling[] = []
  if (policy.requirePanicOnOops) {
    rulings.push({kind: 'severity', key: 'require-panic-on-oops', id: 'KD502', severity: 'error', requirement: 'the site policy requires kernel.panic_on_oops=1 (require-panic-on-oops: true)'})
  }
  if (policy.allowNoreboot) {
    rulings.push({kind: 'waive', key: 'allow-noreboot', id: 'KD500', requirement: 'the site policy accepts a host that halts after a failed dump (allow-noreboot: true)'})
  }
  if (policy.allowedDumpTargets !== undefined && facts.dumpPlan.known) {
    const allowed = policy.allowedDumpTargets
    const target = facts.dumpPlan.value.target
    const kind = policyTargetKind(target.kind)
    if (!allowed.includes(kind)) {
      const list = allowed.length > 0 ? allowed.join(', ') : '(none)'
      const unnamable = target.kind === 'virtiofs' ? ', a kind the policy cannot name' : ''
      rulings.push({
        kind: 'violation',
        key: 'allowed-dump-targets',
        id: 'KD400',
        requirement: `the site policy allows dump targets of kind ${list}; this host dumps to a ${kind} target (${target.description})${unnamable}`,
      })
    }
  }
  if (policy.minCrashRegionMb !== undefined && facts.crashRegion.known && facts.crashRegion.value.reserved) {
    const bytes = facts.crashRegion.value.sizeBytes
    if (bytes < policy.minCrashRegionMb * MiB) {
      rulings.push({
        kind: 'violation',
        key: 'min-crash-region-mb',
        id: 'KD105',
        requirement: `the site policy requires a crash region of at least ${policy.minCrashRegionMb} MiB; this host reserves ${wholeMiB(bytes)} MiB`,
      })
    }
  }
  return rulings
}
