/**
 * KD404: a dump directory on tmpfs or ramfs moves to /var/crash when /var/crash is on a disk
 * filesystem (Debian KDUMP_COREDIR, RHEL `path`, SUSE KDUMP_SAVEDIR). KD401: a dump target that
 * is missing or not allowed is a choice of disk or server, which only a person can make.
 */
import {parseShellVars} from '../../parsers/shell-vars.js'
import {addAssignment, assignmentSites, setAssignmentValue} from '../editors/shell-assign.js'
import {setDirective} from '../editors/kdump-conf.js'
import type {FixContext} from '../context.js'
import {restartService} from './service.js'

const MEMORY_FS = new Set(['tmpfs', 'ramfs'])

export function fixTarget(ctx: FixContext): void {
  const kd401 = ctx.problem('KD401')
  if (kd401) {
    ctx.person(
      'KD401',
      `${kd401.message} Choosing where dumps go is a decision: a dump disk this host lists in /etc/fstab (its UUID from \`blkid\`), a server (NFS/SSH) the site allows, or, if the root filesystem has room for a dump (KD402), dropping the target line so the dump goes to \`path\` there.`,
    )
  }
  const kd404 = ctx.problem('KD404')
  if (!kd404) return
  const v = ctx.view
  const plan = v.facts.dumpPlan
  const storage = v.facts.storage
  if (!plan.known || !storage.known) {
    ctx.person('KD404', 'The dump target or the mount tables are unknown: move the dump directory to a disk filesystem by hand.')
    return
  }
  const p = plan.value
  const crash = storage.value.mountFor('/var/crash')
  if (!crash || MEMORY_FS.has(crash.entry.fstype)) {
    ctx.person('KD404', `/var/crash is ${crash ? `on ${crash.entry.fstype} too (${crash.entry.spec} at ${crash.entry.mountpoint})` : 'on no known filesystem'}: the dump needs a disk. Remove the tmpfs mount of /var/crash (or /var) from /etc/fstab, or give kdump a dump disk.`)
    return
  }
  if (p.target.kind === 'fs') {
    ctx.person('KD404', `kdump.conf mounts a memory filesystem as the dump target (${p.target.description}): name a disk filesystem there by hand.`)
    return
  }
  const on = `${crash.entry.spec} (${crash.entry.fstype} at ${crash.entry.mountpoint})`
  const done = (file: string, summary: string): void =>
    ctx.item({
      findings: ['KD404'],
      summary,
      details: [
        `${p.target.path} is in memory and gone at reboot; /var/crash is on ${on}.`,
        ...(crash.entry.mountpoint === '/' ? ['The dump now shares the root filesystem with the system (KD400 notes it; KD402 weighs the space): a dedicated dump filesystem is better where there is one.'] : []),
      ],
      paths: [file],
      repairs: ['KD404'],
      activation: ctx.live ? restartService(v) : [],
    })
  const setVar = (file: string, name: string, value: string): boolean => {
    const text = ctx.ws.read(file)
    if (text === undefined) {
      ctx.person('KD404', `${file} is not in the evidence: set ${name}="${value}" by hand.`)
      return false
    }
    const vars = parseShellVars(text)
    const current = vars.ok ? vars.value.vars[name] : undefined
    if (current && (current.conditional || current.unevaluated)) {
      ctx.person('KD404', `${file}:${current.line}: ${name} is set ${current.conditional ? 'under a condition' : 'from a command'}: set it to "${value}" by hand.`)
      return false
    }
    const site = current ? assignmentSites(text, name).find((s) => s.line === current.line) : undefined
    ctx.ws.write(file, site ? setAssignmentValue(text, site, value) : addAssignment(text, name, value))
    return true
  }
  switch (p.family) {
    case 'debian':
      if (setVar('/etc/default/kdump-tools', 'KDUMP_COREDIR', '/var/crash')) done('/etc/default/kdump-tools', 'KDUMP_COREDIR="/var/crash" in /etc/default/kdump-tools')
      return
    case 'suse':
      if (setVar('/etc/sysconfig/kdump', 'KDUMP_SAVEDIR', 'file:///var/crash')) done('/etc/sysconfig/kdump', 'KDUMP_SAVEDIR="file:///var/crash" in /etc/sysconfig/kdump')
      return
    case 'rhel': {
      const text = ctx.ws.read('/etc/kdump.conf')
      if (text === undefined) {
        ctx.person('KD404', '/etc/kdump.conf is not in the evidence: set `path /var/crash` by hand.')
        return
      }
      ctx.ws.write('/etc/kdump.conf', setDirective(text, 'path', '/var/crash'))
      done('/etc/kdump.conf', 'path /var/crash in /etc/kdump.conf')
      return
    }
    default:
      ctx.person('KD404', 'This kdump service keeps its dump directory where kdumpcheck does not edit it: move it to a disk filesystem by hand.')
  }
}
