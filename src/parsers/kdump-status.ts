/**
 * The distributions' own verdicts, kept to compare with ours (KD603):
 *
 *   kdumpctl status          RHEL 7: `Kdump is operational` / `Kdump is not operational` on stdout,
 *                            exit 0 / 3; RHEL 8+ logs through kdump-logger on stderr:
 *                            `kdump: Kdump is operational`, then kdump-utils' vmcore test notice.
 *   service kdump status     RHEL 5/6 init script: the same two lines, or
 *                            `Kdump is unsupported on this kernel` (a Xen domU, no sysfs node);
 *                            on systemd hosts it redirects to `systemctl status`.
 *   kdump-config status      Debian/Ubuntu: `current state   : ready to kdump` /
 *                            `current state   : Not ready to kdump`, after `[FAIL] ...` lines; exit 0
 *                            whatever the state, so the exit status says nothing.
 *   systemctl status kdump   SUSE and others: only the unit's state (`Active: active (exited)`).
 *
 * All of them except `systemctl status` decide from dom0's /sys/kernel/kexec_crash_loaded, which a
 * pvops dom0 reads as 0 even when Xen holds a capture kernel: `basis` says which kind of answer this
 * is, the checks say whether to believe it.
 */
import {parsed, splitLines, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'

export type KdumpStatusTool = 'kdumpctl' | 'service' | 'kdump-config' | 'systemctl-status'
export type KdumpVerdict = 'operational' | 'not-operational' | 'unknown'

export interface StatusLine {
  text: string
  line: number
  stream: 'stdout' | 'stderr'
}

export interface KdumpStatusReading {
  tool: KdumpStatusTool
  verdict: KdumpVerdict
  /** `loaded-check`: the tool read the kernel's "crash kernel loaded" flag; `service-state`: only whether a service ran. */
  basis: 'loaded-check' | 'service-state'
  /** The line that gave the verdict. */
  decidedBy?: StatusLine
  /** The tool says kdump cannot work on this kernel at all. */
  unsupported: boolean
  /** Everything else the tool said that may explain the verdict (`[FAIL]` lines, errors, notices). */
  messages: StatusLine[]
  /** kdumpctl's report of the last `kdumpctl test`. */
  lastTest?: {result: 'success' | 'fail' | 'manual' | 'none'; at?: string; from: StatusLine}
  exitCode?: number
}

const OPERATIONAL = /^Kdump is operational$/i
const NOT_OPERATIONAL = /^Kdump is not operational$/i
const UNSUPPORTED = /^(?:Kdump is unsupported on this kernel|kdump is not supported on this kernel)$/i
const TEST_NOTICES: [RegExp, 'success' | 'fail' | 'manual' | 'none'][] = [
  [/^Notice: Last successful vmcore creation test on (.+)$/, 'success'],
  [/^Notice: Last NOT successful vmcore creation test on (.+)$/, 'fail'],
  [/^Notice: Require manual check for vmcore creation test of (.+)$/, 'manual'],
  [/^Notice: No vmcore creation test performed!?$/, 'none'],
]

function lines(stdout: string, stderr: string): StatusLine[] {
  const read = (text: string, stream: 'stdout' | 'stderr'): StatusLine[] =>
    splitLines(text).flatMap((t, i) => (t.trim() === '' ? [] : [{text: t.trim(), line: i + 1, stream}]))
  return [...read(stdout, 'stdout'), ...read(stderr, 'stderr')]
}

function reading(tool: KdumpStatusTool, basis: KdumpStatusReading['basis'], exitCode: number | undefined): KdumpStatusReading {
  const r: KdumpStatusReading = {tool, verdict: 'unknown', basis, unsupported: false, messages: []}
  if (exitCode !== undefined) r.exitCode = exitCode
  return r
}

/** The RHEL wording shared by kdumpctl and the RHEL 5/6 init script; true when the line was one of them. */
function rhelLine(r: KdumpStatusReading, l: StatusLine): boolean {
  const text = l.text.replace(/^kdump: /, '')
  if (OPERATIONAL.test(text)) r.verdict = 'operational'
  else if (NOT_OPERATIONAL.test(text)) r.verdict = 'not-operational'
  else if (UNSUPPORTED.test(text)) {
    r.verdict = 'not-operational'
    r.unsupported = true
  } else {
    for (const [re, result] of TEST_NOTICES) {
      const m = re.exec(text)
      if (m) {
        r.lastTest = {result, from: l}
        if (m[1] !== undefined) r.lastTest.at = m[1]
        return true
      }
    }
    return false
  }
  r.decidedBy = l
  return true
}

/** An exit status that contradicts the printed verdict (kdumpctl and the init script exit 3 when not operational). */
function exitAgrees(r: KdumpStatusReading, problems: ParseProblem[]): void {
  if (r.exitCode === undefined) return
  if (r.verdict === 'operational' && r.exitCode !== 0) problems.push({message: `says operational but exited ${r.exitCode}`})
  if (r.verdict === 'not-operational' && r.exitCode === 0) problems.push({message: 'says not operational but exited 0'})
  if (r.verdict === 'unknown' && r.exitCode === 3) problems.push({message: 'exited 3 (not operational) without saying so'})
}

export function parseKdumpctlStatus(stdout: string, stderr = '', exitCode?: number): Parsed<KdumpStatusReading> {
  return total('kdumpctl status', () => {
    const r = reading('kdumpctl', 'loaded-check', exitCode)
    const problems: ParseProblem[] = []
    for (const l of lines(stdout, stderr)) if (!rhelLine(r, l)) r.messages.push(l)
    exitAgrees(r, problems)
    return parsed(r, problems)
  })
}

export function parseServiceKdumpStatus(stdout: string, stderr = '', exitCode?: number): Parsed<KdumpStatusReading> {
  return total('service kdump status', () => {
    const all = lines(stdout, stderr)
    // RHEL 7+, SUSE: the service wrapper hands over to systemctl.
    if (all.some((l) => /^Redirecting to \/(?:usr\/)?bin\/systemctl status/.test(l.text))) {
      const s = parseSystemctlStatus(stdout, stderr, exitCode)
      return s.ok ? parsed({...s.value, tool: 'service' as const}, s.problems) : s
    }
    const debian = all.find((l) => CURRENT_STATE.test(l.text))
    if (debian) {
      const k = parseKdumpConfigStatus(stdout, stderr, exitCode)
      return k.ok ? parsed({...k.value, tool: 'service' as const}, k.problems) : k
    }
    const r = reading('service', 'loaded-check', exitCode)
    const problems: ParseProblem[] = []
    for (const l of all) {
      if (rhelLine(r, l)) continue
      // SLES 11's init script: "Checking whether kdump kernel has been loaded ... running|unused".
      const suse = /kdump kernel has been loaded\s+(running|unused)$/i.exec(l.text)
      if (suse) {
        r.verdict = suse[1]!.toLowerCase() === 'running' ? 'operational' : 'not-operational'
        r.decidedBy = l
        continue
      }
      if (/^kdump(?:-tools)? is stopped$/i.test(l.text)) {
        r.verdict = 'not-operational'
        r.basis = 'service-state'
        r.decidedBy = l
        continue
      }
      r.messages.push(l)
    }
    if (r.basis === 'loaded-check') exitAgrees(r, problems)
    return parsed(r, problems)
  })
}

const CURRENT_STATE = /^current state\s*:\s*(.+)$/i

export function parseKdumpConfigStatus(stdout: string, stderr = '', exitCode?: number): Parsed<KdumpStatusReading> {
  return total('kdump-config status', () => {
    const r = reading('kdump-config', 'loaded-check', exitCode)
    for (const l of lines(stdout, stderr)) {
      const m = CURRENT_STATE.exec(l.text)
      if (!m) {
        r.messages.push(l)
        continue
      }
      const state = m[1]!.trim()
      // "Not ready to kdump" contains "ready to kdump": test the negative first.
      if (/^not ready\b/i.test(state)) r.verdict = 'not-operational'
      else if (/^ready\b/i.test(state)) r.verdict = 'operational'
      else {
        r.messages.push(l)
        continue
      }
      r.decidedBy = l
    }
    return parsed(r)
  })
}

export function parseSystemctlStatus(stdout: string, stderr = '', exitCode?: number): Parsed<KdumpStatusReading> {
  return total('systemctl status', () => {
    const r = reading('systemctl-status', 'service-state', exitCode)
    for (const l of lines(stdout, stderr)) {
      const m = /^Active:\s+(\S+)(?:\s+\(([^)]*)\))?/.exec(l.text)
      if (!m) {
        // Keep what explains the state: a missing unit, and the journal lines systemctl appends.
        if (/^Unit \S+ could not be found/.test(l.text) || /^Loaded: (?:not-found|masked)/.test(l.text) || /\S\[\d+\]: /.test(l.text)) r.messages.push(l)
        continue
      }
      // Both services are oneshot units that stay "active (exited)" after a successful load.
      r.verdict = m[1] === 'active' ? 'operational' : m[1] === 'failed' || m[1] === 'inactive' ? 'not-operational' : 'unknown'
      r.decidedBy = l
    }
    return parsed(r)
  })
}

/** Reads a status probe by the tool that printed it. */
export function parseKdumpStatus(tool: KdumpStatusTool, stdout: string, stderr = '', exitCode?: number): Parsed<KdumpStatusReading> {
  switch (tool) {
    case 'kdumpctl':
      return parseKdumpctlStatus(stdout, stderr, exitCode)
    case 'service':
      return parseServiceKdumpStatus(stdout, stderr, exitCode)
    case 'kdump-config':
      return parseKdumpConfigStatus(stdout, stderr, exitCode)
    case 'systemctl-status':
      return parseSystemctlStatus(stdout, stderr, exitCode)
    default:
      return unparsable(`unknown status tool ${String(tool)}`)
  }
}
