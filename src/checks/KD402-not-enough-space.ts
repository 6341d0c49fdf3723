import {dumpSize, effectiveCollector, maxDumpLevel, type DumpSize} from '../facts/dump-collector.js'
import {freeSpace} from '../facts/dump-landing.js'
import {formatBytes as size} from '../units.js'
import {defineCheck, notApplicable, pass, type Outcome} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'

/** What lowers a typical dump below the worst case, in words. */
function reducers(s: DumpSize, level: number, xenNoX: boolean): string {
  const parts: string[] = []
  if (s.filtered) parts.push(`-d ${level} drops ${xenNoX ? "dom0's" : 'the'} free, cache and user pages${xenNoX ? ' (and zero pages anywhere)' : ''}`)
  if (s.compressed) parts.push('compression shrinks what remains')
  return parts.join(' and ')
}

export default defineCheck(
  {
    id: 'KD402',
    title: 'Not enough free space for the expected dump',
    severity: 'error',
    scope: 'runtime',
    stage: 'target',
    why: `The capture kernel writes the vmcore to the target filesystem; when it fills up, makedumpfile stops ("No space left on device"), RHEL keeps at most a vmcore-incomplete and runs its failure action, Debian's kdump-config may still report success over a truncated file. The size to expect is not dom0's memory: the capture kernel on a Xen host sees the whole machine, so an unfiltered dump is as large as all machine RAM (xl info total_memory), every guest included. makedumpfile -X drops the guests' pages, leaving roughly dom0's memory plus Xen's own (about 1% of the machine here). Page filtering (-d 31) and compression make a typical dump far smaller, but never the worst case: a busy host can fill every page. So: an unfiltered dump that cannot fit fails (error); a filtered dump whose worst case cannot fit is a warning. On Xen without -X, -d only knows dom0's pages: the guests' memory stays in the dump. The free space is read from df on the filesystem that will hold the dump (for a kdump.conf dump disk mounted elsewhere, e.g. at /data, that filesystem, with path relative to it). Only a live host has free-space evidence; NFS, SSH and raw targets cannot be measured from a snapshot.`,
    fix: `Make the worst case fit, or make the dump smaller:\n- On Xen, drop the guests' pages with -X: Debian/Ubuntu \`MAKEDUMP_ARGS="-E -X -d 0"\` in /etc/default/kdump-tools; RHEL \`core_collector makedumpfile -E -X -d 0\` in /etc/kdump.conf (page filtering above -d 1 also needs -x/-i on Xen: KD406).\n- Natively, filter and compress: RHEL \`core_collector makedumpfile -l --message-level 7 -d 31\`; Debian \`MAKEDUMP_ARGS="-c -d 31"\`; SUSE \`KDUMP_DUMPLEVEL="31"\` and \`KDUMP_DUMPFORMAT="compressed"\` in /etc/sysconfig/kdump.\n- Or give dumps a larger filesystem: RHEL \`xfs UUID=<uuid>\` plus \`path /var/crash\` in kdump.conf (path relative to that filesystem); Debian KDUMP_COREDIR on a larger mount; SUSE KDUMP_SAVEDIR; then restart the kdump service (\`kdumpctl restart\`, \`systemctl restart kdump-tools\`, \`systemctl restart kdump\`).`,
    references: ['https://docs.kernel.org/admin-guide/kdump/kdump.html', 'https://github.com/makedumpfile/makedumpfile', 'https://wiki.xenproject.org/wiki/Kexec_and_Kdump'],
  },
  (facts): Outcome => {
    const plan = facts.dumpPlan
    if (!plan.known) return {status: 'unknown', message: `The dump plan is unknown: ${plan.reason}.`, evidence: plan.evidence, verify: 'df -Pk /var/crash; xl info | grep total_memory'}
    const p = plan.value
    if (p.keepsVmcore && !p.keepsVmcore.value) return notApplicable('This XenServer keeps no vmcore (CRASH_COREDUMP: KD304), only a small crash analysis.')
    const collector = effectiveCollector(p, facts.xenPvDom0)
    const machine = facts.machineRamBytes
    const c = collector?.collector
    const sized = c ? dumpSize(facts, c) : undefined
    // Without a readable collector the worst case is every page of the machine.
    const worst = sized?.known ? sized.value.worstBytes : machine.known ? machine.value : undefined
    // Whether the collector filters is known from the collector itself, whatever the sizes: an unknown is no milder
    // than the outcome it may hide (a dump that cannot fit is an error unfiltered, a warning filtered).
    const filtered = sized?.known ? sized.value.filtered : c?.kind === 'makedumpfile' && maxDumpLevel(c) > 0
    const evidence: Evidence[] = [...(sized?.evidence ?? machine.evidence), ...(collector?.evidence ?? [])]
    const unknownSeverity = filtered ? 'warning' : 'error'
    if (worst === undefined) {
      return {
        status: 'unknown',
        severity: unknownSeverity,
        message: `The dump's size cannot be estimated: ${sized && !sized.known ? sized.reason : machine.known ? 'no collector' : machine.reason}.`,
        evidence,
        verify: facts.xenPvDom0 ? 'xl info | grep total_memory   (the whole machine: what an unfiltered Xen dump holds)' : 'grep MemTotal /proc/meminfo',
      }
    }
    const landing = p.landing
    if (landing.kind !== 'filesystem') {
      const where = landing.kind === 'unresolved' ? `the filesystem that will hold it cannot be resolved (${landing.reason})` : `its free space cannot be seen from here (${landing.description})`
      return {
        status: 'unknown',
        severity: 'warning',
        message: `The dump can reach ${size(worst)}; ${where}.`,
        evidence: [...landing.evidence, ...evidence],
        verify:
          landing.kind === 'remote'
            ? p.target.kind === 'nfs'
              ? `mount -t nfs ${p.target.target?.spec ?? p.target.description.replace(/^nfs\s+/, '')} /mnt && df -Pk /mnt; umount /mnt   (needs ${size(worst)} in the worst case)`
              : `ssh ${p.target.target?.spec ?? p.target.description.replace(/^ssh\s+/, '').replace(/:[^:]*$/, '')} df -Pk ${p.target.path}   (needs ${size(worst)} in the worst case)`
            : landing.kind === 'raw'
              ? `lsblk -b ${p.target.target?.spec ?? '<device>'}   (the raw device must hold ${size(worst)})`
              : `df -Pk ${p.target.path}`,
      }
    }
    const storage = facts.storage.known ? facts.storage.value : undefined
    const free = storage ? freeSpace(storage, landing.mountpoint) : undefined
    if (!free) {
      return {
        status: 'unknown',
        severity: unknownSeverity,
        message: `The dump can reach ${size(worst)} on ${landing.description}, but df shows no free space for ${landing.mountpoint}${landing.source === 'fstab' ? ' (not mounted now)' : ''}.`,
        evidence: [...landing.evidence, ...evidence],
        verify: `mount ${landing.mountpoint} 2>/dev/null; df -Pk ${landing.mountpoint}   (needs ${size(worst)} in the worst case)`,
      }
    }
    const all = [...landing.evidence, free.evidence, ...evidence]
    const onFs = `${free.filesystem} (mounted at ${landing.mountpoint}, holding ${landing.hostPath})`
    if (!sized || !sized.known) {
      if (worst <= free.availBytes) return pass(`Even a dump of all ${size(worst)} of memory fits in the ${size(free.availBytes)} free on ${onFs}.`, all)
      return {
        status: 'unknown',
        // A known collector that does not filter makes this the unfiltered failure's unknown (an error); with the
        // collector itself unknown (XenServer's tools, an unreadable core_collector) it stays the caution it was.
        severity: c ? unknownSeverity : 'warning',
        message: `All memory is ${size(worst)} and ${onFs} has ${size(free.availBytes)} free; what the dump keeps of it is unknown (${sized ? sized.reason : p.family === 'xenserver' ? "XenServer's crash tools decide" : (p.collectorUnknown ?? 'the collector could not be read')}).`,
        evidence: all,
        verify: 'Check what the collector keeps, then compare with `df -Pk` on the dump directory.',
      }
    }
    const s = sized.value
    const xenNoX = facts.xenPvDom0 && s.guests
    const level = c ? maxDumpLevel(c) : 0
    if (s.worstBytes <= free.availBytes) {
      return pass(`The dump's worst case, ${size(s.worstBytes)} (${s.basis}), fits in the ${size(free.availBytes)} free on ${onFs}.`, all)
    }
    const collectorText = collector ? ` with \`${collector.text}\`` : ''
    if (!s.filtered) {
      return {
        status: 'problem',
        message: `The dump${collectorText} is unfiltered: ${size(s.worstBytes)} (${s.basis}), but ${onFs} has only ${size(free.availBytes)} free. It cannot fit${s.compressed ? ' unless compression alone shrinks it that much' : ''}: the capture kernel runs out of space and keeps no usable vmcore.`,
        evidence: all,
      }
    }
    const typical = reducers(s, level, xenNoX)
    const guests = xenNoX
      ? ` On Xen without -X, -d cannot drop the guests' memory (dom0's page tables do not describe it), so most of the ${size(s.worstBytes)} stays: add -X.`
      : ''
    return {
      status: 'problem',
      severity: 'warning',
      message: `The dump${collectorText} can reach ${size(s.worstBytes)} (${s.basis}), but ${onFs} has only ${size(free.availBytes)} free. ${typical ? `A typical dump is far smaller (${typical}), ` : ''}but the worst case does not fit.${guests}`,
      evidence: all,
    }
  },
)
