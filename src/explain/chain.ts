/**
 * Walks the dump chain for the final crash, link by link, on the evidence the logs hold: did the
 * kernel panic, did the panic reach the dump path, was a crash region reserved and an image loaded,
 * did the capture kernel boot, did the collector write a vmcore. A link without evidence is
 * `unknown`, never guessed; a link after a broken one with no evidence of its own is `not-reached`.
 */
import {allOf, configEvents, lastOf, type Analysis} from './analysis.js'
import type {EventOf, ExplainEvent} from './events.js'
import type {ChainLink, EvidenceRef, ExplainExitCode, LinkName, LinkStatus, Outcome, Verdict} from './result.js'

export function ref(e: ExplainEvent): EvidenceRef {
  return {file: e.file, line: e.line, text: e.text}
}

const has = (cmdline: string, pattern: RegExp) => pattern.test(cmdline)
export const NOREBOOT = /(?:^|\s)(?:noreboot|reboot=no?)(?=[\s,]|$)/
export const CRASHKERNEL = /(?:^|\s)crashkernel=(\S+)/
const XEN_ONLY_CONSOLE = /(?:^|\s)(?:console=hvc\d*|earlyprintk=xen|xencons=\S+)(?=\s|$)/
/** The Xen-only consoles that hang a capture kernel on bare metal (KD206's list: xencons= only loses output). */
const HANGING_CONSOLE = /^(?:console=hvc\d*(?:,.*)?|earlyprintk=xen\S*)$/

/**
 * Xen booted with crashkernel= and its boot log shows it reserved nothing. Xen reports the region in
 * setup (`Kdump: …MB at …`, or `Kdump: DISABLED (…)`) before it counts `System RAM:`, on every release;
 * it prints nothing when crashkernel= selects a size of 0 (a range that covers none of the RAM) or when
 * automatic placement finds no room. So an unwrapped boot log, `Command line:` through `System RAM:`, with
 * no `Kdump:` line, means no region; a log that does not reach back to the banner proves nothing.
 */
export interface XenRegionSilence {
  cmdline: EventOf<'xen-cmdline'>
  /** The crashkernel= value Xen used: the last one on its line, which Xen's option parser applies last. */
  value: string
  ram: EventOf<'xen-system-ram'>
}

export function xenRegionSilence(config: ExplainEvent[]): XenRegionSilence | undefined {
  const cmdline = lastOf(config, 'xen-cmdline', (e) => e.source === 'boot' && !e.quoted)
  if (!cmdline) return undefined
  const values = [...cmdline.cmdline.matchAll(/(?:^|\s)crashkernel=(\S+)/g)].map((m) => m[1]!)
  const value = values.at(-1)
  if (value === undefined) return undefined
  const after = (e: ExplainEvent) => !e.quoted && e.fileIndex === cmdline.fileIndex && e.line > cmdline.line
  const ram = config.find((e): e is EventOf<'xen-system-ram'> => e.kind === 'xen-system-ram' && after(e))
  if (!ram) return undefined
  // Xen parses its options before its console is up, so a `crashkernel:` warning may come before `Command line:`.
  const region = config.some((e) => (after(e) && ((e.kind === 'region-reserved' && e.by === 'xen') || (e.kind === 'region-failed' && e.by === 'xen'))) || e.kind === 'region-config-error')
  return region ? undefined : {cmdline, value, ram}
}

/**
 * A capture kernel Xen started and that printed nothing, judged without its command line. kdump-config
 * (KDUMP_CMDLINE unset) and kdumpctl (KDUMP_COMMANDLINE unset) build the capture command line from dom0's
 * /proc/cmdline, so dom0's own Xen-only console is the likeliest reason for the silence, unless the
 * logs show the capture command line (a `kexec -p` typed or printed) or show the host coming back,
 * which a silent but working capture kernel also does.
 */
export interface CaptureConsoleInference {
  dom0: EventOf<'kernel-cmdline'>
  tokens: string[]
  /** What loaded the capture kernel, when the logs say (`kdump-config load`, `[ ok ] loaded kdump kernel`). */
  loader?: ExplainEvent
}

export function inferCaptureConsole(a: Analysis, config: ExplainEvent[]): CaptureConsoleInference | undefined {
  if (a.xenCrash?.action !== 'kexec' || a.nextBoot) return undefined
  // Any load that is not a failure either shows the capture command line or hides it (a typed kexec -p
  // without --append passes an empty one): then dom0's line says nothing about the capture kernel's.
  if (allOf(config, 'kexec-load').some((e) => e.ok !== false)) return undefined
  const dom0 = lastOf(config, 'kernel-cmdline', (e) => !e.quoted && !/(?:^|\s)elfcorehdr=/.test(e.cmdline))
  if (!dom0) return undefined
  const tokens = dom0.cmdline.split(/\s+/).filter((t) => HANGING_CONSOLE.test(t))
  if (tokens.length === 0) return undefined
  const loader = lastOf(config, 'kdump-loaded') ?? lastOf(config, 'command', (e) => e.command.type === 'kdump-service' && /^(?:load|start|restart|reload)$/.test(e.command.action))
  return {dom0, tokens, ...(loader ? {loader} : {})}
}

export interface CollectorState {
  state: 'ok' | 'failed' | 'empty' | 'none'
  reason?: 'no-vmcoreinfo' | 'no-space' | 'not-found' | 'generic' | 'claimed-over-failure' | 'zero-bytes' | 'dump-failed'
  evidence: ExplainEvent[]
}

/** The collector's story in capture-kernel order: a later success overrides an earlier failure (a retry), a success claimed over a failure is an empty dump. */
export function collectorState(capture: ExplainEvent[]): CollectorState {
  let state: CollectorState['state'] = 'none'
  let reason: CollectorState['reason']
  let pendingFailure = false
  let dmesgOnly = false
  const evidence: ExplainEvent[] = []
  for (const e of capture) {
    switch (e.kind) {
      case 'collector-start':
        dmesgOnly = e.dmesgOnly
        if (!dmesgOnly) pendingFailure = false
        break
      case 'collector-failed':
        if (dmesgOnly) break
        if (state !== 'empty') state = 'failed'
        if (reason === undefined || reason === 'generic') reason = e.reason
        pendingFailure = true
        evidence.push(e)
        break
      case 'dump-failed':
        if (state !== 'empty') state = 'failed'
        reason ??= 'dump-failed'
        evidence.push(e)
        break
      case 'collector-ok':
        if (dmesgOnly) break
        if (state !== 'empty') state = 'ok'
        pendingFailure = false
        evidence.push(e)
        break
      case 'dump-saved':
        if (e.claimed && pendingFailure) {
          state = 'empty'
          reason = reason === 'no-vmcoreinfo' ? reason : 'claimed-over-failure'
        } else if (state !== 'empty') {
          state = 'ok'
        }
        evidence.push(e)
        break
      case 'dump-file':
        if (e.size === 0) {
          state = 'empty'
          reason ??= 'zero-bytes'
        }
        evidence.push(e)
        break
      default:
        break
    }
  }
  return {state, ...(reason ? {reason} : {}), evidence}
}

export interface ChainResult {
  links: ChainLink[]
  outcome: Outcome
  exitCode: ExplainExitCode
  verdict: Omit<Verdict, 'headline'>
  collector: CollectorState
  xenCmdline?: EventOf<'xen-cmdline'>
  captureFailure?: 'hung' | 'crashed'
  /** Set when the capture kernel is judged hung from its silence and dom0's console, not from a seen command line. */
  captureInferred?: CaptureConsoleInference
  /** Set when the region link is broken because Xen's complete boot log has no `Kdump:` line. */
  regionSilence?: XenRegionSilence
  imageLoaded: boolean | undefined
  regionReserved: boolean | undefined
}

function link(name: LinkName, status: LinkStatus, summary: string, evidence: (ExplainEvent | EvidenceRef)[] = []): ChainLink {
  return {link: name, status, summary, evidence: evidence.map((e) => ('seq' in e ? ref(e) : e))}
}

export function walkChain(a: Analysis): ChainResult {
  const config = configEvents(a)
  const xenCmdline = lastOf(config, 'xen-cmdline')
  const captureRan = a.capture.length > 0 || a.vmcoreLogs.length > 0
  const firstCapture: ExplainEvent | EvidenceRef | undefined = a.capture[0] ?? a.vmcoreLogs[0]
  const captureCrash = a.capture.find((e) => e.kind === 'panic' || e.kind === 'oops')
  const collector = collectorState(a.capture)
  const survivors = allOf(a.before, 'oops').filter((o) => !o.induced)
  const hangs = a.before.filter((e) => e.kind === 'd-state' || e.kind === 'hung-task' || e.kind === 'soft-lockup' || e.kind === 'rcu-stall')
  // An NMI the kernel logged and survived ("Dazed and confused, but trying to continue"): a BMC's
  // "power diag" that was forwarded to the kernel and ignored by it.
  const nmis = a.before.filter((e) => e.kind === 'nmi')

  // crash
  let crash: ChainLink
  if (a.anchor !== undefined) {
    const first = a.panic ?? a.events[a.anchor]!
    crash = link('crash', 'ok', a.panic ? `the kernel panicked: ${a.panic.reason}` : 'the host crashed', [first])
  } else if (survivors.length > 0 || hangs.length > 0 || nmis.length > 0) {
    const what = [survivors.length > 0 ? 'the kernel oopsed' : '', hangs.length > 0 ? 'the host hung' : '', nmis.length > 0 ? 'an NMI arrived' : ''].filter(Boolean)
    const did = what.length > 1 ? `${what.slice(0, -1).join(', ')} and ${what.at(-1)}` : what[0]
    const but = what.length === 1 && survivors.length > 0 ? 'but never panicked' : 'but the kernel never panicked'
    crash = link('crash', 'broken', `${did} ${but}, so no crash was ever handed to a capture kernel`, [...survivors, ...hangs, ...nmis].slice(0, 3))
  } else {
    crash = link('crash', 'unknown', 'no kernel crash in these logs')
  }

  // hand-off: did the crash reach the point where a loaded image would run?
  const kexecNotLoaded = a.after.find((e) => e.kind === 'kexec-not-loaded' || e.kind === 'xen-no-crash-kernel')
  const nativeReturn = !a.isXen ? a.after.find((e) => e.kind === 'panic-end' || e.kind === 'panic-reboot-timer') : undefined
  const xenPanic = a.after.find((e) => e.kind === 'xen-panic')
  let handoff: ChainLink
  if (a.anchor === undefined) handoff = link('hand-off', 'not-reached', 'no crash to hand off')
  else if (a.xenCrash) handoff = link('hand-off', 'ok', `dom${a.xenCrash.domain}'s crash reached Xen`, [a.xenCrash])
  else if (xenPanic) handoff = link('hand-off', 'ok', 'Xen itself panicked and took the crash path', [xenPanic])
  else if (kexecNotLoaded) handoff = link('hand-off', 'ok', 'the crash reached the kexec path', [kexecNotLoaded])
  else if (captureRan) handoff = link('hand-off', 'ok', 'the crash reached the capture kernel', [firstCapture!])
  else if (nativeReturn) handoff = link('hand-off', 'ok', "the panic went through the kernel's crash path", [nativeReturn])
  else handoff = link('hand-off', 'unknown', 'the logs stop at the panic: what happened next (Xen, the capture kernel) is not in these inputs')

  // image: Xen starts a loaded image on the crash line of a dom0 crash, or on a line of its own after
  // its own panic (where `Manual reset required ('noreboot' specified)` comes first, seen with nmi=fatal)
  const xenKexec = a.after.find((e) => e.kind === 'xen-kexec')
  const xenExecuted = a.xenCrash?.action === 'kexec' || xenKexec !== undefined
  /** The line on which Xen started the capture kernel. */
  const started: ExplainEvent | undefined = a.xenCrash?.action === 'kexec' ? a.xenCrash : xenKexec
  const statusNotLoaded = lastOf(config, 'kexec-status', (e) => e.loaded === false)
  const loadFailures = allOf(config, 'kexec-load').filter((e) => e.ok === false)
  const notReady = lastOf(config, 'kdump-status', (e) => !e.ready)
  const supporting: ExplainEvent[] = []
  for (const e of [statusNotLoaded, ...loadFailures, notReady]) if (e) supporting.push(e)
  let imageLoaded: boolean | undefined
  let image: ChainLink
  if (xenExecuted || captureRan) {
    imageLoaded = true
    image = link('image', 'ok', started ? `Xen started the loaded capture kernel (${started.kind === 'xen-crash' ? started.detail : started.text.replace(/^.*?\(XEN\)\s*/, '')})` : 'a capture kernel was loaded: it ran', started ? [started] : [firstCapture!])
  } else if (a.xenCrash && (a.xenCrash.action === 'halt' || a.xenCrash.action === 'reboot')) {
    imageLoaded = false
    image = link('image', 'broken', `no capture kernel was loaded into Xen: Xen printed "${a.xenCrash.detail}" instead of starting one`, [a.xenCrash, ...supporting])
  } else if (kexecNotLoaded) {
    imageLoaded = false
    image = link('image', 'broken', 'no capture kernel was loaded', [kexecNotLoaded, ...supporting])
  } else if (nativeReturn) {
    imageLoaded = false
    image = link('image', 'broken', 'the kernel came back from its crash path: no capture kernel was loaded', [nativeReturn, ...supporting])
  } else if (statusNotLoaded || loadFailures.length > 0) {
    imageLoaded = false
    image = link('image', 'broken', 'no capture kernel was loaded before the crash', supporting)
  } else {
    const loaded = lastOf(config, 'kexec-status', (e) => e.loaded === true) ?? lastOf(config, 'kexec-load', (e) => e.ok === true) ?? lastOf(config, 'kdump-loaded')
    imageLoaded = loaded ? true : undefined
    image = loaded ? link('image', 'ok', 'a capture kernel was loaded before the crash', [loaded]) : link('image', 'unknown', 'these logs do not show whether a capture kernel was loaded')
  }

  // region
  let regionReserved: boolean | undefined
  let region: ChainLink
  const xenReserved = lastOf(config, 'region-reserved', (e) => e.by === 'xen')
  const xenFailed = lastOf(config, 'region-failed', (e) => e.by === 'xen')
  const xenBadOption = lastOf(config, 'region-config-error')
  const ignored = lastOf(config, 'dom0-crashkernel-ignored')
  const silence = a.isXen ? xenRegionSilence(config) : undefined
  let regionSilence: XenRegionSilence | undefined
  if (a.isXen) {
    if (xenReserved) {
      regionReserved = true
      region = link('region', 'ok', `Xen reserved a crash region (${xenReserved.sizeMB} MB at ${xenReserved.at ?? '?'})`, [xenReserved])
    } else if (xenFailed) {
      regionReserved = false
      region = link('region', 'broken', 'Xen failed to reserve the crash region', [xenFailed])
    } else if (xenBadOption) {
      regionReserved = false
      region = link('region', 'broken', "Xen could not parse its crashkernel= option and ignored it", [xenBadOption, ...(xenCmdline ? [xenCmdline] : [])])
    } else if (xenCmdline && !has(xenCmdline.cmdline, CRASHKERNEL)) {
      regionReserved = false
      region = link('region', 'broken', "Xen's command line has no crashkernel=, so Xen reserved no crash region", [xenCmdline, ...(ignored ? [ignored] : [])])
    } else if (imageLoaded) {
      regionReserved = true
      region = link('region', 'ok', 'a region existed: Xen ran a capture kernel from it')
    } else if (silence) {
      regionReserved = false
      regionSilence = silence
      region = link(
        'region',
        'broken',
        `Xen's command line asks for crashkernel=${silence.value}, yet its boot log has no \`Kdump:\` line before \`System RAM:\` (where Xen reports the region it reserved, or failed to): Xen reserved no crash region`,
        [silence.cmdline, silence.ram],
      )
    } else if (xenCmdline && has(xenCmdline.cmdline, CRASHKERNEL)) {
      region = link('region', 'unknown', `Xen's command line has crashkernel=, but whether Xen reserved the region is not in these logs: its boot messages up to \`System RAM:\` (the \`Kdump:\` line of \`xl dmesg\`) are not among them`, [xenCmdline, ...(ignored ? [ignored] : [])])
    } else {
      region = link('region', 'unknown', "these logs do not show Xen's boot messages (the `Kdump:` line of `xl dmesg`) or its command line", ignored ? [ignored] : [])
    }
  } else {
    const reserved = lastOf(config, 'region-reserved', (e) => e.by === 'linux')
    const failed = lastOf(config, 'region-failed', (e) => e.by === 'linux')
    const cmdline = lastOf(config, 'kernel-cmdline', (e) => !/(?:^|\s)elfcorehdr=/.test(e.cmdline))
    if (reserved) {
      regionReserved = true
      region = link('region', 'ok', `the kernel reserved a crash region (${reserved.sizeMB} MB)`, [reserved])
    } else if (failed) {
      regionReserved = false
      region = link('region', 'broken', 'the kernel failed to reserve its crash region', [failed])
    } else if (cmdline && !has(cmdline.cmdline, CRASHKERNEL)) {
      regionReserved = false
      region = link('region', 'broken', 'the kernel command line has no crashkernel=, so no crash region was reserved', [cmdline])
    } else if (imageLoaded) {
      regionReserved = true
      region = link('region', 'ok', 'a region existed: a capture kernel ran from it')
    } else {
      region = link('region', 'unknown', 'these logs do not show whether a crash region was reserved')
    }
  }

  // capture kernel
  const hvc = allOf(config, 'kexec-load').find((e) => e.append !== undefined && has(e.append, XEN_ONLY_CONSOLE))
  const inferred = xenExecuted && !captureRan && !captureCrash && !hvc ? inferCaptureConsole(a, config) : undefined
  let captureFailure: 'hung' | 'crashed' | undefined
  let captureInferred: CaptureConsoleInference | undefined
  let capture: ChainLink
  const bootEvidence = a.capture.find((e) => (e.kind === 'kernel-boot' && e.capture) || e.kind === 'kernel-cmdline') ?? firstCapture
  if (captureCrash) {
    captureFailure = 'crashed'
    capture = link('capture-kernel', 'broken', 'the capture kernel itself crashed', [captureCrash])
  } else if (captureRan) {
    capture = link('capture-kernel', 'ok', 'the capture kernel booted', bootEvidence ? [bootEvidence] : [])
  } else if (imageLoaded === false) {
    capture = link('capture-kernel', 'not-reached', 'did not run: there was nothing to start')
  } else if (xenExecuted && hvc) {
    captureFailure = 'hung'
    capture = link('capture-kernel', 'broken', 'started by Xen but silent: its command line gives it a Xen-only console (it runs on bare metal), so it hangs', [started!, hvc])
  } else if (xenExecuted && inferred) {
    captureInferred = inferred
    // Silence alone is not a failure (its console may be elsewhere); silence plus a console that
    // cannot exist outside Xen is, on the likeliest reading, which the summary says is a reading.
    captureFailure = 'hung'
    capture = link(
      'capture-kernel',
      'broken',
      `started by Xen, then silent: nothing from the capture kernel follows Xen's "${a.xenCrash!.detail}". Its command line is not in these logs; inferred from that silence and dom0's own ${inferred.tokens.join(' ')}, which kdump services copy into the capture kernel when no capture command line is configured, it most likely hung on that Xen-only console`,
      [started!, inferred.dom0, ...(inferred.loader ? [inferred.loader] : [])],
    )
  } else if (xenExecuted) {
    capture = link('capture-kernel', 'unknown', "Xen started it, but none of its output is in these inputs (it may have hung, or its console is elsewhere)", [started!])
  } else {
    capture = link('capture-kernel', a.anchor === undefined ? 'not-reached' : 'unknown', a.anchor === undefined ? 'no crash' : 'these logs do not show a capture kernel')
  }

  // collector and vmcore
  let collectorLink: ChainLink
  let vmcore: ChainLink
  let vmcoreState: Verdict['vmcore']
  if (!captureRan || captureFailure) {
    collectorLink = link('collector', 'not-reached', 'never ran')
    const knownNone = imageLoaded === false || captureFailure !== undefined || (a.anchor === undefined && crash.status === 'broken')
    vmcoreState = knownNone ? 'not-written' : 'unknown'
    vmcore = link('vmcore', knownNone ? 'broken' : 'unknown', knownNone ? 'no vmcore was written' : 'cannot tell whether a vmcore was written')
  } else if (collector.state === 'ok') {
    collectorLink = link('collector', 'ok', 'the collector saved the dump', collector.evidence.slice(-2))
    vmcoreState = 'written'
    vmcore = link('vmcore', 'ok', 'a vmcore was written', collector.evidence.slice(-1))
  } else if (collector.state === 'empty') {
    collectorLink = link('collector', 'broken', 'the collector failed, yet an (empty) dump file was left behind and success was logged', collector.evidence)
    vmcoreState = 'empty'
    vmcore = link('vmcore', 'broken', 'the dump file is empty', collector.evidence.filter((e) => e.kind === 'dump-file' || e.kind === 'dump-saved'))
  } else if (collector.state === 'failed') {
    collectorLink = link('collector', 'broken', 'the collector failed', collector.evidence)
    vmcoreState = 'not-written'
    vmcore = link('vmcore', 'broken', 'no vmcore was written')
  } else {
    collectorLink = link('collector', 'unknown', "the capture kernel ran, but the collector's result is not in these inputs")
    vmcoreState = 'unknown'
    vmcore = link('vmcore', 'unknown', 'cannot tell whether a vmcore was written')
  }

  const links = markNotReached([crash, handoff, region, image, capture, collectorLink, vmcore])

  let outcome: Outcome
  if (a.anchor === undefined && !captureRan) outcome = crash.status === 'broken' ? 'no-dump-attempted' : 'unknown'
  else if (captureFailure) outcome = 'capture-kernel-failed'
  else if (captureRan) outcome = vmcoreState === 'written' ? 'vmcore-written' : vmcoreState === 'empty' ? 'dump-empty' : collector.state === 'failed' ? 'dump-failed' : 'unknown'
  else if (imageLoaded === false) outcome = 'nothing-loaded'
  else outcome = 'unknown'
  const exitCode: ExplainExitCode = outcome === 'vmcore-written' ? 0 : outcome === 'unknown' ? 3 : 1

  const firstBroken = links.find((l) => l.status === 'broken')
  return {
    links,
    outcome,
    exitCode,
    collector,
    ...(xenCmdline ? {xenCmdline} : {}),
    ...(captureFailure ? {captureFailure} : {}),
    ...(captureInferred ? {captureInferred} : {}),
    ...(regionSilence ? {regionSilence} : {}),
    imageLoaded,
    regionReserved,
    verdict: {
      outcome,
      vmcore: vmcoreState,
      dump_attempted: a.anchor !== undefined ? (handoff.status === 'ok' ? true : null) : crash.status === 'broken' ? false : null,
      capture_kernel_ran: captureRan ? true : imageLoaded === false || crash.status === 'broken' ? false : null,
      host_after_crash: hostAfter(a, captureRan, crash.status),
      first_broken_link: firstBroken ? {link: firstBroken.link, summary: firstBroken.summary} : null,
      crash: a.anchor !== undefined ? ref(a.panic ?? a.events[a.anchor]!) : null,
    },
  }
}

/** Links after the first broken one that have no evidence of their own were never reached. */
function markNotReached(links: ChainLink[]): ChainLink[] {
  let broken = false
  return links.map((l) => {
    if (broken && l.status === 'unknown' && l.evidence.length === 0) return {...l, status: 'not-reached' as const}
    if (l.status === 'broken') broken = true
    return l
  })
}

function hostAfter(a: Analysis, captureRan: boolean, crashStatus: LinkStatus): Verdict['host_after_crash'] {
  if (a.anchor === undefined) return crashStatus === 'broken' ? 'running' : 'unknown'
  if (a.xenCrash?.action === 'halt') return 'halted'
  if (a.xenCrash?.action === 'reboot') return 'rebooted'
  if (captureRan && a.capture.some((e) => e.kind === 'reboot')) return 'rebooted'
  // After its own panic Xen prints what it would do without a capture kernel, then starts the loaded one.
  const xenAfter = a.after.find((e): e is EventOf<'xen-after-panic'> => e.kind === 'xen-after-panic')
  if (xenAfter && !a.after.some((e) => e.kind === 'xen-kexec')) return xenAfter.action === 'halt' ? 'halted' : 'rebooted'
  if (a.after.some((e) => e.kind === 'panic-reboot-timer')) return 'rebooted'
  if (a.nextBoot) return 'rebooted'
  return 'unknown'
}
