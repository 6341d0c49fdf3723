/**
 * What happened to each piece of evidence, parsed once from `snapshot.json`'s `errors`: a file is present,
 * absent, or unreadable with a reason; a probe ran, is missing, timed out or was not run.
 *
 * The sources phrase every error as `<host path>: <what happened>` (the collector's kdc_error, the image
 * reader in sources/rootfs.ts) or `probe <name> (<command>): <what happened>`:
 *
 *   /proc/sys/kernel/panic_on_oops: could not be read: Permission denied
 *   /proc/iomem: could not be read: timed out after 5 s
 *   /etc/kdump.conf: not a regular file, not read
 *   /boot/grub/grub.cfg: a symlink that does not resolve (dangling or a loop), not read
 *   /var/log/x: not read, the 60 s deadline had passed
 *   /etc/sysctl.d/*.conf: too many matches, only the first 512 were read
 *   /boot/initrd.img: larger than 4194304 bytes, only the first 4194304 bytes were kept
 *   commands/xl-dmesg.out: larger than 4194304 bytes, only the first 4194304 bytes were kept
 *   probe xl-info (xl info): timed out after 10 s
 *
 * A line is attributed to a path only when it starts with exactly that path and `: ` (so an error for
 * panic_on_oops never speaks for panic). A line none of these forms describes stays `unparsed`: it is still
 * shown to the user (the report's snapshot_errors), and, conservatively, an absent file whose path it
 * mentions counts as unreadable rather than absent: an error we cannot read must never make evidence look
 * more favourable than "could not be read".
 */

export type FileState =
  | {state: 'present'; truncated: boolean}
  /** Not in the snapshot, and no error says it could not be read: the host has no such file (or it was not collected). */
  | {state: 'absent'}
  /** It exists on the host (or may), but its content is not in the snapshot. */
  | {state: 'unreadable'; reason: string; timedOut: boolean; error: string}

export type ProbeRunState =
  | {state: 'ran'}
  /** The program is not installed. */
  | {state: 'missing'}
  | {state: 'timed-out'; error?: string}
  /** The collector's deadline had passed before it could start the probe. */
  | {state: 'not-run'; reason: string; error: string}
  /** Output is there, but not how the probe ended. */
  | {state: 'unrecorded'}
  | {state: 'absent'}

export type SnapshotErrorLine =
  | {kind: 'file'; path: string; effect: 'unreadable'; reason: string; timedOut: boolean; raw: string}
  | {kind: 'file'; path: string; effect: 'truncated'; raw: string}
  | {kind: 'glob'; pattern: string; effect: 'truncated'; raw: string}
  | {kind: 'output'; probe: string; stream: string; effect: 'truncated'; raw: string}
  | {kind: 'probe'; probe: string; effect: 'timed-out' | 'not-run'; reason: string; raw: string}
  | {kind: 'unparsed'; raw: string}

const TRUNCATED = /^larger than \d+ bytes, only the first \d+ bytes were kept$/
const GLOB_TRUNCATED = /^too many matches, only the first \d+ were read$/
const PROBE = /^probe ([^\s()]+) \((.*)\): (timed out after .*|not run, .*)$/s
const OUTPUT = /^commands\/([^/\s]+)\.(out|err): (.*)$/s
const GLOB_CHARS = /[*?[]/

/** What one message after `<path>: ` says, or undefined when it is none of the known forms. */
function fileEffect(message: string): {effect: 'truncated'} | {effect: 'unreadable'; reason: string; timedOut: boolean} | {effect: 'glob-truncated'} | undefined {
  if (TRUNCATED.test(message)) return {effect: 'truncated'}
  if (GLOB_TRUNCATED.test(message)) return {effect: 'glob-truncated'}
  const read = /^could not be read: (.+)$/s.exec(message)
  if (read) return {effect: 'unreadable', reason: read[1]!, timedOut: /^timed out\b/.test(read[1]!)}
  if (/(^|, )not a regular file, not read$/.test(message)) return {effect: 'unreadable', reason: message, timedOut: false}
  if (/^a symlink .*, not read$/s.test(message)) return {effect: 'unreadable', reason: message, timedOut: false}
  if (/^not read[,:] /.test(message)) return {effect: 'unreadable', reason: message, timedOut: /deadline/.test(message)}
  return undefined
}

export function parseSnapshotError(raw: string): SnapshotErrorLine {
  const probe = PROBE.exec(raw)
  if (probe) return {kind: 'probe', probe: probe[1]!, effect: probe[3]!.startsWith('timed out') ? 'timed-out' : 'not-run', reason: probe[3]!, raw}
  const output = OUTPUT.exec(raw)
  if (output && TRUNCATED.test(output[3]!)) return {kind: 'output', probe: output[1]!, stream: output[2]!, effect: 'truncated', raw}
  if (raw.startsWith('/')) {
    // A path may itself hold ": "; the first split whose message is a known form wins.
    for (let at = raw.indexOf(': '); at > 0; at = raw.indexOf(': ', at + 1)) {
      const path = raw.slice(0, at)
      const effect = fileEffect(raw.slice(at + 2))
      if (!effect) continue
      if (effect.effect === 'glob-truncated') return {kind: 'glob', pattern: path, effect: 'truncated', raw}
      if (effect.effect === 'truncated') return {kind: 'file', path, effect: 'truncated', raw}
      return {kind: 'file', path, effect: 'unreadable', reason: effect.reason, timedOut: effect.timedOut, raw}
    }
  }
  return {kind: 'unparsed', raw}
}

/** The per-path and per-probe index over a snapshot's errors. */
export class EvidenceStates {
  readonly lines: readonly SnapshotErrorLine[]
  private readonly unreadable = new Map<string, Extract<SnapshotErrorLine, {effect: 'unreadable'}>>()
  private readonly truncated = new Set<string>()
  private readonly probes = new Map<string, Extract<SnapshotErrorLine, {kind: 'probe'}>>()

  constructor(errors: readonly string[]) {
    this.lines = errors.map(parseSnapshotError)
    for (const line of this.lines) {
      if (line.kind === 'file' && line.effect === 'unreadable' && !this.unreadable.has(line.path)) this.unreadable.set(line.path, line)
      else if (line.kind === 'file' && line.effect === 'truncated') this.truncated.add(line.path)
      else if (line.kind === 'probe' && !this.probes.has(line.probe)) this.probes.set(line.probe, line)
    }
  }

  /** The state of a host file, given whether the snapshot holds it (and whether the reader cut it). */
  file(path: string, held: {truncated: boolean} | undefined): FileState {
    if (held) return {state: 'present', truncated: held.truncated || this.truncated.has(path)}
    const error = this.unreadable.get(path)
    if (error) return {state: 'unreadable', reason: error.reason, timedOut: error.timedOut, error: error.raw}
    for (const line of this.lines) {
      // A glob cut short may have left this very file out.
      if (line.kind === 'glob' && path.startsWith(globPrefix(line.pattern))) {
        return {state: 'unreadable', reason: `${line.pattern} had too many matches; this one may be among those not read`, timedOut: false, error: line.raw}
      }
      if (line.kind === 'unparsed' && line.raw.includes(path)) return {state: 'unreadable', reason: line.raw, timedOut: false, error: line.raw}
    }
    return {state: 'absent'}
  }

  /** The state of a probe, given its recorded exit (`undefined` when the snapshot has no such probe). */
  probe(name: string, exit: 'exited' | 'timeout' | 'missing' | 'unrecorded' | undefined): ProbeRunState {
    const error = this.probes.get(name)
    if (error?.effect === 'not-run') return {state: 'not-run', reason: error.reason, error: error.raw}
    if (exit === 'timeout' || error?.effect === 'timed-out') return {state: 'timed-out', ...(error ? {error: error.raw} : {})}
    if (exit === 'missing') return {state: 'missing'}
    if (exit === undefined) return {state: 'absent'}
    if (exit === 'unrecorded') return {state: 'unrecorded'}
    return {state: 'ran'}
  }

  /** Error lines no known form describes: shown as they are, never silently dropped. */
  get unparsed(): string[] {
    return this.lines.filter((l) => l.kind === 'unparsed').map((l) => l.raw)
  }
}

/** The directory part of a pattern before its first glob character: `/etc/sysctl.d/` for `/etc/sysctl.d/*.conf`. */
function globPrefix(pattern: string): string {
  const first = pattern.search(GLOB_CHARS)
  if (first < 0) return pattern
  return pattern.slice(0, pattern.lastIndexOf('/', first) + 1)
}
