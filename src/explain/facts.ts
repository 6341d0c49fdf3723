/**
 * Facts the logs establish on the side: which Xen (exactly, or bounded by its wording), which dom0
 * kernel, what triggered the crash. Each keeps the lines it rests on.
 */
import {allOf, lastOf, type Analysis} from './analysis.js'
import {ref} from './chain.js'
import type {EventOf, ExplainEvent} from './events.js'
import type {ExplainFacts, LogFact} from './result.js'

function fact(value: string, basis: string, evidence: ExplainEvent[]): LogFact {
  return {value, basis, evidence: evidence.map(ref)}
}

export function xenVersion(a: Analysis): LogFact | undefined {
  const exact = lastOf(a.events, 'xen-version', (e) => e.source === 'xen') ?? lastOf(a.events, 'xen-version')
  if (exact) return fact(exact.version, exact.source === 'xen' ? "Xen's boot banner" : exact.source === 'xl-info' ? 'xl info' : "dom0's kernel log", [exact])
  const crash = a.xenCrash ?? lastOf(a.events, 'xen-crash')
  if (!crash) return undefined
  const executing = crash.detail.startsWith('Executing crash image') ? '4.4' : crash.detail.startsWith('Executing kexec image') ? '>= 4.5' : undefined
  if (crash.wording === 'Domain 0') {
    if (executing === '4.4') return fact('4.4', '`Domain 0 crashed:` (Xen <= 4.5) followed by `Executing crash image` (only Xen 4.4)', [crash])
    if (executing) return fact('4.5', '`Domain 0 crashed:` (Xen <= 4.5) followed by `Executing kexec image` (Xen >= 4.5)', [crash])
    return fact('<= 4.5', 'Xen 4.6 and later print `Hardware Dom0 crashed:`; this one printed `Domain 0 crashed:`', [crash])
  }
  return fact('>= 4.6', 'Xen up to 4.5 prints `Domain 0 crashed:`; this one printed `Hardware Dom0 crashed:`', [crash])
}

function dom0Kernel(a: Analysis): LogFact | undefined {
  const boot = lastOf(a.before, 'kernel-boot', (e) => !e.capture)
  const task = [...a.episode, ...a.before].reverse().find((e): e is EventOf<'oops'> | EventOf<'panic'> => (e.kind === 'oops' || e.kind === 'panic') && e.release !== undefined)
  const release = boot?.release ?? task?.release
  if (!release) return undefined
  const evidence = [boot ?? task!]
  if (!a.isXen) return fact(release, 'kernel banner or Oops header', evidence)
  const pvops = lastOf(a.events, 'xen-pv-domain')
  if (/xen/i.test(release)) return fact(`${release} (xenolinux dom0)`, 'a Xen-patched kernel release: its own /proc/iomem and kexec view of the crash region can be trusted', evidence)
  if (pvops) return fact(`${release} (pvops dom0)`, 'mainline kernel running as a Xen PV domain: its sysfs and /proc/iomem never show the crash region or a loaded capture kernel', [...evidence, pvops])
  return fact(release, 'kernel banner or Oops header', evidence)
}

function trigger(a: Analysis): LogFact | undefined {
  if (a.anchor === undefined) return undefined
  const sysrq = a.episode.find((e) => e.kind === 'sysrq-crash')
  if (sysrq) {
    const viaProc = a.episode.some((e) => (e.kind === 'oops' || e.kind === 'panic') && e.frames.includes('write_sysrq_trigger'))
    const command = [...allOf(a.events, 'command')].reverse().find((e) => e.command.type === 'sysrq-trigger')
    const task = a.episode.find((e): e is EventOf<'oops'> | EventOf<'panic'> => (e.kind === 'oops' || e.kind === 'panic') && e.comm !== undefined)
    const how = command ? 'by the operator through /proc/sysrq-trigger' : viaProc ? 'through /proc/sysrq-trigger' : ''
    const comm = task?.comm ? `; the crashing task was \`${task.comm}\`${command ? `, from the operator's \`${command.message}\`` : ''}` : ''
    return fact(`sysrq-c${how ? `, ${how}` : ''}`, `a deliberate crash${comm}`, [sysrq, ...(command ? [command] : []), ...(task ? [task] : [])])
  }
  const oops = a.episode.find((e): e is EventOf<'oops'> => e.kind === 'oops' && !e.induced)
  if (oops && a.panic) return fact(`an Oops${oops.fn ? ` in ${oops.fn}` : ''} that panicked (panic_on_oops=1 or a fatal context)`, a.panic.reason, [oops, a.panic])
  const hang = a.episode.find((e) => e.kind === 'soft-lockup' || e.kind === 'hard-lockup' || e.kind === 'hung-task' || e.kind === 'nmi' || e.kind === 'rcu-stall')
  if (hang && a.panic) return fact(`a ${hang.kind.replace('-', ' ')} detector that panicked`, a.panic.reason, [hang, a.panic])
  const key = a.episode.find((e) => e.kind === 'xen-key-crash')
  if (key) return fact("Xen's debug key 'C'", 'a deliberate crash from the Xen console', [key])
  const xenPanic = a.episode.find((e) => e.kind === 'xen-panic')
  // Xen prints its panic's reason on the line after `Panic on CPU n:`
  const trap = a.after.find((e): e is EventOf<'xen-fatal-trap'> => e.kind === 'xen-fatal-trap' && e.phase === 'system')
  if (xenPanic && trap?.vector === 2) return fact('an NMI, on which Xen panicked (nmi=fatal)', trap.detail, [xenPanic, trap])
  if (xenPanic) return fact('a Xen panic', trap ? trap.detail : 'the hypervisor itself crashed', [xenPanic, ...(trap ? [trap] : [])])
  if (a.panic) return fact(`a kernel panic: ${a.panic.reason}`, 'panic message', [a.panic])
  return undefined
}

export function collectFacts(a: Analysis): ExplainFacts {
  const facts: ExplainFacts = {}
  const xen = xenVersion(a)
  if (xen) facts.xen_version = xen
  const kernel = dom0Kernel(a)
  if (kernel) facts.dom0_kernel = kernel
  const how = trigger(a)
  if (how) facts.trigger = how
  if (a.panic) facts.panic_reason = fact(a.panic.reason, '`Kernel panic - not syncing:` line', [a.panic])
  const load = lastOf(a.events, 'load')
  if (load) facts.host_uptime = fact(load.up, `top at ${load.clock}`, [load])
  return facts
}
