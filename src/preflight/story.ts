/**
 * The go/no-go an operator needs with a hand over the sysrq key: what will happen, step by step, if
 * they trigger a crash now, told from this host's own evidence; where the chain breaks and what the
 * host does instead; and how a crash can be triggered here.
 */
import {formatBytes} from '../units.js'
import {escapeDeep} from '../util/terminal.js'
import type {CommandLine} from '../facts/command-lines.js'
import type {Facts} from '../facts/facts.js'
import {xenNoReboot} from '../parsers/cmdline.js'
import {xenAtLeast} from '../parsers/xen-version.js'
import {DEFAULT_WIDTH, wrap} from '../report/formats/layout.js'
import type {Finding, Report} from '../report/report.js'

export type Decision = 'GO' | 'NO-GO' | 'CANNOT TELL'

export const PREFLIGHT_SCHEMA = 'kdumpcheck-preflight/1'

export interface Preflight {
  schema: typeof PREFLIGHT_SCHEMA
  decision: Decision
  exit_code: 0 | 1 | 3
  hostname: string
  /** What happens if a crash is triggered now, in order. */
  steps: string[]
  /** NO-GO: the first broken link of the chain. */
  breaks_at?: {id: string; title: string; message: string}
  /** NO-GO: what the host will do instead of dumping. */
  instead?: string
  /** CANNOT TELL: what could not be verified, and how a person can verify it. */
  unverified: Array<{id: string; message: string; verify?: string}>
  /** Ways to crash this host on purpose, and what each needs. */
  triggers: string[]
  report: Report
}

/** How much of the story still happens when the chain breaks at a stage. */
const STEPS_UNTIL: Record<Finding['stage'], number> = {host: 1, region: 2, capture: 3, service: 2, target: 4, 'after-crash': 5, proof: 5}


export function preflight(facts: Facts, report: Report): Preflight {
  const decision: Decision = report.verdict === 'READY' ? 'GO' : report.verdict === 'NOT_READY' ? 'NO-GO' : 'CANNOT TELL'
  const failed = report.findings.find((f) => f.status === 'fail')
  const unverified = report.findings.filter((f) => f.status === 'unknown' && f.severity === 'error')
  return {
    schema: PREFLIGHT_SCHEMA,
    decision,
    exit_code: decision === 'GO' ? 0 : decision === 'NO-GO' ? 1 : 3,
    hostname: report.host.hostname,
    steps: failed ? chain(facts).slice(0, STEPS_UNTIL[failed.stage]) : chain(facts),
    ...(failed ? {breaks_at: {id: failed.id, title: failed.title, message: failed.message}, instead: instead(facts, failed)} : {}),
    unverified: unverified.map((f) => ({id: f.id, message: f.message, ...(f.verify ? {verify: f.verify} : {})})),
    triggers: triggers(facts, outcome(facts, decision, failed, unverified)),
    report,
  }
}

function xenLine(facts: Facts): CommandLine | undefined {
  return facts.runningXenLine.known ? facts.runningXenLine.value : undefined
}

/** The dump chain as this host's evidence describes it; each step says what it rests on. */
function chain(facts: Facts): string[] {
  const steps: string[] = []
  const xen = facts.xenPvDom0
  const version = facts.xenVersion.known ? facts.xenVersion.value : undefined
  const region = facts.crashRegion
  const loaded = facts.captureLoaded
  steps.push(xen ? 'dom0 panics and reports the crash to the hypervisor' : 'the kernel panics')
  const where = region.known && region.value.reserved
    ? `the ${formatBytes(region.value.sizeBytes)} region${region.value.start !== undefined ? ` at 0x${region.value.start.toString(16)}` : ''}`
    : 'the crash region'
  const isLoaded = loaded.known ? (loaded.value.loaded ? 'loaded' : 'NOT loaded') : 'loaded (unproven)'
  if (xen) {
    const who = version && !xenAtLeast(version, 4, 4) ? `dom0's kernel asks Xen ${version.text} to start` : `Xen ${version?.text ?? ''} executes`.replace('  ', ' ')
    steps.push(`${who} the capture kernel ${isLoaded} in ${where}`)
  } else {
    steps.push(`the kernel jumps to the capture kernel ${isLoaded} in ${where}`)
  }
  const cmd = facts.captureCommandLine
  steps.push(
    cmd.known
      ? `it boots${xen ? ' on bare metal' : ''} with \`${cmd.value.line.text}\`${cmd.value.origin === 'copied' ? " (copied from dom0's own command line)" : ''}`
      : `it boots with the command line its kdump service gave it (${cmd.reason})`,
  )
  const plan = facts.dumpPlan
  if (plan.known) {
    const collector = plan.value.collector
    const machine = facts.machineRamBytes.known ? facts.machineRamBytes.value : undefined
    const dom0 = facts.kernelMemoryBytes.known ? facts.kernelMemoryBytes.value : undefined
    const filtered = collector && (collector.collector.dumpLevel ?? 0) > 0
    const expected = collector?.collector.xenFilter && xen ? dom0 : machine
    const space = plan.value.target.kind === 'local' || plan.value.target.kind === 'fs' ? (facts.storage.known ? facts.storage.value.spaceFor(plan.value.target.path) : undefined) : undefined
    const free = space?.row.availKiB != null ? ` (${formatBytes(space.row.availKiB * 1024)} free on ${space.row.mountpoint})` : ''
    const amount = expected === undefined ? 'the dump' : filtered ? `at most ${formatBytes(expected)} (less after -d ${collector!.collector.dumpLevel} filtering)` : `about ${formatBytes(expected)}`
    steps.push(`\`${collector?.text ?? 'the collector'}\` writes ${amount} to ${plan.value.target.description}${free}`)
    const final = plan.value.finalAction?.value ?? 'reboot'
    steps.push(final === 'reboot' ? `the host reboots (final action ${final})` : `the host does "${final}" (final action): it will not come back by itself`)
  } else {
    steps.push(`the capture kernel saves the vmcore where its kdump service is configured to (${plan.reason})`)
  }
  return steps
}

/** What the host does when the chain breaks at `failed`. */
function instead(facts: Facts, failed: Finding): string {
  if (failed.id === 'KD206') return "Xen starts the capture kernel, which hangs silently on its Xen-only console: no dump, and you will need an out-of-band reset."
  if (failed.id === 'KD406') return "The capture kernel runs, but makedumpfile cannot filter the Xen vmcore: no usable dump (Debian's kdump-tools even logs success over a 0-byte file). The host then reboots."
  if (failed.id === 'KD105') return 'The capture kernel is started in a region too small to boot it: it dies without a dump.'
  if (facts.xenPvDom0) {
    const line = xenLine(facts)
    const noreboot = line ? xenNoReboot(line.parsed).noreboot : undefined
    const version = facts.xenVersion.known ? facts.xenVersion.value : undefined
    const prefix = version && !xenAtLeast(version, 4, 6) ? '(XEN) Domain 0 crashed:' : '(XEN) Hardware Dom0 crashed:'
    if (noreboot) return `Xen halts: 'noreboot' is set, so the console ends with "${prefix} 'noreboot' set - not rebooting." and the host (with every guest) stays down until an out-of-band reset.`
    if (noreboot === false) return `Xen reboots the machine: "${prefix} rebooting machine in 5 seconds." No dump is written.`
    return 'Xen either reboots or halts (the noreboot setting is unknown); no dump is written.'
  }
  return 'The kernel panics without a capture kernel: it reboots after kernel.panic seconds, or hangs until reset when kernel.panic is 0. No dump is written.'
}

/**
 * What a crash triggered now leads to on this host, in a few words, for the list of triggers: on a GO host the
 * dump; on a NO-GO host what it does instead (a halt, a reboot, a hang, without a dump); on a CANNOT TELL host the
 * dump only if the unverified links hold, and what happens if they do not.
 */
function outcome(facts: Facts, decision: Decision, failed: Finding | undefined, unverified: readonly Finding[]): {dumps: boolean; text: string} {
  if (decision === 'GO') return {dumps: true, text: 'the capture kernel runs and the dump is written'}
  const without = (() => {
    if (failed?.id === 'KD206') return 'a capture kernel that hangs on its Xen-only console: no dump, and an out-of-band reset'
    if (failed?.id === 'KD406') return 'a capture kernel that writes no usable dump, then a reboot'
    if (failed?.id === 'KD105') return 'a capture kernel that dies in its too-small region: no dump'
    if (facts.xenPvDom0) {
      const line = xenLine(facts)
      const noreboot = line ? xenNoReboot(line.parsed).noreboot : undefined
      if (noreboot) return "a halt without a dump (Xen's 'noreboot'): the host and every guest stay down until an out-of-band reset"
      if (noreboot === false) return 'a reboot without a dump'
      return 'a reboot or a halt (the noreboot setting is unknown), without a dump'
    }
    const panic = facts.sysctl('kernel.panic')
    const seconds = panic.known ? Number.parseInt(panic.value, 10) : Number.NaN
    if (Number.isNaN(seconds)) return 'a panic without a dump, then a reboot or a hang (kernel.panic is unknown)'
    return seconds === 0 ? 'a panic without a dump, and a hang until a reset (kernel.panic=0)' : 'a panic without a dump, then a reboot'
  })()
  if (decision === 'NO-GO') return {dumps: false, text: without}
  return {dumps: false, text: `a dump only if ${unverified.map((f) => f.id).join(', ')} hold${unverified.length === 1 ? 's' : ''}; if not, ${without}`}
}

function triggers(facts: Facts, leadsTo: {dumps: boolean; text: string}): string[] {
  const here = `here: ${leadsTo.text}`
  const list = [
    `\`echo c > /proc/sysrq-trigger\` as root (what \`kdumpcheck trigger\` does after this preflight); it works whatever kernel.sysrq says. It crashes the kernel, ${here}.`,
  ]
  const sysrq = facts.sysctl('kernel.sysrq')
  const mask = sysrq.known ? Number.parseInt(sysrq.value, 10) : Number.NaN
  const keyboard = Number.isNaN(mask) ? 'depends on kernel.sysrq (unknown here)' : mask === 1 || (mask & 0x8) !== 0 ? `allowed (kernel.sysrq=${mask}); the same crash` : `masked (kernel.sysrq=${mask} lacks 8, the bit for crash dumps): set kernel.sysrq=1 first`
  list.push(`A serial break then "c", or Alt-SysRq-C on a keyboard: ${keyboard}.${facts.xenPvDom0 ? " On Xen's serial console press Ctrl-A three times to switch input to dom0 first." : ''}`)
  if (facts.xenPvDom0) {
    const line = xenLine(facts)
    const nmi = line?.parsed.tokens.filter((t) => t.key === 'nmi').at(-1)?.value
    const unknownNmi = facts.sysctl('kernel.unknown_nmi_panic')
    const dom0Panics = unknownNmi.known && unknownNmi.value.trim() !== '0'
    const nmiStory =
      nmi === 'fatal'
        ? `nmi=fatal: Xen itself panics, ${here}.`
        : nmi === 'ignore'
          ? 'nmi=ignore: Xen drops it and nothing happens.'
          : `nmi=${nmi ?? 'dom0 (the default on release builds)'}: Xen forwards it to dom0, which ${dom0Panics ? `panics (unknown_nmi_panic=1), ${leadsTo.dumps ? 'so the dump runs' : here}` : 'only logs it unless kernel.unknown_nmi_panic=1'}.`
    list.push(`An out-of-band NMI (the BMC's "NMI" / "power diag"): the hypervisor takes it first; ${nmiStory}`)
    const xl = facts.xenVersion.known && facts.xenVersion.evidence[0]?.source.includes('xm-') ? 'xm' : 'xl'
    list.push(
      leadsTo.dumps
        ? `\`${xl} debug-keys C\` makes Xen crash and run the capture kernel (the dump then starts from the hypervisor, not from a dom0 panic).`
        : `\`${xl} debug-keys C\` makes Xen itself crash, ${here}.`,
    )
  } else {
    const unknownNmi = facts.sysctl('kernel.unknown_nmi_panic')
    const panics = unknownNmi.known && unknownNmi.value.trim() !== '0'
    list.push(`An out-of-band NMI: ${panics ? `panics the kernel (unknown_nmi_panic=1), ${leadsTo.dumps ? 'so the dump runs' : here}` : 'only logged unless kernel.unknown_nmi_panic=1'}.`)
  }
  return list
}

export function renderPreflight(unsafe: Preflight, options: {width?: number} = {}): string {
  // The host's name, its command lines and messages built from them reach a terminal escaped.
  const result = escapeDeep(unsafe, new Set(['message', 'verify', 'fix']))
  const width = options.width ?? DEFAULT_WIDTH
  const out: string[] = [...wrap(`${result.decision}  ${result.hostname || '(unnamed host)'}  ${result.report.host.role}`, width, 0, 2), '']
  out.push(result.decision === 'NO-GO' ? 'If you trigger a crash now:' : result.decision === 'GO' ? 'If you trigger a crash now:' : 'If you trigger a crash now, and the unverified link holds:')
  result.steps.forEach((step, i) => out.push(...wrap(`${i + 1}. ${step}`, width, 2)))
  if (result.breaks_at) {
    out.push('', ...wrap(`It breaks at ${result.breaks_at.id}: ${result.breaks_at.title}`, width, 0, 2), ...wrap(result.breaks_at.message, width, 2))
    if (result.instead) out.push('', ...wrap(`What the host will do instead: ${result.instead}`, width, 0, 2))
    out.push('', ...wrap(`Fix that first: \`kdumpcheck check --details ${result.breaks_at.id}\`, or \`kdumpcheck check\` for every finding.`, width, 0, 2))
  }
  if (result.decision === 'CANNOT TELL') {
    out.push('', 'Not verified:')
    for (const item of result.unverified) {
      out.push(...wrap(`${item.id}: ${item.message}`, width, 2, 2))
      if (item.verify) out.push(...wrap(item.verify, width, 6))
    }
  }
  out.push('', 'How to trigger a crash on this host:', ...result.triggers.flatMap((t) => wrap(`- ${t}`, width, 2)))
  return out.join('\n')
}
