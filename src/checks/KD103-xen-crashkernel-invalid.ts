import {crashkernelToken} from '../facts/command-lines.js'
import {hasUnescapedLessThan, parseCrashkernel, selectSize, simulateXenCrashkernel, xenMinVersionFor} from '../parsers/crashkernel.js'
import {hostContext} from './shared/host-wording.js'
import {XEN_CMDLINE_DOC, xenCrashkernelFix} from './shared/xen-fixes.js'
import {defineCheck, notApplicable, pass} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'
import {formatBytes, KiB} from '../units.js'

export default defineCheck(
  {
    id: 'KD103',
    title: 'Xen crashkernel= is not valid for the running Xen version',
    nativeTitle: "The hypervisor's crashkernel= is not valid for its version (this host runs none)",
    severity: 'error',
    scope: 'runtime',
    stage: 'region',
    why: `Xen's crashkernel= grammar grew over time: plain size@offset in every Xen, ranges (start-end:size) from 4.1, the "<" upper bound from 4.8, ",below=" from 4.10 (added because grub2 eats an unescaped "<"). An older Xen does not reject a newer form: it prints a warning such as "crashkernel: ',below=4G' ignored" or "crashkernel: '-' expected", keeps what it understood and moves on, so the region ends up missing, unbounded or the wrong size. A range form that selects nothing for this machine's RAM reserves nothing at all.`,
    fix: xenCrashkernelFix(undefined),
    references: [XEN_CMDLINE_DOC, 'https://xenbits.xen.org/gitweb/?p=xen.git;a=blob;f=xen/common/kexec.c'],
  },
  (facts) => {
    if (!facts.xenPvDom0) return notApplicable('Only a Xen dom0 host parses crashkernel= with Xen\'s grammar.')
    const xen = facts.runningXenLine
    if (!xen.known) return {status: 'unknown', message: `The running Xen command line is unknown: ${xen.reason}.`, evidence: xen.evidence}
    const token = crashkernelToken(xen.value)
    if (!token || token.value === undefined) return notApplicable('No crashkernel= on the running Xen line (KD101).')
    const version = facts.xenVersion.known ? facts.xenVersion.value : undefined
    const evidence: Evidence[] = [{...xen.value.evidence, text: token.raw}]
    const problems: string[] = []

    const bootLog = facts.xenBootLog
    if (bootLog.known && bootLog.value.crashkernelWarnings.length > 0) {
      evidence.push(...bootLog.value.crashkernelWarnings)
      problems.push(`Xen complained while parsing it: ${bootLog.value.crashkernelWarnings.map((w) => `"${w.text?.replace(/^\(XEN\)\s*/, '')}"`).join(', ')}`)
    }

    const spec = parseCrashkernel(token.value, {dialect: 'xen'})
    if (!spec.ok) {
      problems.push(`Xen cannot parse "${token.value}" (${spec.problems.map((p) => p.message).join('; ')})`)
    } else {
      const needed = xenMinVersionFor(spec.value)
      if (!needed) problems.push(`no Xen release accepts the form "${token.value}" (it is Linux-only syntax)`)
      else if (!version && (needed.major > 3 || needed.minor > 0)) {
        return {
          status: 'unknown',
          message: `"${token.raw}" needs Xen ${needed.major}.${needed.minor} or newer, and the Xen version is unknown: ${facts.xenVersion.known ? '' : facts.xenVersion.reason}.`,
          evidence,
          verify: 'xl info | grep -E "xen_(major|minor|extra)"; xl dmesg | grep -i -E "crashkernel|Kdump"',
        }
      } else if (version && (version.major < needed.major || (version.major === needed.major && version.minor < needed.minor))) {
        problems.push(`this form needs Xen ${needed.major}.${needed.minor} or newer, and this host runs Xen ${version.text}`)
      }
      if (version && problems.length === 0) {
        const replay = simulateXenCrashkernel(token.value, version)
        if (replay.warnings.length > 0) problems.push(`Xen ${version.text} would print ${replay.warnings.map((w) => `"${w}"`).join(', ')}`)
        if (replay.unitless.length > 0) problems.push(`${replay.unitless.map((n) => `"${n}"`).join(', ')} has no unit, and Xen reads it as KiB`)
      }
      if (spec.value.form === 'ranges' && problems.length === 0) {
        const ram = facts.xenBootLog.known && facts.xenBootLog.value.parsed.systemRamKiB ? facts.xenBootLog.value.parsed.systemRamKiB * KiB : facts.machineRamBytes.known ? facts.machineRamBytes.value : undefined
        if (ram === undefined) {
          return {status: 'unknown', message: `"${token.raw}" is a range form and the machine's RAM is unknown, so the size it selects is unknown.`, evidence, verify: 'xl info | grep total_memory'}
        }
        const size = selectSize(spec.value, ram)
        if (size === 0n) problems.push(`none of its ranges covers this machine's ${formatBytes(ram)} of RAM, so it reserves nothing`)
      }
    }

    const boot = facts.nextBoot
    const raw = boot.known ? boot.value.entry.xen?.argsRaw : undefined
    if (boot.known && boot.value.loader === 'grub2' && raw && /crashkernel=/.test(raw) && hasUnescapedLessThan(raw)) {
      problems.push(`the next boot's grub2 entry has an unescaped "<" in crashkernel=, which grub2 treats as a redirection (write "\\<" or ",below=")`)
      evidence.push(...boot.value.evidence)
    }

    if (problems.length === 0) return pass(`"${token.raw}" is valid for Xen ${version?.text ?? ''}`.trim() + '.', evidence)
    return {
      status: 'problem',
      message: `"${token.raw}" on the Xen line does not work as written: ${problems.join('; ')}.`,
      evidence,
      fix: xenCrashkernelFix(version, hostContext(facts)),
    }
  },
)
