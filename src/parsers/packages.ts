/**
 * Installed-package evidence from the `rpm-q` and `dpkg-query` probes, and a way to compare the
 * upstream versions behind distribution versions (kexec-tools' version decides what it can do on
 * Xen: 2.0.5 loads from a pvops dom0, 2.0.15 knows `-S`).
 *
 *   rpm -q --qf '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\n' kexec-tools ...
 *     kexec-tools\t(none):2.0.0-273.el5
 *     package kdump-utils is not installed
 *   dpkg-query -W -f='${Package}\t${Version}\t${Status}\n' kexec-tools ...
 *     kexec-tools\t1:2.0.25-3+deb12u1\tinstall ok installed
 *     (stderr) dpkg-query: no packages found matching kdump-tools
 */
// The two functions alone: semver's index loads ~40 CommonJS files, a third of start-up time.
import compareVersions from 'semver/functions/compare.js'
import validVersion from 'semver/functions/valid.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export interface PackageRecord {
  name: string
  /** null when the package has none (rpm prints `(none)`, dpkg omits it) or is not installed. */
  epoch: number | null
  /** Upstream part as the distribution wrote it (`2.0.25`, `1.102pre`); '' when not installed. */
  version: string
  /** rpm RELEASE or Debian revision (`273.el5`, `3+deb12u1`); '' when none. */
  release: string
  /** The version exactly as printed (`(none):2.0.0-273.el5`, `1:2.0.25-3+deb12u1`); '' when not installed. */
  raw: string
  installed: boolean
  /** dpkg's `want eflag status` triple (`deinstall ok config-files`); absent for rpm. */
  status?: string
  manager: 'rpm' | 'dpkg'
  /** 1-based line in the probe output it came from (stdout, or stderr for dpkg's "no packages found"). */
  line: number
  stream: 'stdout' | 'stderr'
}

export interface PackageList {
  manager: 'rpm' | 'dpkg'
  packages: PackageRecord[]
}

export function parseRpmQuery(stdout: string, stderr = ''): Parsed<PackageList> {
  return total('rpm -q', () => {
    const packages: PackageRecord[] = []
    const problems: ParseProblem[] = []
    splitLines(stdout).forEach((text, i) => {
      const line = i + 1
      if (text.trim() === '') return
      const missing = /^package (\S+) is not installed\s*$/.exec(text)
      if (missing) {
        packages.push(notInstalled(missing[1]!, 'rpm', line, 'stdout'))
        return
      }
      const m = /^([^\t]+)\t(?:(\(none\)|\d+):)?(\S+)$/.exec(text.trimEnd())
      const vr = m ? splitVersionRelease(m[3]!) : undefined
      if (!m || !vr) {
        problems.push({line, message: `unrecognised rpm -q line: ${text.slice(0, 120)}`})
        return
      }
      const epoch = m[2] === undefined || m[2] === '(none)' ? null : Number(m[2])
      packages.push({name: m[1]!, epoch, version: vr.version, release: vr.release, raw: text.slice(m[1]!.length + 1).trimEnd(), installed: true, manager: 'rpm', line, stream: 'stdout'})
    })
    for (const text of splitLines(stderr)) if (/^error:/.test(text)) problems.push({message: `rpm: ${text.slice(0, 160)}`})
    return parsed({manager: 'rpm' as const, packages}, problems)
  })
}

/** Status words (third of `want eflag status`) under which the package's files are on disk and configured. */
const DPKG_PRESENT = new Set(['installed', 'triggers-pending', 'triggers-awaited'])

export function parseDpkgQuery(stdout: string, stderr = ''): Parsed<PackageList> {
  return total('dpkg-query', () => {
    const packages: PackageRecord[] = []
    const problems: ParseProblem[] = []
    splitLines(stdout).forEach((text, i) => {
      const line = i + 1
      if (text.trim() === '') return
      const fields = text.split('\t')
      const [name, raw = '', status = ''] = fields
      if (fields.length !== 3 || !name || !/^\S+ \S+ \S+$/.test(status.trim())) {
        problems.push({line, message: `unrecognised dpkg-query line: ${text.slice(0, 120)}`})
        return
      }
      const state = status.trim().split(' ')[2]!
      const installed = DPKG_PRESENT.has(state) && raw !== ''
      const d = raw === '' ? undefined : splitDebianVersion(raw)
      if (raw !== '' && !d) problems.push({line, message: `unrecognised Debian version: ${raw}`})
      packages.push({
        name,
        epoch: d?.epoch ?? null,
        version: d?.version ?? '',
        release: d?.release ?? '',
        raw,
        installed,
        status: status.trim(),
        manager: 'dpkg',
        line,
        stream: 'stdout',
      })
    })
    splitLines(stderr).forEach((text, i) => {
      const m = /^dpkg-query: no packages found matching (\S+)\s*$/.exec(text)
      if (m) packages.push(notInstalled(m[1]!, 'dpkg', i + 1, 'stderr'))
    })
    return parsed({manager: 'dpkg' as const, packages}, problems)
  })
}

/** The installed records for `name` (a kernel may have several), newest-looking last as listed. */
export function installedPackages(list: PackageList, name: string): PackageRecord[] {
  return list.packages.filter((p) => p.name === name && p.installed)
}

function notInstalled(name: string, manager: 'rpm' | 'dpkg', line: number, stream: 'stdout' | 'stderr'): PackageRecord {
  return {name, epoch: null, version: '', release: '', raw: '', installed: false, manager, line, stream}
}

/** rpm's VERSION cannot contain '-', so the release is everything after the last one. */
function splitVersionRelease(vr: string): {version: string; release: string} | undefined {
  const dash = vr.lastIndexOf('-')
  if (dash <= 0 || dash === vr.length - 1) return undefined
  return {version: vr.slice(0, dash), release: vr.slice(dash + 1)}
}

/** Debian: `[epoch:]upstream[-revision]`, the revision after the last hyphen (deb-version(7)). */
function splitDebianVersion(raw: string): {epoch: number | null; version: string; release: string} | undefined {
  const m = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9.+~]+))?$/.exec(raw.trim())
  if (!m) return undefined
  return {epoch: m[1] === undefined ? null : Number(m[1]), version: m[2]!, release: m[3] ?? ''}
}

/**
 * The upstream version inside a distribution version, as a semver string, or null when there is none.
 *   `1:2.0.25-3+deb12u3` → `2.0.25`   (epoch and Debian revision dropped)
 *   `(none):2.0.0-273.el5` → `2.0.0`  (rpm's query format)
 *   `2.0.26~rc1-1` → `2.0.26-rc1`     (`~` sorts before the release, as a semver prerelease does)
 *   `2.0.15-rc1` → `2.0.15-rc1`       (`kexec --version` of a release candidate: `-rcN` is no revision)
 *   `1.102pre-161.el5` → `1.102.0-pre`
 *   `20070330-1` → `1.999.20070330`   (kexec-tools-testing snapshots: after every 1.x, before 2.0.0)
 *   `1.101-0.1` → `1.101.0`
 * A fourth numeric component (`2.6.32.43`) does not fit semver and is dropped.
 */
export function upstreamVersion(raw: string): string | null {
  let v = raw.trim().replace(/^(?:\(none\)|\d+):/, '').replace(/-(rc\d*)$/i, '~$1')
  // Everything after the last hyphen is the rpm release or Debian revision.
  const dash = v.lastIndexOf('-')
  if (dash > 0) v = v.slice(0, dash)
  const date = /^((?:19|20)\d{6})(?:[.+~]|$)/.exec(v)
  if (date) return `1.999.${Number(date[1])}`
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:\.\d+)*)(.*)$/.exec(v)
  if (!m) return null
  const nums = [m[1], m[2] ?? '0', m[3] ?? '0'].map((n) => String(Number(n)))
  const tail = m[5] ?? ''
  // `~rc1` and `pre` mark a version before the release (semver prerelease); `+dfsg` and the like do not change it.
  const pre = /^(?:~|[A-Za-z])/.test(tail)
    ? tail.replace(/^~/, '').split('+')[0]!.replace(/[^0-9A-Za-z.-]/g, '.').replace(/\.{2,}/g, '.').replace(/^\.|\.$/g, '')
    : ''
  const out = `${nums.join('.')}${pre ? `-${pre}` : ''}`
  return validVersion(out) ?? validVersion(nums.join('.'))
}

/** Compares the upstream versions of two distribution versions: -1, 0, 1, or null when either has none. */
export function compareUpstream(a: string, b: string): -1 | 0 | 1 | null {
  const x = upstreamVersion(a)
  const y = upstreamVersion(b)
  if (x === null || y === null) return null
  return compareVersions(x, y)
}
