/**
 * KD502 (kernel.panic_on_oops = 1) and KD503 (kernel.hung_task_panic = 1, kernel.softlockup_panic = 1,
 * kernel.hung_task_timeout_secs = 600): a sysctl.d drop-in, /etc/sysctl.d/90-kdump.conf. A key already
 * set in a file under /etc is changed on its own line instead; one a later-sorting vendor file sets is
 * written to /etc/sysctl.conf, which is read last. RHEL 5 and 6 read only /etc/sysctl.conf. The result
 * is read back in systemd-sysctl's order before it is kept.
 */
import {mergeSysctl, SYSCTL_CONF, SYSCTL_DIRS, type SysctlAssignment} from '../../parsers/sysctl-files.js'
import type {FixContext} from '../context.js'
import {appendLines, lineAt} from '../text.js'
import type {Activation} from '../types.js'
import {shellCommand} from '../../sources/shell-quote.js'

const DROP_IN = '/etc/sysctl.d/90-kdump.conf'

function sysctlFiles(ctx: FixContext): string[] {
  const dirs = SYSCTL_DIRS.map((d) => `${d}/`)
  const paths = new Set(ctx.paths.filter((p) => p === SYSCTL_CONF || dirs.some((d) => p.startsWith(d) && p.endsWith('.conf') && !p.slice(d.length).includes('/'))))
  if (ctx.ws.read(DROP_IN) !== undefined) paths.add(DROP_IN)
  return [...paths].filter((p) => ctx.ws.read(p) !== undefined).sort()
}

function effective(ctx: FixContext, name: string): SysctlAssignment | undefined {
  const merged = mergeSysctl(sysctlFiles(ctx).map((path) => ({path, text: ctx.ws.read(path)!})))
  return merged.ok ? merged.value.effective[name] : undefined
}

/** Sets one key so that it is in effect at boot; false when the files cannot be made to say so. */
function setKey(ctx: FixContext, name: string, value: string, why: string, touched: Set<string>): boolean {
  const winner = effective(ctx, name)
  if (winner?.value.trim() === value) return true
  const legacy = ctx.view.rhelMajor !== undefined && ctx.view.rhelMajor <= 6
  if (winner?.path && (winner.path === SYSCTL_CONF || winner.path.startsWith('/etc/sysctl.d/')) && !winner.glob) {
    const text = ctx.ws.read(winner.path)!
    const at = lineAt(text, winner.line)
    const m = at ? /^(\s*-?\s*[^=\s]+\s*=\s*)(.*?)(\s*)$/.exec(at.text) : null
    if (at && m) {
      ctx.ws.write(winner.path, text.slice(0, at.start) + m[1] + value + m[3] + text.slice(at.end))
      touched.add(winner.path)
    }
  } else {
    const file = legacy ? SYSCTL_CONF : winner?.path && basename(winner.path) > basename(DROP_IN) ? SYSCTL_CONF : DROP_IN
    const text = ctx.ws.read(file)
    const header = text === undefined && file === DROP_IN ? ['# Written by kdumpcheck fix: a crash the kernel survives is not dumped.'] : []
    ctx.ws.write(file, appendLines(text ?? '', [...header, `# ${why}`, `${name} = ${value}`]))
    touched.add(file)
  }
  return effective(ctx, name)?.value.trim() === value
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

export function fixSysctl(ctx: FixContext): void {
  const wanted: Array<{id: string; keys: Array<[string, string, string]>}> = []
  if (ctx.problem('KD502')) wanted.push({id: 'KD502', keys: [['kernel.panic_on_oops', '1', 'KD502: an Oops panics, so kdump can dump it']]})
  if (ctx.problem('KD503')) {
    const timeout = Number(effective(ctx, 'kernel.hung_task_timeout_secs')?.value ?? '0')
    wanted.push({
      id: 'KD503',
      keys: [
        ['kernel.hung_task_panic', '1', 'KD503: a task stuck in D state panics, so the hang is dumped'],
        ...(timeout >= 600 ? [] : ([['kernel.hung_task_timeout_secs', '600', 'KD503: ...after 10 minutes, not at the first slow I/O']] as Array<[string, string, string]>)),
        ['kernel.softlockup_panic', '1', 'KD503: a soft lockup panics'],
      ],
    })
  }
  for (const {id, keys} of wanted) {
    const touched = new Set<string>()
    const ok = ctx.attempt(() => keys.every(([name, value, why]) => setKey(ctx, name, value, why, touched)))
    if (!ok) {
      ctx.person(id, `${keys.map(([n, v]) => `${n} = ${v}`).join(', ')} cannot be made to win over the host's sysctl files (a glob, an unreadable file, or a file whose name holds control characters decides it): set it by hand.`)
      continue
    }
    const files = [...touched]
    const activation: Activation[] = ctx.live && files.length > 0 ? [{command: shellCommand(['sysctl', '-p', ...files]), why: 'applies the setting now; boot applies it from then on'}] : []
    const details = [`${keys.map(([n, v]) => `${n} = ${v}`).join(', ')} in ${files.join(', ') || 'the sysctl files'}.`]
    if (id === 'KD502' && ctx.live && ctx.view.findings.get('KD202')?.status !== 'pass') {
      details.push('Apply it only once a capture kernel is loaded (KD202): until then an Oops would crash the host with nothing to dump it.')
    }
    if (id === 'KD503') details.push('A trade-off (KD503 is informational): a slow storage path can now panic the host after 10 minutes; that is what makes a hang leave a dump.')
    ctx.item({findings: [id], summary: `${keys.map(([n, v]) => `${n} = ${v}`).join(', ')}`, details, paths: files, repairs: ctx.live ? [] : [id], repairsAfterActivation: ctx.live ? [id] : [], activation})
  }
}
