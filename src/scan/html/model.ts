/**
 * The fleet page's data: everything the page shows, as one JSON value embedded once in the page and
 * rendered by its script. Pure and deterministic (the golden test holds it for the fixtures' fleet):
 * no clock, no paths but those the results name.
 *
 * Size matters at 10,000 hosts: texts that repeat across hosts (messages, fixes, evidence) are kept
 * once in `strings` and referred to by index; a fix equal to the rule's own is not repeated at all;
 * passing checks are listed by ID only (their evidence stays in the results file). Texts beyond a
 * bound are cut with a visible mark, never silently.
 */
import {ALL_CHECKS} from '../../checks/index.js'
import type {CheckMeta} from '../../checks/types.js'
import type {Finding} from '../../report/report.js'
import type {ScanOutput, SkippedLine} from '../output.js'
import type {HostResult} from '../result.js'
import type {ScanRunInfo} from '../run-record.js'
import {runsOf} from '../runs.js'

export const PAGE_MODEL_SCHEMA = 'kdumpcheck-fleet-page/1'

/** Where a host stands, one of these exactly: the chart's bars, the verdict filter. */
export const CATEGORIES = ['READY', 'NOT_READY', 'UNVERIFIED', 'unreachable', 'error'] as const
export type Category = (typeof CATEGORIES)[number]

/** Bounds on what one host may put in the page (the results file keeps everything). */
export const LIMITS = {text: 4000, fix: 16000, evidence: 40, findings: 100, errors: 40, name: 500}

/** A reference into `strings`. */
type S = number

export interface PageFinding {
  id: string
  status: Finding['status']
  severity: Finding['severity']
  default_severity?: Finding['severity']
  /** Present when the finding's title differs from its rule's (a results file from another version). */
  title?: string
  message: S
  /** [source, line (0: none), text (-1: none)] */
  evidence: Array<[S, number, S]>
  /** Evidence items left out beyond the bound. */
  evidence_more?: number
  /** The fix for this host; absent when it is the rule's own fix (`fix_is_rule`) or there is none. */
  fix?: S
  fix_is_rule?: true
  verify?: S
  waiver?: {reason: string; expires?: string; source?: string}
  /** The site policy's ruling on this finding (which key, and what it requires). */
  policy?: {key: string; requirement: string}
}

export interface PageHost {
  name: string
  target: string
  /** Indexes into the model's `groups`. */
  groups: number[]
  category: Category
  verdict: HostResult['verdict']
  status: HostResult['status']
  /** The exit code this host asks for under its configuration (waivers, fail-on). */
  exit_code: number
  failure?: string
  reason?: string
  distribution?: string
  xen?: string
  role?: string
  collected_at?: string
  started_at: string
  first_broken?: string
  fail: string[]
  unknown: string[]
  warn: string[]
  waived: string[]
  pass: string[]
  na: number
  findings: PageFinding[]
  findings_more?: number
  snapshot_errors: S[]
  timed_out_probes: S[]
  expired_waivers: Array<{id: string; reason: string; expires?: string}>
}

export interface PageCheck {
  id: string
  title: string
  /** Hosts failing it (error severity: no vmcore). */
  fail: number
  /** Hosts where it is unknown at error severity (UNVERIFIED). */
  unknown: number
  warn: number
  /** Hosts where a waiver accepts it. */
  waived: number
}

export interface PageRule {
  title: string
  severity: CheckMeta['severity']
  scope: CheckMeta['scope']
  stage: CheckMeta['stage']
  why: string
  fix: string
  references: string[]
}

export interface PageModel {
  schema: typeof PAGE_MODEL_SCHEMA
  /** The kdumpcheck that rendered the page. */
  rendered_by: string
  scan: {
    source: string
    /** The runs recorded in the results (`--resume` adds one each time); empty for older files. */
    runs: ScanRunInfo[]
    /** kdumpcheck versions that judged the hosts, from their reports. */
    judged_by: string[]
    first_started?: string
    last_finished?: string
    duration_ms: number
    interrupted: boolean
  }
  input?: {file: string; lines: number; skipped: SkippedLine[]; skipped_more: number; duplicates: string[]; torn_tail: boolean}
  counts: {
    planned: number
    hosts: number
    not_scanned: number
    verdicts: Record<HostResult['verdict'], number>
    categories: Record<Category, number>
    /** The exit code of the whole scan (worst host wins). */
    exit_code: number
  }
  /** Unreachable and error hosts by failure kind. */
  failures: Record<string, number>
  /** Checks that fail, cannot be verified, warn or are waived on some host, worst first. */
  checks: PageCheck[]
  groups: string[]
  /** Every rule of this kdumpcheck (the page's own rule reference), and any other ID the results name. */
  rules: Record<string, PageRule>
  strings: string[]
  hosts: PageHost[]
}

const META = new Map(ALL_CHECKS.map((c) => [c.meta.id, c.meta]))

export function categoryOf(r: HostResult): Category {
  // A --snapshots member that is no usable snapshot is an error, like garbage output.
  if (r.status === 'error') return 'error'
  if (r.status === 'unreachable') return r.failure === 'garbage' || r.failure === 'internal' ? 'error' : 'unreachable'
  return r.verdict
}

function cut(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)} … [${text.length - limit} more characters cut for the page; the results file has them all]`
}

export function buildPageModel(output: ScanOutput): PageModel {
  const strings: string[] = []
  const index = new Map<string, number>()
  const s = (text: string, limit = LIMITS.text): S => {
    const t = cut(text, limit)
    let i = index.get(t)
    if (i === undefined) {
      i = strings.length
      strings.push(t)
      index.set(t, i)
    }
    return i
  }
  const groupNames = [...new Set(output.hosts.flatMap((h) => h.groups))].sort()
  const groupIndex = new Map(groupNames.map((g, i) => [g, i]))
  const rules: Record<string, PageRule> = {}
  for (const c of ALL_CHECKS) {
    const m = c.meta
    rules[m.id] = {title: m.title, severity: m.severity, scope: m.scope, stage: m.stage, why: m.why, fix: m.fix, references: m.references}
  }
  const tally = new Map<string, PageCheck>()
  const count = (f: Finding, key: 'fail' | 'unknown' | 'warn' | 'waived'): void => {
    const row = tally.get(f.id) ?? {id: f.id, title: META.get(f.id)?.title ?? f.title, fail: 0, unknown: 0, warn: 0, waived: 0}
    row[key]++
    tally.set(f.id, row)
  }
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>
  const failures: Record<string, number> = {}

  const hosts = output.hosts.map<PageHost>((r) => {
    const category = categoryOf(r)
    categories[category]++
    if (r.status === 'unreachable') failures[r.failure ?? 'unknown'] = (failures[r.failure ?? 'unknown'] ?? 0) + 1
    const findings = r.report?.findings ?? []
    const ids = (pred: (f: Finding) => boolean): string[] => [...new Set(findings.filter(pred).map((f) => f.id))]
    // Counted once per host and check, as the summary does.
    const counted = new Set<string>()
    for (const f of findings) {
      const key = f.status === 'fail' ? 'fail' : f.status === 'unknown' && f.severity === 'error' ? 'unknown' : f.status === 'warn' ? 'warn' : undefined
      if (key && !counted.has(`${key} ${f.id}`)) {
        counted.add(`${key} ${f.id}`)
        count(f, key)
      }
      if (f.waiver && !counted.has(`waived ${f.id}`)) {
        counted.add(`waived ${f.id}`)
        count(f, 'waived')
      }
      if (!rules[f.id]) rules[f.id] = {title: f.title, severity: f.severity, scope: 'runtime', stage: f.stage, why: '', fix: '', references: []}
    }
    const shown = findings.filter((f) => f.status !== 'pass' && f.status !== 'n/a')
    const report = r.report
    const host: PageHost = {
      name: cut(r.host, LIMITS.name),
      target: cut(r.target, LIMITS.name),
      groups: r.groups.map((g) => groupIndex.get(g)!),
      category,
      verdict: r.verdict,
      status: r.status,
      exit_code: r.exit_code,
      ...(r.failure ? {failure: r.failure} : {}),
      ...(r.reason !== undefined ? {reason: cut(r.reason, LIMITS.text)} : {}),
      ...(r.distribution ? {distribution: cut(r.distribution, LIMITS.name)} : {}),
      ...(r.xen_version ? {xen: cut(r.xen_version, LIMITS.name)} : {}),
      ...(report ? {role: cut(report.host.role, LIMITS.name), collected_at: cut(report.host.collected_at, LIMITS.name)} : {}),
      started_at: r.started_at,
      ...(report?.first_broken_link ? {first_broken: report.first_broken_link} : {}),
      fail: ids((f) => f.status === 'fail'),
      unknown: ids((f) => f.status === 'unknown' && f.severity === 'error'),
      warn: ids((f) => f.status === 'warn'),
      waived: ids((f) => f.waiver !== undefined),
      pass: ids((f) => f.status === 'pass'),
      na: findings.filter((f) => f.status === 'n/a').length,
      findings: shown.slice(0, LIMITS.findings).map((f) => pageFinding(f, s)),
      ...(shown.length > LIMITS.findings ? {findings_more: shown.length - LIMITS.findings} : {}),
      snapshot_errors: (report?.snapshot_errors ?? []).slice(0, LIMITS.errors).map((e) => s(e)),
      timed_out_probes: (report?.timed_out_probes ?? []).slice(0, LIMITS.errors).map((e) => s(e)),
      expired_waivers: (report?.policy.expired_waivers ?? []).slice(0, LIMITS.errors).map((w) => ({id: w.id, reason: cut(w.reason, LIMITS.text), ...(w.expires ? {expires: w.expires} : {})})),
    }
    return host
  })

  const checks = [...tally.values()].sort((a, b) => b.fail - a.fail || b.unknown - a.unknown || b.warn - a.warn || b.waived - a.waived || (a.id < b.id ? -1 : 1))
  const starts = output.hosts.map((h) => h.started_at).filter((t) => !Number.isNaN(Date.parse(t)))
  const ends = output.hosts.map((h) => Date.parse(h.started_at) + h.duration_ms).filter(Number.isFinite)
  const runs = runsOf(output.hosts)
  const firstStarted = [runs[0]?.started_at, ...starts].filter((t): t is string => t !== undefined).sort()[0]
  const sm = output.summary
  return {
    schema: PAGE_MODEL_SCHEMA,
    rendered_by: output.tool.version,
    scan: {
      source: output.source,
      runs,
      judged_by: [...new Set(output.hosts.flatMap((h) => (h.report ? [h.report.tool.version] : [])))].sort(),
      ...(firstStarted ? {first_started: firstStarted} : {}),
      ...(ends.length > 0 ? {last_finished: new Date(Math.max(...ends)).toISOString()} : {}),
      duration_ms: output.duration_ms,
      interrupted: output.interrupted || sm.not_scanned > 0,
    },
    ...(output.input
      ? {
          input: {
            file: output.input.file,
            lines: output.input.lines,
            skipped: output.input.skipped,
            skipped_more: output.input.skipped_more,
            duplicates: output.input.duplicates.map((d) => cut(d, LIMITS.name)),
            torn_tail: output.input.torn_tail,
          },
        }
      : {}),
    counts: {planned: sm.planned, hosts: sm.hosts, not_scanned: sm.not_scanned, verdicts: {...sm.verdicts}, categories, exit_code: sm.exit_code},
    failures: Object.fromEntries(Object.entries(failures).sort(([a], [b]) => (a < b ? -1 : 1))),
    checks,
    groups: groupNames,
    rules,
    strings,
    hosts,
  }
}

function pageFinding(f: Finding, s: (text: string, limit?: number) => S): PageFinding {
  const meta = META.get(f.id)
  return {
    id: f.id,
    status: f.status,
    severity: f.severity,
    ...(f.default_severity ? {default_severity: f.default_severity} : {}),
    ...(meta && meta.title === f.title ? {} : {title: cut(f.title, LIMITS.name)}),
    message: s(f.message),
    evidence: f.evidence.slice(0, LIMITS.evidence).map((e) => [s(e.source, LIMITS.name), e.line ?? 0, e.text === undefined ? -1 : s(e.text)]),
    ...(f.evidence.length > LIMITS.evidence ? {evidence_more: f.evidence.length - LIMITS.evidence} : {}),
    ...(f.fix === undefined ? {} : meta && f.fix === meta.fix ? {fix_is_rule: true as const} : {fix: s(f.fix, LIMITS.fix)}),
    ...(f.verify === undefined ? {} : {verify: s(f.verify)}),
    ...(f.waiver
      ? {waiver: {reason: cut(f.waiver.reason, LIMITS.text), ...(f.waiver.expires ? {expires: f.waiver.expires} : {}), ...(f.waiver.source ? {source: f.waiver.source} : {})}}
      : {}),
    ...(f.policy ? {policy: {key: f.policy.key, requirement: cut(f.policy.requirement, LIMITS.text)}} : {}),
  }
}
