/** source -> snapshot -> facts -> checks -> report: the one path every command that judges a host takes. */
import {DEFAULT_CONFIG, type Config} from './config/config.js'
import {ALL_CHECKS} from './checks/index.js'
import {buildFacts, type Facts} from './facts/facts.js'
import {policyRulings} from './report/policy.js'
import {buildReport, runChecks, type Report} from './report/report.js'
import type {Snapshot} from './snapshot/snapshot.js'
import {VERSION} from './version.js'

export function judgeSnapshot(snapshot: Snapshot, config: Config = DEFAULT_CONFIG, now = new Date()): Report {
  return assess(snapshot, config, now).report
}

/** The facts too, for commands that tell a story from them (preflight). */
export function assess(snapshot: Snapshot, config: Config = DEFAULT_CONFIG, now = new Date()): {facts: Facts; report: Report} {
  const facts = buildFacts(snapshot)
  const findings = runChecks(ALL_CHECKS, facts)
  const report = buildReport(
    findings,
    {
      host: {
        hostname: snapshot.meta.hostname,
        kind: snapshot.kind,
        origin: snapshot.origin,
        collected_at: snapshot.meta.collected_at,
        collector: snapshot.meta.collector,
        role: facts.roleDescription,
        ...(facts.xenVersion.known ? {xen_version: facts.xenVersion.value.text} : {}),
      },
      snapshotErrors: snapshot.meta.errors,
      timedOutProbes: snapshot.probeNames.filter((name) => snapshot.probe(name)?.exit.kind === 'timeout'),
      version: VERSION,
      policy: policyRulings(config.policy, facts),
    },
    config,
    now,
  )
  return {facts, report}
}
