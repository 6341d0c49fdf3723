/**
 * kexec-tools as a probe: `kexec --version` and `kexec -S` / `kexec -p -S`.
 * `-S` (2.0.15+) exits 1 when the image is loaded, 0 when not, 255 on error. Older kexec-tools do not
 * know `-S`: getopt complains on stderr (`kexec: invalid option -- 'S'`, or without quotes on old
 * glibc), the usage text goes to stdout, and main() returns 1, the same status as "loaded". So an exit
 * status is only believed when the output is as quiet as a real `-S` run.
 */
import {parsed, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'
import {xenAtLeast, type XenMajorMinor} from './xen-version.js'

export interface KexecVersion {
  /** `kexec-tools`, or `kexec-tools-testing` for the 2006–2008 snapshot series. */
  package: string
  /** The version word as printed: `2.0.25`, `2.0.15.git`, `1.101`, `20070330`. */
  text: string
  /** major.minor.patch of a release (1.101 → [1, 101, 0]); undefined for a dated snapshot. */
  release?: [number, number, number]
  /** What follows the numbers: `.git`, `-rc1`, ``. */
  suffix: string
  /** The date of a kexec-tools-testing snapshot. */
  snapshot?: string
}

const VERSION_LINE = /\b(kexec-tools(?:-testing)?)[ \t]+([0-9][0-9A-Za-z.+~_-]*)/

export function parseKexecVersion(text: string): Parsed<KexecVersion> {
  return total<KexecVersion>('kexec-version', () => {
    const match = VERSION_LINE.exec(text)
    if (!match) return unparsable(`no "kexec-tools <version>" in ${JSON.stringify(text.trim().slice(0, 80))}`)
    const pkg = match[1] ?? 'kexec-tools'
    const word = match[2] ?? ''
    if (pkg === 'kexec-tools-testing' || /^\d{8}$/.test(word)) return parsed({package: pkg, text: word, suffix: '', snapshot: word.slice(0, 8)})
    const numbers = /^(\d{1,4})\.(\d{1,4})(?:\.(\d{1,4}))?(.*)$/.exec(word)
    if (!numbers) return unparsable(`kexec-tools version ${JSON.stringify(word)} is not numeric`)
    return parsed({
      package: pkg,
      text: word,
      release: [Number(numbers[1]), Number(numbers[2]), Number(numbers[3] ?? 0)],
      suffix: numbers[4] ?? '',
    })
  })
}

export type KexecExit = {kind: 'exited'; code: number} | {kind: 'timeout'} | {kind: 'missing'} | {kind: 'unrecorded'}

export type KexecStatus = 'loaded' | 'not-loaded' | 'unsupported' | 'error' | 'unknown'

export interface KexecStatusReading {
  status: KexecStatus
  reason: string
}

export interface KexecStatusProbe {
  out: string
  err: string
  exit: KexecExit
}

export interface KexecStatusContext {
  /** The running Xen, when known: before 4.9 Xen has no status operation and always answers "not loaded". */
  xen?: XenMajorMinor
}

const UNKNOWN_OPTION = /invalid option -- '?S'?|unrecognized option[: ]+'?(?:-S|--status|S)'?/
const USAGE = /Usage: kexec \[OPTION\]/

export function interpretKexecStatus(probe: KexecStatusProbe, context: KexecStatusContext = {}): Parsed<KexecStatusReading> {
  return total<KexecStatusReading>('kexec-status', () => {
    const problems: ParseProblem[] = []
    const reading = (status: KexecStatus, reason: string): Parsed<KexecStatusReading> => parsed({status, reason}, problems)
    const {out, err, exit} = probe
    if (exit.kind === 'missing') return reading('unknown', 'kexec is not installed')
    if (UNKNOWN_OPTION.test(err) || UNKNOWN_OPTION.test(out) || USAGE.test(out)) {
      const version = parseKexecVersion(out)
      const which = version.ok ? ` (${version.value.package} ${version.value.text})` : ''
      return reading('unsupported', `this kexec-tools${which} does not know -S (added in 2.0.15); its exit status 1 does not mean "loaded"`)
    }
    if (exit.kind === 'timeout') return reading('unknown', 'kexec -S timed out')
    if (exit.kind === 'unrecorded') return reading('unknown', 'the exit status of kexec -S was not recorded')
    const noise = `${out}${err}`.trim()
    const firstErr = err.trim().split(/\r?\n/)[0] ?? ''
    switch (exit.code) {
      case 1:
        if (noise !== '') return reading('unknown', `kexec -S exited 1 (loaded) but printed unexpected output: ${JSON.stringify(noise.slice(0, 120))}`)
        return reading('loaded', 'kexec -S exited 1: a capture kernel is loaded')
      case 0:
        if (context.xen && !xenAtLeast(context.xen, 4, 9)) {
          return reading('unknown', `Xen ${context.xen.major}.${context.xen.minor} has no kexec status operation (added in 4.9): "not loaded" is its answer whatever the truth`)
        }
        if (noise !== '') problems.push({message: `kexec -S printed unexpected output: ${JSON.stringify(noise.slice(0, 120))}`})
        return reading('not-loaded', 'kexec -S exited 0: no capture kernel is loaded')
      case 255:
        return reading('error', firstErr !== ''
          ? `kexec -S failed: ${firstErr}`
          : 'kexec -S failed (exit 255): not root, or under Xen a kexec-tools built without Xen 4.9 status support')
      default:
        return reading('unknown', `kexec -S exited ${exit.code}, which it never does`)
    }
  })
}
