import {kexecAtLeast} from '../parsers/versions.js'
import type {DistroStatus} from '../facts/distro-report.js'
import type {Facts} from '../facts/facts.js'
import type {Evidence} from '../snapshot/evidence.js'
import {defineCheck, notApplicable, pass} from './types.js'

type Ours = 'loaded' | 'not-loaded' | 'unknown'

interface Comparison {
  agrees: boolean
  text: string
  evidence: Evidence[]
}

/** dom0's /sys/kernel/kexec_crash_loaded cannot see Xen's capture kernel: a pvops dom0, or a xenolinux one whose kexec-tools load into Xen directly (>= 2.0.5). */
export function dom0SysfsBlind(facts: Facts): boolean {
  if (!facts.xenPvDom0 || !facts.role.known || facts.role.value.kind !== 'xen-dom0') return false
  if (facts.role.value.kernel !== 'xenolinux') return true
  return !(facts.kexecTools.known && kexecAtLeast(facts.kexecTools.value.version, '2.0.5') === false)
}

function said(s: DistroStatus): string {
  const r = s.reading!
  const line = r.decidedBy ? `"${r.decidedBy.text}"` : r.verdict === 'operational' ? 'operational' : 'not operational'
  return `\`${s.command}\` says ${line}${r.exitCode === undefined ? '' : ` (exit ${r.exitCode})`}`
}

function compare(facts: Facts, s: DistroStatus, ours: Ours): Comparison {
  const r = s.reading!
  const claim = r.verdict
  const blind = dom0SysfsBlind(facts)
  const load = facts.captureLoaded
  const by = load.known ? load.value.by : ''
  const kdumpConfig = s.probe === 'kdump-config-status' || r.tool === 'kdump-config'
  const region = facts.crashRegion
  const cmdlineComplaint = r.messages.find((m) => /crashkernel|No memory reserved/i.test(m.text))
  const regionNote =
    cmdlineComplaint && facts.xenPvDom0 && region.known && region.value.reserved
      ? ` Its complaint "${cmdlineComplaint.text}" is about dom0's own command line and memory; under Xen the region belongs to the hypervisor, and Xen did reserve it.`
      : ''
  const head = said(s)

  if (r.basis === 'service-state') {
    if (claim === 'operational') {
      if (ours === 'loaded') return {agrees: true, text: `${head}; a capture kernel is loaded (${by}).`, evidence: []}
      const useKdumpOff = facts.dumpPlan.known && facts.dumpPlan.value.useKdump?.value === false ? ' (here USE_KDUMP is off: the init script exits 0 without loading anything, KD303)' : ''
      const xen = facts.xenPvDom0 ? ' On Xen an active service proves nothing about a loaded capture kernel.' : ''
      if (ours === 'not-loaded') {
        return {agrees: false, text: `${head}, but no capture kernel is loaded (${by}): the kdump units are oneshot services that stay "active (exited)" once their start command exited 0, whatever it loaded${useKdumpOff}.${xen}`, evidence: load.evidence}
      }
      return {agrees: false, text: `${head}: that only means the service's start command exited 0; it is not evidence that a capture kernel is loaded, which this report cannot prove either (KD202).${xen}`, evidence: []}
    }
    if (ours === 'not-loaded') return {agrees: true, text: `${head}; no capture kernel is loaded (${by}).`, evidence: []}
    if (ours === 'loaded') {
      return {agrees: false, text: `${head}, but a capture kernel is loaded (${by}): it was loaded by hand or left behind by the service, and nothing reloads it after a reboot unless the service runs (KD300, KD301).`, evidence: load.evidence}
    }
    return {agrees: false, text: `${head}; whether a capture kernel is loaded anyway cannot be proven (KD202).`, evidence: []}
  }

  // A loaded-check: the tool read the kernel's own "crash kernel loaded" flag.
  const sysfs = "/sys/kernel/kexec_crash_loaded"
  if (claim === 'operational') {
    if (ours === 'loaded') return {agrees: true, text: `${head}; a capture kernel is loaded (${by}).`, evidence: []}
    if (blind) {
      const what = ours === 'not-loaded' ? `but Xen holds no capture kernel (${by})` : 'but what Xen holds cannot be proven (KD202)'
      return {
        agrees: false,
        text: `${head}, ${what}: on this dom0 ${sysfs} describes dom0's own kernel, not Xen, so a 1 there means an image loaded into dom0 (kexec-tools without Xen support, or a dom0-line crashkernel= region), which Xen never runs on a crash.`,
        evidence: load.evidence,
      }
    }
    if (ours === 'not-loaded') return {agrees: false, text: `${head}, but no capture kernel is loaded according to ${by}: the two were read moments apart, so the load may have changed in between; run both again.`, evidence: load.evidence}
    return {agrees: false, text: `${head} (from ${sysfs}, which is trustworthy on this host), but this snapshot lacks the evidence to confirm it: ${load.known ? '' : load.reason}.`, evidence: load.evidence}
  }
  // claim: not operational
  const exitZero = r.exitCode === 0
  const exitNote = exitZero
    ? ` It exits 0 all the same${kdumpConfig ? ' (kdump-config status always does)' : ''}, so anything that judges it by its exit status (monitoring, an Ansible task) reads success.`
    : ''
  if (ours === 'not-loaded') {
    const active = facts.serviceState.active
    const stillActive = active.known && active.value ? ` ${facts.serviceState.name} is "active" nonetheless.` : ''
    if (exitZero) return {agrees: false, text: `${head}, and indeed no capture kernel is loaded (${by}).${exitNote}${stillActive}`, evidence: []}
    return {agrees: true, text: `${head}; no capture kernel is loaded (${by}).`, evidence: []}
  }
  if (blind) {
    const pvops = facts.role.known && facts.role.value.kind === 'xen-dom0' && facts.role.value.kernel === 'pvops'
    const kind = pvops ? 'the pvops false negative' : 'a dom0 false negative'
    if (ours === 'loaded') {
      return {
        agrees: false,
        text: `${head}, but a capture kernel is loaded in Xen (${by}): ${kind}. The tool reads ${sysfs}, which a ${pvops ? 'pvops' : 'Xen'} dom0 reads as 0 even while Xen holds a working capture kernel.${regionNote}${exitNote}`,
        evidence: load.evidence,
      }
    }
    return {
      agrees: false,
      text: `${head}, but that comes from ${sysfs}, which a ${pvops ? 'pvops' : 'Xen'} dom0 reads as 0 whatever Xen holds: it is no evidence either way, and this report cannot prove the load either (KD202).${regionNote}${exitNote}`,
      evidence: load.evidence,
    }
  }
  if (ours === 'loaded') {
    return {agrees: false, text: `${head}, but a capture kernel is loaded according to ${by}: the two were read moments apart, so the load may have changed in between; run both again.${exitNote}`, evidence: load.evidence}
  }
  return {agrees: false, text: `${head} (from ${sysfs}, which is trustworthy on this host), but this snapshot lacks the evidence to confirm it: ${load.known ? '' : load.reason}.${exitNote}`, evidence: load.evidence}
}

export default defineCheck(
  {
    id: 'KD603',
    title: "The distribution's own kdump status disagrees with this report",
    severity: 'info',
    scope: 'runtime',
    stage: 'proof',
    why: `People and monitoring trust \`kdumpctl status\` (RHEL 7+), \`service kdump status\` (RHEL 5/6) and \`kdump-config status\` (Debian, Ubuntu). All three decide from dom0's /sys/kernel/kexec_crash_loaded, and none knows about Xen: on a pvops dom0 that file reads 0 even while Xen holds a working capture kernel (seen in the lab: "Not ready to kdump" on a dom0 that dumped fine), so they report a false negative, and an admin who "fixes" it may break a working setup. \`kdump-config status\` also exits 0 whatever it prints, so a monitor that checks its exit status never sees a failure. And \`systemctl status\` only says the oneshot unit's start command exited 0: kdump-tools with USE_KDUMP=0, for example, stays "active (exited)" without loading anything. This check compares their word with this report's view of the load and the region and says why they differ.`,
    fix: `Nothing to fix on the host when the difference is explained above; fix the monitoring instead:
- On Xen dom0s do not use \`kdumpctl status\` / \`kdump-config status\` / \`systemctl is-active\` as the kdump health check. Use \`kexec -p -S; echo $?\` (1 = loaded; needs Xen >= 4.9 and kexec-tools >= 2.0.15) together with \`xl dmesg | grep Kdump\`, or \`kdumpcheck check --format prometheus\`.
- Never judge \`kdump-config status\` by its exit status; match "ready to kdump" in its output.
- Where the tools disagree on a native host, run both again: the load may have changed between the two readings.`,
    references: [
      'https://wiki.xenproject.org/wiki/Kexec_and_Kdump',
      'https://manpages.debian.org/bookworm/kdump-tools/kdump-config.8.en.html',
      'https://github.com/rhkdump/kdump-utils',
      'https://docs.kernel.org/admin-guide/kdump/kdump.html',
    ],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const spoken = facts.distroReport.statuses.filter((s) => s.reading && s.reading.verdict !== 'unknown')
    if (spoken.length === 0) {
      const ran = facts.distroReport.statuses.map((s) => s.command)
      return notApplicable(ran.length === 0 ? 'No distribution status command was collected.' : `No distribution status command gave a verdict (${ran.join(', ')} ran).`)
    }
    const load = facts.captureLoaded
    const ours: Ours = load.known ? (load.value.loaded ? 'loaded' : 'not-loaded') : 'unknown'
    const results = spoken.map((s) => ({s, c: compare(facts, s, ours)}))
    const evidence: Evidence[] = []
    const seen = new Set<string>()
    for (const e of [...results.flatMap(({s, c}) => [...s.evidence, ...c.evidence])]) {
      const key = `${e.source}:${e.line ?? ''}`
      if (!seen.has(key)) {
        seen.add(key)
        evidence.push(e)
      }
    }
    const differ = results.filter(({c}) => !c.agrees)
    if (differ.length === 0) return pass(`The distribution's own status agrees with this report: ${results.map(({c}) => c.text).join(' ')}`, evidence)
    const agreeing = results.filter(({c}) => c.agrees).map(({c}) => c.text)
    return {
      status: 'problem',
      message: `The distribution's own status differs from this report. ${differ.map(({c}) => c.text).join(' ')}${agreeing.length > 0 ? ` (Agreeing: ${agreeing.join(' ')})` : ''}`,
      evidence,
    }
  },
)
