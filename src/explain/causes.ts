/**
 * Why there is (or is not) a vmcore, as causes an engineer would write in a postmortem: the root
 * cause (the first broken link), what contributed, and the misconceptions the inputs reveal (a
 * `core_pattern` set as if it governed kernel dumps). Every cause names the kdumpcheck checks that
 * would have caught it before the crash, and the lines it rests on.
 */
import {allOf, configEvents, lastOf, type Analysis} from './analysis.js'
import {CRASHKERNEL, NOREBOOT, ref, type ChainResult, type XenRegionSilence} from './chain.js'
import {parseCrashkernel, selectCrashkernel, type CrashkernelRange} from '../parsers/crashkernel.js'
import type {EventOf, ExplainEvent} from './events.js'
import type {Cause} from './result.js'
import {taintLetters} from './taint.js'
import {between, when} from './when.js'

/** Every cause explain can name; docs/explain.md documents each (a test keeps the two in step). */
export const CAUSE_IDS = [
  'no-crashkernel-on-xen',
  'region-not-reserved',
  'crashkernel-invalid',
  'no-crash-region',
  'crashkernel-on-dom0-line',
  'nothing-loaded',
  'capture-kernel-crashed',
  'capture-console-xen-only',
  'collector-needs-vmcoreinfo',
  'collector-failed',
  'false-success',
  'oops-did-not-panic',
  'hang-did-not-panic',
  'nmi-did-not-panic',
  'noreboot-halted',
  'core-pattern-is-for-user-space',
  'sysrq-mask-not-needed',
  'unknown-nmi-panic-under-xen',
  'distribution-status-wrong',
  'xen-vmcore-without-vmcoreinfo',
] as const

type Draft = Omit<Cause, 'evidence' | 'role' | 'id'> & {id: (typeof CAUSE_IDS)[number]; evidence: ExplainEvent[]}

function cause(role: Cause['role'], draft: Draft): Cause {
  const seen = new Set<ExplainEvent>()
  const evidence = draft.evidence.filter((e) => !seen.has(e) && seen.add(e))
  return {id: draft.id, role, title: draft.title, detail: draft.detail, checks: draft.checks, evidence: evidence.map(ref)}
}

const code = (text: string) => `\`${text}\``

/** Oopses before the final crash that the kernel survived, with what proves it kept running. */
function survivedOopses(a: Analysis): {oops: EventOf<'oops'>; proof: ExplainEvent[]}[] {
  const out: {oops: EventOf<'oops'>; proof: ExplainEvent[]}[] = []
  const oopses = allOf(a.events, 'oops').filter((o) => o.phase === 'system')
  for (const oops of allOf(a.before, 'oops').filter((o) => !o.induced)) {
    const at = a.events.indexOf(oops)
    const proof: ExplainEvent[] = []
    const laterOops = oopses.find((o) => a.events.indexOf(o) > at && ((o.number !== undefined && oops.number !== undefined && o.number > oops.number) || o.taint?.some((t) => t.letter === 'D')))
    if (laterOops) proof.push(laterOops)
    const wall = oops.time?.wall
    const alive = a.events.slice(at + 1).find((e) => e.phase === 'system' && (e.kind === 'load' || e.kind === 'd-state' || e.kind === 'command') && wall !== undefined && e.time?.wall !== undefined && e.time.wall > wall + 60_000)
    if (alive) proof.push(alive)
    if (proof.length > 0 || a.anchor === undefined) out.push({oops, proof})
  }
  return out
}

function oopsCause(a: Analysis, survived: {oops: EventOf<'oops'>; proof: ExplainEvent[]}[]): Draft {
  const {oops, proof} = survived[0]!
  const taint = oops.taint && oops.taint.length > 0 ? `; tainted ${taintLetters(oops.taint)}: ${oops.taint.map((t) => `${t.letter} = ${t.meaning}`).join(', ')}` : ''
  const who = [oops.comm ? `comm ${oops.comm}` : '', oops.pid !== undefined ? `pid ${oops.pid}` : ''].filter(Boolean).join(', ')
  const later = proof.find((e): e is EventOf<'oops'> => e.kind === 'oops')
  const laterText = later
    ? ` The kernel kept running, damaged: the next Oops${later.number !== undefined ? ` is numbered #${later.number}` : ''}${later.taint?.some((t) => t.letter === 'D') ? ' and carries taint D (a task died in an earlier Oops)' : ''} (${when(later)}).`
    : proof.length > 0
      ? ` The host was still running at ${when(proof[0]!)}.`
      : ''
  const setting = lastOf(a.events, 'sysctl-value', (e) => e.key === 'kernel.panic_on_oops')
  return {
    id: 'oops-did-not-panic',
    title: `The ${oops.number !== undefined ? `first ` : ''}Oops${oops.fn ? ` in ${oops.fn}` : ''} did not panic, so no dump was taken when the bug happened`,
    detail:
      `At ${when(oops)} the kernel oopsed${oops.fn ? ` in ${code(oops.fn)}` : ''}${who ? ` (${who}${taint})` : ''}. ` +
      `With kernel.panic_on_oops=0${setting ? ` (${code(setting.message)})` : ''} an Oops kills only the current task and the kernel carries on, so no crash dump was attempted at the moment the evidence was freshest.` +
      laterText +
      ' Set kernel.panic_on_oops=1 on hosts where a dump matters more than limping on.',
    checks: ['KD502'],
    evidence: [oops, ...(setting ? [setting] : []), ...proof],
  }
}

function hangCause(a: Analysis): Draft | undefined {
  const hangs = a.before.filter((e) => e.kind === 'd-state' || e.kind === 'hung-task' || e.kind === 'soft-lockup' || e.kind === 'rcu-stall')
  if (hangs.length === 0) return undefined
  const stacks = [...allOf(a.before, 'stack'), ...allOf(a.before, 'hung-task')].filter((s) => s.frames.includes('synchronize_srcu') && s.frames.includes('fsnotify_put_group'))
  const dstate = lastOf(a.before, 'd-state')
  const oops = allOf(a.before, 'oops').find((o) => !o.induced)
  const fsnotifyOops = oops && (oops.fn?.startsWith('fsnotify') || oops.fn?.startsWith('inotify') || oops.frames.some((f) => f.startsWith('fsnotify')))
  const crash = a.events[a.start ?? a.events.length - 1]
  const lasted = oops && crash ? between(oops, crash) : undefined
  const parts: string[] = []
  if (dstate) {
    const oldest = dstate.processes.filter((p) => p.start === dstate.oldestStart)
    const oldestText = dstate.oldestStart ? `; the oldest ${oldest.length > 1 ? 'ones' : 'one'} (${oldest.slice(0, 3).map((p) => `${p.command.split(/\s+/).slice(0, 2).join(' ')}, pid ${p.pid}`).join('; ')}) started at ${dstate.oldestStart}${oops?.time?.wall !== undefined && dstate.time?.wall !== undefined && Math.abs(dstate.time.wall - oops.time.wall) < 120_000 ? ', the minute of the Oops' : ''}` : ''
    parts.push(`${dstate.count} processes were stuck in uninterruptible sleep (D)${oldestText}.`)
  }
  if (stacks.length > 0) {
    const pids = stacks.map((s) => (s.kind === 'stack' ? s.pid : s.pid)).filter((p): p is number => p !== undefined)
    parts.push(
      `Their kernel stacks${pids.length > 0 ? ` (pids ${pids.join(', ')})` : ''} end in ${code('synchronize_srcu')} under ${code('fsnotify_put_group')} ← ${code('inotify_release')}: ` +
        (fsnotifyOops
          ? `the task that oopsed in ${code(oops!.fn ?? 'fsnotify')} died inside fsnotify's SRCU read-side section and never left it, so every later close() of an inotify descriptor waits forever for a grace period that cannot end.`
          : "they wait for an SRCU grace period in fsnotify that never ends, the signature of a task that died inside fsnotify's SRCU read-side section."),
    )
  }
  const reports = hangs.filter((e) => e.kind !== 'd-state')
  if (reports.length > 0) parts.push(`The kernel itself reported ${reports.length} hang${reports.length > 1 ? 's' : ''} (${[...new Set(reports.map((e) => e.kind))].join(', ')}).`)
  parts.push(
    `Nothing turned the hang into a dump${lasted ? `: the host limped on for ${lasted} until the crash` : ''}. kernel.hung_task_panic, softlockup_panic and a Xen watchdog make a hang panic while its cause is still in memory.`,
  )
  return {
    id: 'hang-did-not-panic',
    title: stacks.length > 0 && fsnotifyOops ? 'Tasks hung in synchronize_srcu behind the dead task, and no detector panicked' : 'The host hung before the crash, and no detector panicked',
    detail: parts.join(' '),
    checks: ['KD503', 'KD505'],
    evidence: [...(dstate ? [dstate] : []), ...stacks.slice(0, 3), ...reports.slice(0, 3)],
  }
}

/**
 * An NMI the kernel logged and survived: under Xen, the hypervisor took it first and, with nmi=dom0
 * (the default of Xen's release builds), forwarded it to dom0, whose kernel logged it and carried on
 * (seen in the lab: Xen 4.17, Linux 6.1, QEMU's `nmi` as a BMC's "power diag").
 */
function nmiCause(a: Analysis): Draft | undefined {
  const nmis = a.before.filter((e): e is EventOf<'nmi'> => e.kind === 'nmi')
  if (nmis.length === 0) return undefined
  const first = nmis[0]!
  const xenLine = lastOf(a.events, 'xen-cmdline')
  const nmiOption = xenLine ? /(?:^|\s)nmi=(\S+)/.exec(xenLine.cmdline)?.[1] : undefined
  const setting = lastOf(a.events, 'sysctl-value', (e) => e.key === 'kernel.unknown_nmi_panic')
  const parts = [`At ${when(first)} the kernel logged ${code(first.detail)}${nmis.length > 1 ? ` (and ${nmis.length - 1} more NMI line${nmis.length > 2 ? 's' : ''})` : ''} and carried on: an NMI with no known reason panics only with kernel.unknown_nmi_panic=1 (or panic_on_unrecovered_nmi=1)${setting ? `; this host had ${code(setting.message)}` : ''}.`]
  if (a.isXen) {
    parts.push(
      nmiOption
        ? `Xen's command line has nmi=${nmiOption}, which forwarded the NMI to dom0 instead of making Xen panic.`
        : `Xen takes every NMI first; with no nmi= on its command line${xenLine ? '' : ' (if the logs show it)'}, a release build of Xen (nmi=dom0 by default) forwards it to dom0, whose kernel decides.`,
      `With ${code('nmi=fatal')} on Xen's line, Xen itself panics on the NMI and runs the loaded capture kernel; or set kernel.unknown_nmi_panic=1 in dom0.`,
    )
  } else {
    parts.push('Set kernel.unknown_nmi_panic=1 (and panic_on_io_nmi=1 for BMCs that flag their NMI as an I/O check) so that an NMI from the BMC dumps the host.')
  }
  return {
    id: 'nmi-did-not-panic',
    title: a.isXen ? 'The NMI reached dom0, which logged it and carried on: nothing crashed, nothing was dumped' : 'The NMI was logged and survived: nothing crashed, nothing was dumped',
    detail: parts.join(' '),
    checks: ['KD602'],
    evidence: [...nmis.slice(0, 3), ...(xenLine ? [xenLine] : []), ...(setting ? [setting] : [])],
  }
}

function nothingLoaded(a: Analysis, c: ChainResult): Draft {
  const config = configEvents(a)
  const image = c.links.find((l) => l.link === 'image')!
  const status = lastOf(config, 'kexec-status', (e) => e.loaded === false)
  const failures = allOf(config, 'kexec-load').filter((e) => e.ok === false)
  const notReady = lastOf(config, 'kdump-status', (e) => !e.ready)
  const xc = a.xenCrash
  const parts: string[] = []
  if (xc && (xc.action === 'halt' || xc.action === 'reboot')) {
    parts.push(
      `Xen received dom${xc.domain}'s crash and printed ${code(`${xc.wording === 'Domain 0' ? 'Domain 0' : `Hardware Dom${xc.domain}`} crashed: ${xc.detail}`)}${xc.time ? ` (${when(xc)})` : ''}: that is what Xen prints when it has no capture kernel to start; with one loaded it prints ${code('Executing crash image')} or ${code('Executing kexec image on cpu…')} instead. So no capture kernel ran, and nothing could be written to any dump target.`,
    )
  } else {
    parts.push(`${image.summary[0]!.toUpperCase()}${image.summary.slice(1)}, so no capture kernel ran.`)
  }
  if (status) parts.push(`Before the crash, ${code('kexec -S')} already said so (exit ${status.code}: not loaded).`)
  for (const failure of [...new Set(failures.map((f) => f.failure ?? 'kexec -p failed'))].slice(0, 2)) parts.push(`Loading it failed: ${code(failure)}.`)
  if (notReady) parts.push(`The kdump service agreed: ${code(notReady.detail)}.`)
  if (c.regionReserved === undefined && a.isXen) {
    const load = lastOf(a.events, 'load')
    const days = load ? /(\d+) days?/.exec(load.up) : null
    parts.push(
      `Either nothing was loaded into Xen (the kdump service never ran ${code('kexec -p')}, or it failed) or Xen had no crash region to load it into (${c.xenCmdline && CRASHKERNEL.test(c.xenCmdline.cmdline) ? `Xen's command line asks for one, but it may have selected or found no room for it` : `no ${code('crashkernel=')} on Xen's command line`}); these logs cannot tell which, because Xen's boot messages (${code('xl dmesg')}, the ${code('Kdump:')} line) are not among them${days && Number(days[1]) > 30 ? `, and after ${days[1]} days of uptime Xen's console ring has long wrapped` : ''}.`,
    )
  }
  const checks = ['KD202', 'KD300', 'KD301']
  if (c.regionReserved === undefined) checks.push('KD101', 'KD104')
  if (failures.some((f) => f.reason === 'old-kexec')) checks.push('KD201')
  return {
    id: 'nothing-loaded',
    title: 'No capture kernel was loaded, so none ran',
    detail: parts.join(' '),
    checks,
    evidence: [...(xc ? [xc] : []), ...(status ? [status] : []), ...failures, ...(notReady ? [notReady] : [])],
  }
}

function regionCause(a: Analysis, c: ChainResult): Draft | undefined {
  const region = c.links.find((l) => l.link === 'region')!
  if (region.status !== 'broken') return undefined
  const config = configEvents(a)
  const failed = lastOf(config, 'region-failed')
  const bad = lastOf(config, 'region-config-error')
  // The chain read Xen's last boot as reserving nothing: that boot, not an older failure line, is the story.
  if (c.regionSilence) return silentRegion(c.regionSilence)
  if (failed) {
    return {id: 'region-not-reserved', title: 'The crash region could not be reserved', detail: `${code(failed.message)}: with no region there is nowhere to load a capture kernel. Reserve a size that fits (and, on Xen, a placement the running version accepts).`, checks: ['KD104', 'KD105', 'KD103'], evidence: [failed]}
  }
  if (bad) {
    return {id: 'crashkernel-invalid', title: "Xen ignored a crashkernel= option it cannot parse", detail: `${code(bad.message)}: the running Xen does not understand this form of crashkernel= (ranges need Xen 4.1, ${code('<')} 4.8, ${code(',below=')} 4.10), so it reserved nothing.`, checks: ['KD103'], evidence: [bad, ...(c.xenCmdline ? [c.xenCmdline] : [])]}
  }
  if (a.isXen && c.xenCmdline) {
    // Xen's own boot banner is the primary evidence; `xl info` repeats it.
    const boot = lastOf(config, 'xen-cmdline', (e) => e.source === 'boot')
    return {
      id: 'no-crashkernel-on-xen',
      title: "No crashkernel= on Xen's command line: Xen reserved no crash region",
      detail: `Xen's command line is ${code(c.xenCmdline.cmdline)}. Under Xen only the hypervisor can reserve the crash region, and only when its own command line has ${code('crashkernel=')} (for example ${code('crashkernel=256M,below=4G')} on Xen >= 4.10, via GRUB_CMDLINE_XEN_DEFAULT). Without a region, no capture kernel can be loaded and a crash dumps nothing.`,
      checks: ['KD101', 'KD107', 'KD106'],
      evidence: boot && boot !== c.xenCmdline ? [boot, c.xenCmdline] : [c.xenCmdline],
    }
  }
  const cmdline = lastOf(config, 'kernel-cmdline')
  return {id: 'no-crash-region', title: 'No crash region was reserved', detail: `The kernel command line${cmdline ? ` (${code(cmdline.cmdline)})` : ''} has no ${code('crashkernel=')}, so no memory was set aside for a capture kernel.`, checks: ['KD104'], evidence: cmdline ? [cmdline] : []}
}

const GiB = 1n << 30n
const MiB = 1n << 20n
function size(bytes: bigint): string {
  if (bytes !== 0n && bytes % GiB === 0n) return `${bytes / GiB}G`
  if (bytes % MiB === 0n) return `${bytes / MiB}M`
  return `${bytes} bytes`
}
function rangeText(r: CrashkernelRange): string {
  return r.end === undefined ? `${size(r.size)} on machines with ${size(r.start)} of RAM or more` : `${size(r.size)} on machines with ${size(r.start)} up to ${size(r.end)} of RAM`
}

/**
 * crashkernel= on Xen's line and no region in Xen's complete boot log: the reason is read off the value
 * with the parser KD103 uses, matched against the RAM Xen itself counted (`System RAM:`).
 */
function silentRegion(s: XenRegionSilence): Draft {
  const asked = code(`crashkernel=${s.value}`)
  const ramLine = code(s.ram.message)
  const evidence = [s.cmdline, s.ram]
  const how = `Xen's boot log runs from its ${code('Command line:')} to ${ramLine} with no ${code('Kdump:')} line in between, and that is where Xen reports the region it reserved (or failed to): it reserved none, so no capture kernel could be loaded.`
  // A form this Xen does not know makes it print a `crashkernel:` warning, which the chain reads before
  // coming here; what is left to tell apart is a value with no usable size and one that selects nothing.
  const spec = parseCrashkernel(s.value, {dialect: 'xen'})
  if (!spec.ok) {
    return {id: 'crashkernel-invalid', title: "Xen could not read a size from its crashkernel= option and reserved nothing", detail: `${asked} on Xen's command line does not parse (${spec.problems.map((p) => p.message).join('; ')}). ${how}`, checks: ['KD103', 'KD104'], evidence}
  }
  const selected = selectCrashkernel(spec.value, BigInt(s.ram.kb) * 1024n)
  const warned = selected.warnings.length > 0 ? ` (Xen's selection says ${selected.warnings.map((w) => code(w)).join(', ')})` : ''
  if (selected.size === 0n && spec.value.form === 'ranges') {
    return {
      id: 'region-not-reserved',
      title: `Xen's crashkernel= ranges cover none of this machine's ${s.ram.mb} MB of RAM: no crash region was reserved`,
      detail: `${asked} asks for ${spec.value.ranges.map(rangeText).join('; ')}. Xen matches the ranges against the RAM it counted, ${ramLine}, and none covers it${warned}, so the size it selected is 0 and it reserved nothing. ${how} Use a plain size (${code('crashkernel=256M,below=4G')} on Xen >= 4.10) or ranges that start at 0.`,
      checks: ['KD103', 'KD104'],
      evidence,
    }
  }
  if (selected.size === 0n) {
    return {id: 'region-not-reserved', title: "Xen's crashkernel= asks for 0 bytes: no crash region was reserved", detail: `${asked} reserves nothing. ${how}`, checks: ['KD103', 'KD104'], evidence}
  }
  const wanted = selected.size !== undefined ? `${size(selected.size)} on this machine (${ramLine})` : 'a region'
  return {
    id: 'region-not-reserved',
    title: 'Xen reserved no crash region although its command line asks for one',
    detail: `${asked} asks for ${wanted}. ${how} Xen prints nothing when automatic placement finds no room for the region below the limit it was given; a smaller size or a higher limit leaves it room.`,
    checks: ['KD104', 'KD103'],
    evidence,
  }
}

function dom0Crashkernel(a: Analysis): Draft | undefined {
  const config = configEvents(a)
  const ignored = lastOf(config, 'dom0-crashkernel-ignored')
  const cmdline = lastOf(config, 'kernel-cmdline', (e) => CRASHKERNEL.test(e.cmdline) && !/elfcorehdr=/.test(e.cmdline))
  if (!ignored && !(a.isXen && cmdline)) return undefined
  const value = cmdline ? CRASHKERNEL.exec(cmdline.cmdline)?.[1] : undefined
  return {
    id: 'crashkernel-on-dom0-line',
    title: "crashkernel= is on dom0's Linux line, where Xen ignores it",
    detail: `${value ? `${code(`crashkernel=${value}`)} sits on dom0's own command line` : "dom0's command line carries crashkernel="}${ignored ? `, and dom0 said so: ${code(ignored.detail)}` : ''}. Under Xen the crash region is reserved by the hypervisor from its own command line (GRUB_CMDLINE_XEN / GRUB_CMDLINE_XEN_DEFAULT), not by dom0; distribution tools that edit GRUB_CMDLINE_LINUX put it in the wrong place.`,
    checks: ['KD102', 'KD101'],
    evidence: [...(ignored ? [ignored] : []), ...(cmdline ? [cmdline] : [])],
  }
}

function captureCause(a: Analysis, c: ChainResult): Draft | undefined {
  if (c.captureFailure === 'crashed') {
    const crash = a.capture.find((e) => e.kind === 'panic' || e.kind === 'oops')!
    return {id: 'capture-kernel-crashed', title: 'The capture kernel itself crashed', detail: `${code(crash.message)}: the capture kernel died before the collector could save the vmcore. Usual causes: too small a crash region for the kernel and initrd, or a kernel that cannot boot on bare metal (a Xen-only kernel).`, checks: ['KD105', 'KD203', 'KD204'], evidence: [crash]}
  }
  const load = allOf(configEvents(a), 'kexec-load').find((e) => e.append !== undefined && /(?:^|\s)(?:console=hvc\d*|earlyprintk=xen)/.test(e.append))
  const inferred = c.captureInferred
  if (!load && inferred && c.captureFailure === 'hung') {
    const xc = a.xenCrash!
    const tokens = inferred.tokens.map(code).join(' and ')
    const loader = inferred.loader
    return {
      id: 'capture-console-xen-only',
      title: "The capture kernel most likely got dom0's Xen-only console, and hung",
      detail:
        `Xen started the capture kernel (${code(xc.message)}) and nothing from it follows: no boot banner, no ${code('elfcorehdr=')} command line, no collector output. ` +
        `These logs do not show the capture kernel's command line, so this is inferred from that silence and from dom0's own command line (${code(inferred.dom0.cmdline)}), which has ${tokens}: ` +
        `Debian's kdump-config (KDUMP_CMDLINE unset) and RHEL's kdumpctl (KDUMP_COMMANDLINE unset) copy dom0's /proc/cmdline, Xen-only console included, into the capture kernel${loader ? `, and the capture kernel was loaded by the kdump service (${code(loader.message)})` : ''}. ` +
        `The capture kernel runs on bare metal, where that console does not exist, and a capture kernel given it hangs there without a word. ` +
        `Confirm with ${code('kdump-config show')} (the recorded kexec command) or the kdump service's configuration; give the capture kernel a serial console (${code('KDUMP_CMDLINE="... console=ttyS0,115200"')}, RHEL: KDUMP_COMMANDLINE).`,
      checks: ['KD206'],
      evidence: [xc, inferred.dom0, ...(loader ? [loader] : [])],
    }
  }
  if (!load) return undefined
  return {
    id: 'capture-console-xen-only',
    title: 'The capture kernel was given a Xen-only console',
    detail: `The capture kernel's command line (${code(load.append ?? '')}) names ${code('console=hvc0')}/${code('earlyprintk=xen')}, consoles that exist only under Xen; the capture kernel runs on bare metal and hangs silently after Xen's ${code('Executing kexec image')}. kdump-config copies dom0's command line when KDUMP_CMDLINE is unset; give it a serial console (${code('console=ttyS0,115200')}).`,
    checks: ['KD206'],
    evidence: [load],
  }
}

function collectorCauses(a: Analysis, c: ChainResult): {root?: Draft; extra: Draft[]} {
  const extra: Draft[] = []
  const col = c.collector
  const claimed = col.evidence.find((e): e is EventOf<'dump-saved'> => e.kind === 'dump-saved' && e.claimed)
  const empty = col.evidence.find((e): e is EventOf<'dump-file'> => e.kind === 'dump-file' && e.size === 0)
  let root: Draft | undefined
  if (col.state === 'failed' || col.state === 'empty') {
    const noInfo = col.evidence.find((e) => e.kind === 'collector-failed' && e.reason === 'no-vmcoreinfo')
    const start = lastOf(a.capture, 'collector-start', (e) => !e.dmesgOnly)
    if (noInfo) {
      root = {
        id: 'collector-needs-vmcoreinfo',
        title: "makedumpfile could not filter a Xen vmcore (no Linux VMCOREINFO)",
        detail: `${start ? `The collector ran ${code(start.command)}. ` : ''}Page filtering (${code('-d N')}, N > 0) needs the crashed kernel's VMCOREINFO to read its page tables, but a vmcore taken through Xen's kexec carries only Xen's VMCOREINFO_XEN, so makedumpfile stopped: ${code(noInfo.message.replace(/\.$/, ''))}. Give it the dom0 kernel's debug vmlinux (${code('-x')}) or a vmcoreinfo file (${code('-i')}), or copy without page filtering (${code('makedumpfile -E -X')}, ${code('-d 0')}, or a raw copy).`,
        checks: ['KD406'],
        evidence: [...(start ? [start] : []), noInfo, ...col.evidence.filter((e) => e.kind === 'collector-failed' && e !== noInfo).slice(0, 1)],
      }
    } else {
      const reason = col.reason
      const checks = reason === 'no-space' ? ['KD402', 'KD401'] : reason === 'not-found' ? ['KD204'] : ['KD406', 'KD401', 'KD402']
      root = {id: 'collector-failed', title: 'The collector failed to save the vmcore', detail: `${col.evidence.map((e) => code(e.message)).slice(0, 3).join(', ')}.`, checks, evidence: col.evidence.slice(0, 4)}
    }
  }
  if (col.state === 'empty' && (claimed || empty)) {
    extra.push({
      id: 'false-success',
      title: 'The kdump service logged success over an empty dump',
      detail: `${claimed ? `${code(claimed.message)} was logged although the collector had failed` : 'The collector failed'}${empty ? `, leaving ${code(empty.path)} at 0 bytes` : ''}. Debian's kdump-config does not check makedumpfile's result before claiming success; only the file size tells the truth.`,
      checks: ['KD406', 'KD600'],
      evidence: [...(claimed ? [claimed] : []), ...(empty ? [empty] : [])],
    })
  }
  return {...(root ? {root} : {}), extra}
}

function noreboot(a: Analysis, c: ChainResult): Draft | undefined {
  if (c.verdict.host_after_crash !== 'halted' || c.outcome === 'vmcore-written') return undefined
  const halted = a.xenCrash?.action === 'halt' ? a.xenCrash : a.after.find((e) => e.kind === 'xen-after-panic')
  const cmdline = c.xenCmdline && NOREBOOT.test(c.xenCmdline.cmdline) ? c.xenCmdline : undefined
  return {
    id: 'noreboot-halted',
    title: "Xen's noreboot halted the host instead of rebooting it",
    detail: `With ${code('noreboot')} (or ${code('reboot=no')}) on Xen's command line${cmdline ? ` (${code(cmdline.cmdline)})` : ''}, Xen halts the machine when dom0 crashes and no capture kernel takes over, so the host stays dead until someone resets it out of band. Behind a working capture kernel this does not matter; without one it turns every crash into an outage that needs hands.`,
    checks: ['KD500'],
    evidence: [...(halted ? [halted] : []), ...(cmdline ? [cmdline] : [])],
  }
}

function notes(a: Analysis, c: ChainResult): Draft[] {
  const out: Draft[] = []
  const writes = allOf(a.events, 'command')
  const core = writes.find((e) => e.command.type === 'sysctl-write' && e.command.key === 'kernel.core_pattern') ?? lastOf(a.events, 'sysctl-value', (e) => e.key === 'kernel.core_pattern')
  if (core) {
    const value = core.kind === 'command' && core.command.type === 'sysctl-write' ? core.command.value : core.kind === 'sysctl-value' ? core.value : undefined
    const dir = value && value.startsWith('/') ? value.slice(0, value.lastIndexOf('/')) || '/' : undefined
    out.push({
      id: 'core-pattern-is-for-user-space',
      title: 'core_pattern was irrelevant: it only governs user-space core dumps',
      detail: `${code(core.message)} sets where user-space process core files go. It plays no part in a kernel crash dump: a vmcore is written by the kdump capture kernel to the kdump target (${code('path')} in /etc/kdump.conf, default /var/crash; KDUMP_COREDIR in /etc/default/kdump-tools)${dir ? `, so ${code(dir)} was never going to receive one` : ''}.`,
      checks: ['KD405'],
      evidence: [core],
    })
  }
  const trigger = writes.find((e) => e.command.type === 'sysrq-trigger')
  const sysrq = writes.find((e) => e.command.type === 'sysctl-write' && e.command.key === 'kernel.sysrq')
  const viaProc = trigger || a.episode.some((e) => (e.kind === 'oops' || e.kind === 'panic') && e.frames.includes('write_sysrq_trigger'))
  if (sysrq && viaProc) {
    out.push({id: 'sysrq-mask-not-needed', title: 'kernel.sysrq=1 was not needed for the trigger', detail: `${code(sysrq.message)} opens the keyboard and serial-break paths; writes to /proc/sysrq-trigger ignore the kernel.sysrq mask altogether.`, checks: ['KD601'], evidence: [sysrq, ...(trigger ? [trigger] : [])]})
  }
  const nmi = writes.find((e) => e.command.type === 'sysctl-write' && e.command.key === 'kernel.unknown_nmi_panic')
  if (nmi && a.isXen) {
    out.push({id: 'unknown-nmi-panic-under-xen', title: "kernel.unknown_nmi_panic in dom0 is at best an indirect path under Xen", detail: `${code(nmi.message)}: the hypervisor takes NMIs first and forwards only some to dom0, and only with ${code('nmi=dom0')} (the default on release builds); ${code('nmi=fatal')} makes Xen itself crash into the capture kernel. It played no part in this crash.`, checks: ['KD602'], evidence: [nmi]})
  }
  const notReady = lastOf(configEvents(a), 'kdump-status', (e) => !e.ready)
  if (notReady && c.imageLoaded === true) {
    out.push({id: 'distribution-status-wrong', title: "The distribution's kdump status was wrong", detail: `${code(notReady.detail)}, yet a capture kernel was loaded in Xen. Debian's kdump-config and Red Hat's kdumpctl read dom0's /proc/cmdline and sysfs, which a pvops dom0 leaves empty under Xen: on Xen dom0s their verdict is not evidence.`, checks: ['KD603', 'KD202'], evidence: [notReady]})
  }
  const noInfo = a.capture.find((e) => e.kind === 'no-linux-vmcoreinfo')
  if (noInfo && c.collector.reason !== 'no-vmcoreinfo') {
    out.push({id: 'xen-vmcore-without-vmcoreinfo', title: 'The vmcore has no Linux VMCOREINFO', detail: `${code(noInfo.message)}: a vmcore taken through Xen's kexec carries Xen's VMCOREINFO_XEN only. A raw copy is complete, but ${code('makedumpfile -d N')}, vmcore-dmesg and crash need the dom0 kernel's debug vmlinux to read it.`, checks: ['KD406'], evidence: [noInfo]})
  }
  return out
}

export function findCauses(a: Analysis, c: ChainResult): Cause[] {
  const out: Cause[] = []
  const first = c.verdict.first_broken_link?.link
  const survived = survivedOopses(a)
  const hang = hangCause(a)
  const region = regionCause(a, c)
  const dom0 = dom0Crashkernel(a)
  const capture = captureCause(a, c)
  const collector = collectorCauses(a, c)

  const nmi = nmiCause(a)
  if (first === 'crash') {
    // An NMI someone sent to get a dump, and that did not get one, is why there is none; an Oops or a
    // hang before it is what made the host need one.
    if (nmi) out.push(cause('root', nmi))
    else if (survived.length > 0) out.push(cause('root', oopsCause(a, survived)))
    else if (hang) out.push(cause('root', hang))
  } else if (first === 'region' && region) {
    out.push(cause('root', region))
  } else if (first === 'image') {
    out.push(cause('root', nothingLoaded(a, c)))
  } else if (first === 'capture-kernel' && capture) {
    out.push(cause('root', capture))
  } else if ((first === 'collector' || first === 'vmcore') && collector.root) {
    out.push(cause('root', collector.root))
  }
  const has = (id: string) => out.some((x) => x.id === id)
  if (first === 'region' && c.imageLoaded === false) out.push(cause('contributing', nothingLoaded(a, c)))
  // With crashkernel= on Xen's own line too, dom0's copy did no harm (Debian's kdump-config even needs it): a note.
  const xenHasCrashkernel = c.xenCmdline !== undefined && CRASHKERNEL.test(c.xenCmdline.cmdline)
  if (dom0 && !has(dom0.id)) out.push(cause(xenHasCrashkernel ? 'note' : 'contributing', dom0))
  if (capture && !has(capture.id)) out.push(cause(c.outcome === 'vmcore-written' ? 'note' : 'contributing', capture))
  for (const d of collector.extra) out.push(cause('contributing', d))
  if ((first !== 'crash' || nmi) && survived.length > 0) out.push(cause('contributing', oopsCause(a, survived)))
  if (hang && !has(hang.id)) out.push(cause('contributing', hang))
  const halted = noreboot(a, c)
  if (halted) out.push(cause('contributing', halted))
  for (const d of notes(a, c)) out.push(cause('note', d))
  // A written vmcore is no failure for anything to contribute to: what would have been contributing
  // (crashkernel= also on dom0's line, say) is still worth saying, as a note.
  if (c.outcome === 'vmcore-written') return out.map((x) => (x.role === 'contributing' ? {...x, role: 'note'} : x))
  return out
}
