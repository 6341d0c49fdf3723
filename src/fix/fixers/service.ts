/**
 * KD303: USE_KDUMP=1 in /etc/default/kdump-tools. KD300: the kdump service enabled at boot. In an
 * image that is what `systemctl enable` does there: the links its unit's [Install] section asks
 * for (WantedBy=basic.target for Debian's kdump-tools.service, multi-user.target for kdump.service),
 * pointing at the unit file; on a live host it is the command itself.
 */
import {parseShellVars} from '../../parsers/shell-vars.js'
import {addAssignment, assignmentSites, setAssignmentValue} from '../editors/shell-assign.js'
import type {FixContext} from '../context.js'
import type {HostView} from '../host.js'
import type {Activation} from '../types.js'

const KDUMP_TOOLS = '/etc/default/kdump-tools'

export function restartService(v: HostView): Activation[] {
  if (v.family === 'debian') return [{command: 'systemctl restart kdump-tools', why: 'kdump-config reads /etc/default/kdump-tools when it loads the capture kernel (sysvinit: service kdump-tools restart)'}]
  if (v.family === 'rhel' && v.rhelMajor !== undefined && v.rhelMajor <= 6) return [{command: 'service kdump restart', why: 'the kdump init script rebuilds the capture initrd and reloads the capture kernel'}]
  if (v.family === 'rhel') return [{command: 'kdumpctl restart', why: 'kdumpctl rebuilds the capture initrd and reloads the capture kernel'}]
  if (v.family === 'suse') return [{command: 'systemctl restart kdump', why: 'the kdump service reloads the capture kernel'}]
  return []
}

export function fixUseKdump(ctx: FixContext): void {
  const finding = ctx.problem('KD303')
  if (!finding) return
  const text = ctx.ws.read(KDUMP_TOOLS)
  if (text === undefined) {
    ctx.person('KD303', `${KDUMP_TOOLS} is not in the evidence: set USE_KDUMP=1 there by hand.`)
    return
  }
  const vars = parseShellVars(text)
  const current = vars.ok ? vars.value.vars.USE_KDUMP : undefined
  if (current && (current.conditional || current.unevaluated)) {
    ctx.person('KD303', `${KDUMP_TOOLS}:${current.line}: USE_KDUMP is set ${current.conditional ? 'under a condition' : 'from a command'}: set it to 1 by hand.`)
    return
  }
  const site = current ? assignmentSites(text, 'USE_KDUMP').find((s) => s.line === current.line) : undefined
  ctx.ws.write(KDUMP_TOOLS, site ? setAssignmentValue(text, site, '1') : addAssignment(text, 'USE_KDUMP', '1'))
  ctx.item({
    findings: ['KD303'],
    summary: `USE_KDUMP=1 in ${KDUMP_TOOLS}`,
    details: ['kdump-tools loads nothing while USE_KDUMP is 0 or unset, although its service shows "active".'],
    paths: [KDUMP_TOOLS],
    repairs: ['KD303'],
    activation: ctx.live ? restartService(ctx.view) : [],
  })
}

export interface InstallSection {
  wantedBy: string[]
  requiredBy: string[]
  alias: string[]
}

/** The [Install] section of a systemd unit file (systemd.unit(5)): later lines add, an empty assignment resets. */
export function parseInstall(text: string): InstallSection {
  const out: InstallSection = {wantedBy: [], requiredBy: [], alias: []}
  let section = ''
  let pending = ''
  for (const raw of text.split('\n')) {
    const line = pending + raw.replace(/\r$/, '')
    if (line.endsWith('\\')) {
      pending = `${line.slice(0, -1)} `
      continue
    }
    pending = ''
    const t = line.trim()
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue
    const s = /^\[(.+)\]$/.exec(t)
    if (s) {
      section = s[1]!
      continue
    }
    if (section !== 'Install') continue
    const kv = /^([A-Za-z]+)\s*=\s*(.*)$/.exec(t)
    if (!kv) continue
    const key = kv[1] === 'WantedBy' ? 'wantedBy' : kv[1] === 'RequiredBy' ? 'requiredBy' : kv[1] === 'Alias' ? 'alias' : undefined
    if (!key) continue
    const words = kv[2]!.split(/\s+/).filter(Boolean)
    if (words.length === 0) out[key] = []
    else out[key].push(...words.filter((w) => /^[A-Za-z0-9:_.@-]+$/.test(w)))
  }
  return out
}

/** Where the distributions install the unit, and what its [Install] says, when the image does not show the file. */
const KNOWN_UNITS: Record<string, {path: string; install: InstallSection}> = {
  'kdump-tools.service': {path: '/lib/systemd/system/kdump-tools.service', install: {wantedBy: ['basic.target'], requiredBy: [], alias: []}},
  'kdump.service': {path: '/usr/lib/systemd/system/kdump.service', install: {wantedBy: ['multi-user.target'], requiredBy: [], alias: []}},
}

export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system']

export function fixServiceEnabled(ctx: FixContext): void {
  const finding = ctx.problem('KD300')
  if (!finding) return
  const v = ctx.view
  const name = v.facts.serviceState.name
  const unit = `${name}.service`
  const sysv = v.rhelMajor !== undefined && v.rhelMajor <= 6
  if (!v.facts.kdumpService.known) {
    ctx.person('KD300', 'No kdump service is configured here (no /etc/kdump.conf, /etc/sysconfig/kdump or /etc/default/kdump-tools): install and configure one (kexec-tools, kdump-tools; KD200) before enabling it.')
    return
  }
  if (ctx.live) {
    const command = sysv ? `chkconfig ${name} on && service ${name} start` : `systemctl enable --now ${unit}`
    ctx.item({
      findings: ['KD300'],
      summary: `enable ${name} at boot (${command})`,
      details: ['A link is the whole change, made by the service manager on the host itself: kdumpcheck never writes to a live host.'],
      paths: [],
      repairs: [],
      repairsAfterActivation: ['KD300'],
      activation: [{command, why: 'the kdump service loads the capture kernel at every boot'}],
    })
    return
  }
  if (sysv) {
    ctx.person('KD300', `This image starts services from /etc/rc.d (SysV): run \`chroot <root> chkconfig ${name} on\` in the image build.`)
    return
  }
  const found = UNIT_DIRS.map((d) => `${d}/${unit}`).find((p) => ctx.ws.read(p) !== undefined)
  const known = KNOWN_UNITS[unit]
  const install = found ? parseInstall(ctx.ws.read(found)!) : known?.install
  const unitPath = found ?? known?.path
  if (!install || !unitPath || install.wantedBy.length + install.requiredBy.length === 0) {
    ctx.person('KD300', `${unit}'s [Install] section ${found ? `in ${found} names no WantedBy= or RequiredBy=` : 'is not in the image'}: enable it with \`systemctl --root=<root> enable ${unit}\`.`)
    return
  }
  const links = [
    ...install.wantedBy.map((t) => `/etc/systemd/system/${t}.wants/${unit}`),
    ...install.requiredBy.map((t) => `/etc/systemd/system/${t}.requires/${unit}`),
    ...install.alias.map((a) => `/etc/systemd/system/${a}`),
  ]
  for (const link of links) ctx.ws.link(link, unitPath)
  ctx.item({
    findings: ['KD300'],
    summary: `enable ${unit}: ${links.join(', ')} -> ${unitPath}`,
    details: [
      found
        ? `The links \`systemctl enable\` makes from the [Install] section of ${found}.`
        : `The unit file is not among the evidence; ${unit} installs as ${unitPath} with WantedBy=${install.wantedBy.join(' ')} (the package's own [Install]).`,
    ],
    paths: links,
    repairs: ['KD300'],
  })
}
