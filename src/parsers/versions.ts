/**
 * Version comparison for the two families kdumpcheck judges by number (Xen's own is parsers/xen-version.ts):
 * - kexec-tools, as `kexec --version` prints it (`2.0.25`, `2.0.15-rc1`, `2.0.14.git`, `20070330` for the
 *   kexec-tools-testing snapshots) or as a package records it (`1:2.0.25-3+deb12u3`, `2.0.0-273.el5`): both
 *   reduce to the upstream version (parsers/packages.ts) and compare as semver, `-rc` before its release;
 * - a Linux kernel release (`6.1.0-50-amd64`, `2.6.32.36-0.5-xen`, `5.14.0-427.el9.x86_64`): its leading
 *   `major.minor[.patch]`, compared numerically.
 */
import {compareUpstream} from './packages.js'

/** Whether a kexec-tools version is at least `minimum` (`2.0.5`); undefined when it cannot be read. */
export function kexecAtLeast(version: string | undefined, minimum: string): boolean | undefined {
  if (version === undefined) return undefined
  const order = compareUpstream(version, minimum)
  return order === null ? undefined : order >= 0
}

/** `major.minor.patch` of a kernel release, or undefined when it does not start with one. */
export function kernelVersion(release: string): [number, number, number] | undefined {
  const m = /^(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?/.exec(release.trim())
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined
}

/** Whether a kernel release is at least `major.minor[.patch]`; undefined when the release is not numeric. */
export function kernelAtLeast(release: string, major: number, minor: number, patch = 0): boolean | undefined {
  const v = kernelVersion(release)
  if (!v) return undefined
  const order = v[0] - major || v[1] - minor || v[2] - patch
  return order >= 0
}
