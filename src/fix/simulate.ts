/**
 * The evidence as it would read once a plan is in place, for judging the plan before anyone runs it:
 * - `withChanges`: the same snapshot with the edited files (and, in `ls-services`, the new links);
 *   on an image that is the image after `fix`.
 * - `afterActivation`: on a live host, the evidence as the next boot would show it, simulated from
 *   the edited configuration: Xen's and dom0's command lines from the next boot's entry, kernel
 *   tunables from the sysctl files, the service enabled where the plan enables it. The old boot's
 *   Xen log is reduced to its banner and the new command line (whether Xen can place the region
 *   shows only after a real reboot). It is a simulation, and says so wherever it is shown.
 */
import {buildFacts} from '../facts/facts.js'
import {configuredSysctl} from '../facts/sysctl.js'
import {Snapshot, type ProbeResult, type SnapshotFile} from '../snapshot/snapshot.js'
import type {FixPlan, LinkChange} from './types.js'

export function withChanges(snapshot: Snapshot, plan: Pick<FixPlan, 'files' | 'links'>): Snapshot {
  const files = new Map<string, SnapshotFile>()
  for (const path of snapshot.filePaths) files.set(path, snapshot.file(path)!)
  for (const change of plan.files) files.set(change.path, {path: change.path, text: change.after, truncated: false})
  const probes = new Map<string, ProbeResult>()
  for (const name of snapshot.probeNames) probes.set(name, snapshot.probe(name)!)
  const ls = probes.get('ls-services')
  if (ls && plan.links.length > 0) probes.set('ls-services', {...ls, out: withLinks(ls.out, plan.links), exit: ls.exit.kind === 'missing' ? {kind: 'exited', code: 0} : ls.exit})
  return new Snapshot(snapshot.meta, files, probes, snapshot.origin)
}

/** `ls -l` output with these links listed under their directories (a new directory gets its own header). */
export function withLinks(out: string, links: readonly LinkChange[]): string {
  let text = out
  for (const link of links) {
    const slash = link.path.lastIndexOf('/')
    const dir = link.path.slice(0, slash)
    const name = link.path.slice(slash + 1)
    const row = `lrwxrwxrwx 1 root root ${link.target.length} Jan  1  2000 ${name} -> ${link.target}`
    const header = `${dir}:\n`
    const at = text.indexOf(header)
    if (at >= 0) {
      const total = text.indexOf('\n', at + header.length)
      const insert = total < 0 ? text.length : total + 1
      text = `${text.slice(0, insert)}${row}\n${text.slice(insert)}`
    } else {
      text = `${text}${text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n'}${header}total 0\n${row}\n`
    }
  }
  return text
}

export function afterActivation(snapshot: Snapshot, plan: FixPlan): Snapshot {
  const edited = withChanges(snapshot, plan)
  if (snapshot.kind === 'static') return edited
  const facts = buildFacts(edited)
  const boot = facts.nextBoot
  const files = new Map<string, SnapshotFile>()
  for (const path of edited.filePaths) files.set(path, edited.file(path)!)
  const probes = new Map<string, ProbeResult>()
  for (const name of edited.probeNames) probes.set(name, edited.probe(name)!)
  const xen = boot.known ? boot.value.xenLine?.text : undefined
  const dom0 = boot.known ? boot.value.linuxLine?.text : undefined
  if (dom0 !== undefined && files.has('/proc/cmdline')) files.set('/proc/cmdline', {path: '/proc/cmdline', text: `${dom0}\n`, truncated: false})
  for (const path of edited.filePaths.filter((p) => p.startsWith('/proc/sys/'))) {
    const name = path.slice('/proc/sys/'.length).replaceAll('/', '.')
    const configured = configuredSysctl(edited, name)
    if (configured.known) files.set(path, {path, text: `${configured.value}\n`, truncated: false})
  }
  if (xen !== undefined) {
    for (const name of ['xl-info', 'xm-info']) {
      const p = probes.get(name)
      if (p && /^xen_commandline\s*:/m.test(p.out)) probes.set(name, {...p, out: p.out.replace(/^(xen_commandline\s*:).*$/m, `$1 ${xen}`)})
    }
    for (const name of ['xl-dmesg', 'xm-dmesg']) {
      const p = probes.get(name)
      if (!p || p.exit.kind !== 'exited') continue
      const banner = p.out.split('\n').filter((l) => /Xen version \d/.test(l)).slice(0, 1)
      probes.set(name, {...p, out: [...banner, `(XEN) Command line: ${xen}`, ''].join('\n')})
    }
  }
  for (const command of plan.items.flatMap((i) => i.activation.map((a) => a.command))) {
    const sysv = /^chkconfig (\S+) on\b/.exec(command)
    const chk = probes.get('chkconfig-kdump')
    if (sysv && chk) {
      const name = sysv[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      probes.set('chkconfig-kdump', {...chk, out: chk.out.replace(new RegExp(`^(${name}\\s.*)$`, 'm'), (line) => line.replace(/\b([2-5]):off\b/g, '$1:on'))})
    }
    const m = /systemctl enable (?:--now )?(\S+)\.service/.exec(command)
    const p = probes.get('systemctl-kdump')
    if (m && p) {
      const unit = `${m[1]}.service`
      probes.set('systemctl-kdump', {...p, out: p.out.replace(new RegExp(`(Id=${unit.replace(/\./g, '\\.')}\\n(?:[^\\n]+\\n)*?UnitFileState=)\\S*`), '$1enabled')})
    }
  }
  return new Snapshot(edited.meta, files, probes, `${snapshot.origin} (simulated next boot)`)
}
