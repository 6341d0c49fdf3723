/**
 * Xen versions as the hypervisor reports them: major, minor and the free-form "extra" string that
 * carries the patch level and any vendor suffix (`.7`, `.3-pre`, `.2-406.el5`). Feature gates in Xen
 * only ever depend on major.minor, so that is what comparisons use.
 */

export interface XenMajorMinor {
  major: number
  minor: number
}

export interface XenVersion extends XenMajorMinor {
  /** Everything after `major.minor`, verbatim: `.7`, `.3-pre`, `-unstable`, `` (empty). */
  extra: string
  /** The patch level when `extra` starts with `.<digits>`, e.g. 3 for `.3-pre`. */
  patch?: number
  /** `major.minor` + extra, e.g. `4.17.3-pre`. */
  text: string
}

const VERSION = /^(\d{1,4})\.(\d{1,4})(\S*)$/

/** `4.17.3-pre`, `3.1.2-406.el5`, `4.1.4` → a version; anything else → undefined. */
export function parseXenVersionText(text: string): XenVersion | undefined {
  const match = VERSION.exec(text.trim())
  if (!match) return undefined
  return makeXenVersion(Number(match[1]), Number(match[2]), match[3] ?? '')
}

export function makeXenVersion(major: number, minor: number, extra: string): XenVersion {
  const patch = /^\.(\d{1,9})/.exec(extra)
  const version: XenVersion = {major, minor, extra, text: `${major}.${minor}${extra}`}
  if (patch) version.patch = Number(patch[1])
  return version
}

export function compareXenVersions(a: XenMajorMinor, b: XenMajorMinor): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor
}

export function xenAtLeast(version: XenMajorMinor, major: number, minor: number): boolean {
  return compareXenVersions(version, {major, minor}) >= 0
}
