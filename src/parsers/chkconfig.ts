/**
 * Boot enablement evidence that exists without systemd's answer:
 *
 * 1. The `chkconfig-kdump` probe, `chkconfig --list kdump` (RHEL 5/6; RHEL 7+ prints a note and
 *    only knows SysV scripts):
 *
 *      kdump          	0:off	1:off	2:off	3:on	4:on	5:on	6:off
 *      (stderr) error reading information on service kdump: No such file or directory
 *
 * 2. The `ls-services` probe, `ls -l /etc/systemd/system/*.wants /etc/rc.d/rc3.d /etc/rc3.d`,
 *    which a static source also writes for an image: SysV start/kill links and systemd `.wants`
 *    links, read with the ls-boot listing parser.
 *
 *      /etc/rc.d/rc3.d:
 *      lrwxrwxrwx. 1 root root 15 Mar  3  2015 S22kdump -> ../init.d/kdump
 *
 *      /etc/systemd/system/multi-user.target.wants:
 *      lrwxrwxrwx. 1 root root 37 Mar  3 10:00 kdump.service -> /usr/lib/systemd/system/kdump.service
 */
import {parseLsBoot, type LsOptions} from './ls-boot.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface ChkconfigService {
  name: string
  /** Runlevel → on/off, for the runlevels printed. */
  runlevels: Record<number, boolean>
  line: number
}

export interface ChkconfigList {
  services: ChkconfigService[]
  /** `error reading information on service X: No such file or directory`: no SysV script. */
  missing: {name: string; line: number; stream: 'stdout' | 'stderr'}[]
  /** `service X supports chkconfig, but is not referenced in any runlevel`. */
  notReferenced: {name: string; line: number; stream: 'stdout' | 'stderr'}[]
  /** RHEL 7+ printed its "SysV services only" note: systemd decides, this list may not. */
  sysvOnlyNote: boolean
}

const SERVICE_LINE = /^(\S+)\s+((?:\d:(?:on|off)\s*)+)$/
const MISSING = /^error reading information on service (\S+): No such file or directory/
const NOT_REFERENCED = /^service (\S+) supports chkconfig, but is not referenced in any runlevel/

export function parseChkconfigList(stdout: string, stderr = ''): Parsed<ChkconfigList> {
  return total('chkconfig --list', () => {
    const list: ChkconfigList = {services: [], missing: [], notReferenced: [], sysvOnlyNote: false}
    const problems: ParseProblem[] = []
    let note = false
    const read = (text: string, line: number, stream: 'stdout' | 'stderr'): void => {
      const t = text.trim()
      if (t === '') return
      const missing = MISSING.exec(t)
      const unref = NOT_REFERENCED.exec(t)
      if (missing) list.missing.push({name: missing[1]!, line, stream})
      else if (unref) list.notReferenced.push({name: unref[1]!, line, stream})
      if (missing || unref || stream === 'stderr') return
      const svc = SERVICE_LINE.exec(t)
      if (svc) {
        const runlevels: Record<number, boolean> = {}
        for (const m of svc[2]!.matchAll(/(\d):(on|off)/g)) runlevels[Number(m[1])] = m[2] === 'on'
        list.services.push({name: svc[1]!, runlevels, line})
        return
      }
      if (/^Note: This output shows SysV services only/.test(t)) {
        list.sysvOnlyNote = true
        note = true
        return
      }
      // The note's indented continuation, and xinetd sections, carry nothing about kdump.
      if (note && /^\s/.test(text)) return
      if (/^xinetd based services:/.test(t) || /^\s+\S+:\s+(on|off)$/.test(text)) return
      problems.push({line, message: `unrecognised chkconfig line: ${t.slice(0, 120)}`})
    }
    splitLines(stdout).forEach((t, i) => read(t, i + 1, 'stdout'))
    splitLines(stderr).forEach((t, i) => read(t, i + 1, 'stderr'))
    return parsed(list, problems)
  })
}

/** Whether chkconfig lists `name` as on at `runlevel`; undefined when it does not list it. */
export function chkconfigOn(list: ChkconfigList, name: string, runlevel = 3): boolean | undefined {
  return list.services.find((s) => s.name === name)?.runlevels[runlevel]
}

export interface WantsLink {
  /** `kdump.service`. */
  unit: string
  /** `multi-user.target`; undefined when the listing had no directory header. */
  target?: string
  dir: string | null
  linkTarget?: string
  line: number
}

export interface SysvLink {
  /** The script it runs: the link target's name (`../init.d/kdump` → `kdump`), else the link name without `S22`. */
  service: string
  /** The link name as listed (`S22kdump`). */
  name: string
  action: 'start' | 'kill'
  priority: number
  /** From the directory (`rc3.d`); 3 when the listing had no header (the probe lists only runlevel 3). */
  runlevel: number
  dir: string | null
  linkTarget?: string
  line: number
}

export interface ServiceLinks {
  wants: WantsLink[]
  sysv: SysvLink[]
  /** Directories ls reported missing (a glob that matched nothing stays literal). */
  missing: {path: string; line: number; stream: 'stdout' | 'stderr'}[]
  dirs: string[]
}

export function parseLsServices(stdout: string, stderr = '', options: LsOptions = {}): Parsed<ServiceLinks> {
  return total('ls-services', () => {
    const r = parseLsBoot(stdout, stderr, options)
    if (!r.ok) return r
    const links: ServiceLinks = {wants: [], sysv: [], missing: r.value.missing, dirs: r.value.dirs.map((d) => d.path)}
    const problems = [...r.problems]
    for (const e of r.value.entries) {
      // A name that cannot be told from its link target is nobody's boot link (the listing parser says why).
      if (e.ambiguous) continue
      const wantsDir = e.dir === null ? undefined : /\/([^/]+)\.wants\/?$/.exec(e.dir)
      const rcDir = e.dir === null ? undefined : /\/rc(\d)\.d\/?$/.exec(e.dir)
      const sk = /^([SK])(\d+)(.+)$/.exec(e.name)
      if (wantsDir || (e.dir === null && /\.(service|target|socket|path|timer)$/.test(e.name))) {
        const w: WantsLink = {unit: e.name, dir: e.dir, line: e.line}
        if (wantsDir) w.target = wantsDir[1]!
        if (e.linkTarget !== undefined) w.linkTarget = e.linkTarget
        links.wants.push(w)
      } else if (sk && (rcDir || e.dir === null)) {
        const fromTarget = e.linkTarget?.replace(/\/+$/, '').split('/').pop()
        const s: SysvLink = {
          service: fromTarget || sk[3]!,
          name: e.name,
          action: sk[1] === 'S' ? 'start' : 'kill',
          priority: Number(sk[2]),
          runlevel: rcDir ? Number(rcDir[1]) : 3,
          dir: e.dir,
          line: e.line,
        }
        if (e.linkTarget !== undefined) s.linkTarget = e.linkTarget
        links.sysv.push(s)
      }
    }
    return parsed(links, problems)
  })
}

export interface Enablement {
  /** `.wants` links of these units (systemd starts them at boot via that target). */
  systemd: WantsLink[]
  /** SysV start links (the service starts in that runlevel). */
  sysvStart: SysvLink[]
  /** SysV kill links (the service is off in that runlevel). */
  sysvKill: SysvLink[]
}

/** The boot links of the kdump services (`kdump` on RHEL/SUSE, `kdump-tools` on Debian). */
export function kdumpEnablement(links: ServiceLinks, services: readonly string[] = ['kdump', 'kdump-tools']): Enablement {
  const units = new Set(services.map((s) => `${s}.service`))
  const names = new Set(services)
  return {
    systemd: links.wants.filter((w) => units.has(w.unit)),
    sysvStart: links.sysv.filter((s) => s.action === 'start' && names.has(s.service)),
    sysvKill: links.sysv.filter((s) => s.action === 'kill' && names.has(s.service)),
  }
}
