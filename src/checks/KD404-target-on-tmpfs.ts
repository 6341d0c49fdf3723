import {resolveMount, type MountEntry} from '../parsers/mounts.js'
import {defineCheck, notApplicable, pass, type Outcome} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'

const MEMORY_FS = new Set(['tmpfs', 'ramfs'])

export default defineCheck(
  {
    id: 'KD404',
    title: 'The dump target is on tmpfs or ramfs: the vmcore is lost at reboot',
    severity: 'error',
    scope: 'static',
    stage: 'target',
    why: `tmpfs and ramfs live in RAM. In the capture kernel there is only the small crash region (a few hundred MB) to hold them, so a vmcore written there fills it at once, and whatever was written disappears when the capture kernel reboots the host; the running system's tmpfs of the same name is a different, empty one after the reboot too. A dump directory on tmpfs therefore never yields a vmcore you can read. This happens when /var/crash (or KDUMP_COREDIR, KDUMP_SAVEDIR) is put under /run or /tmp, or when /var/crash or /var is mounted as tmpfs in /etc/fstab. Both what is mounted now (/proc/mounts) and what boot mounts (/etc/fstab) are checked: the Debian and SUSE capture environments mount from fstab, RHEL's kdumpctl uses the current mounts.`,
    fix: `Move the dump directory to a disk-backed filesystem:\n- RHEL/CentOS: \`path /var/crash\` in /etc/kdump.conf on a disk filesystem (remove a tmpfs line for it from /etc/fstab and \`umount /var/crash\`), or a dump disk \`xfs UUID=<uuid>\`; then \`kdumpctl restart\`.\n- Debian/Ubuntu: \`KDUMP_COREDIR="/var/crash"\` in /etc/default/kdump-tools on a disk filesystem; \`systemctl restart kdump-tools\`.\n- SUSE: \`KDUMP_SAVEDIR="file:///var/crash"\` in /etc/sysconfig/kdump; \`systemctl restart kdump\`.`,
    references: ['https://docs.kernel.org/filesystems/tmpfs.html', 'https://github.com/rhkdump/kdump-utils/blob/main/kdump.conf.5', 'https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts): Outcome => {
    const plan = facts.dumpPlan
    if (!plan.known) return {status: 'unknown', message: `The dump target is unknown: ${plan.reason}.`, evidence: plan.evidence, verify: 'findmnt -T /var/crash'}
    const p = plan.value
    const target = p.target
    if (target.kind === 'nfs' || target.kind === 'ssh' || target.kind === 'raw' || target.kind === 'virtiofs') {
      return notApplicable(`The dump does not go to a local filesystem (${target.description}).`)
    }
    if (target.kind === 'fs' && target.target?.fstype && MEMORY_FS.has(target.target.fstype)) {
      return {status: 'problem', message: `kdump.conf mounts the dump target as ${target.target.fstype} (${target.target.spec}): the vmcore would live in the capture kernel's memory and vanish at reboot.`, evidence: target.evidence}
    }
    const storage = facts.storage
    if (!storage.known) return {status: 'unknown', message: `The mount tables are unknown: ${storage.reason}.`, evidence: target.evidence, verify: `findmnt -T ${target.path}; grep -v '^#' /etc/fstab`}
    // For a local path, judge every table on its own: the live mount may differ from what boot mounts.
    const hits: Array<{entry: MountEntry; table: string; evidence: Evidence}> = []
    const judged: Array<{entry: MountEntry; table: string; evidence: Evidence}> = []
    if (target.kind === 'local') {
      for (const [table, path] of [['mounts', '/proc/mounts'], ['fstab', '/etc/fstab']] as const) {
        const entries = storage.value[table]
        const hit = entries ? resolveMount(entries, target.path) : undefined
        if (!hit) continue
        const item = {entry: hit.entry, table: path, evidence: storage.value.entryEvidence(hit.entry, table)}
        judged.push(item)
        if (MEMORY_FS.has(hit.entry.fstype)) hits.push(item)
      }
    } else {
      const landing = p.landing
      if (landing.kind === 'filesystem') {
        const item = {entry: {fstype: landing.fstype, mountpoint: landing.mountpoint, spec: landing.device} as MountEntry, table: landing.source === 'mounts' ? '/proc/mounts' : '/etc/fstab', evidence: landing.evidence.at(-1)!}
        judged.push(item)
        if (MEMORY_FS.has(landing.fstype)) hits.push(item)
      } else if (target.target?.fstype) {
        return pass(`kdump.conf mounts the dump disk as ${target.target.fstype}, not a memory filesystem.`, target.evidence)
      }
    }
    if (hits.length > 0) {
      const what = hits.map((h) => `${h.entry.mountpoint} is ${h.entry.fstype} in ${h.table}`).join('; ')
      return {
        status: 'problem',
        message: `The dump directory ${target.path} is on a memory filesystem (${what}): the capture kernel has no room for the vmcore there, and anything written vanishes at reboot.`,
        evidence: [...target.evidence, ...hits.map((h) => h.evidence)],
      }
    }
    if (judged.length === 0) {
      return {status: 'unknown', message: `No mount table shows which filesystem holds ${target.path}.`, evidence: target.evidence, verify: `findmnt -T ${target.path}`}
    }
    const seen = new Map<string, string[]>()
    for (const j of judged) seen.set(`${j.entry.fstype} at ${j.entry.mountpoint}`, [...(seen.get(`${j.entry.fstype} at ${j.entry.mountpoint}`) ?? []), j.table])
    const what = [...seen].map(([fs, tables]) => `${fs} (${tables.join(', ')})`).join('; ')
    return pass(`The dump directory ${target.path} is not on a memory filesystem: ${what}.`, [...target.evidence, ...judged.map((j) => j.evidence)])
  },
)
