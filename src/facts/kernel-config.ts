/**
 * The kernel's build configuration (/boot/config-<release>): the defaults a booted kernel starts with
 * before any sysctl file runs (CONFIG_PANIC_ON_OOPS_VALUE, CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE). The running
 * (or, for an image, the newest) kernel's file is read; when the release is unknown, every config file
 * is tried, newest first.
 */
import {parseKernelConfig, type KernelConfig} from '../parsers/kernel-config.js'
import type {Snapshot, SnapshotFile} from '../snapshot/snapshot.js'
import {fileEvidence, missingFile} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

/** One option of the build configuration: `value` as written (`0x01b6`, `y`, `"text"`). */
export type KernelConfigLookup = (option: string) => Fact<string>

export function kernelConfig(snapshot: Snapshot, release: Fact<string>): KernelConfigLookup {
  const files: SnapshotFile[] = release.known
    ? [snapshot.file(`/boot/config-${release.value}`)].filter((f) => f !== undefined)
    : snapshot.filesMatching(/^\/boot\/config-/).reverse()
  const parsed = new Map<string, KernelConfig | undefined>()
  const configOf = (file: SnapshotFile): KernelConfig | undefined => {
    if (!parsed.has(file.path)) {
      const result = parseKernelConfig(file.text)
      parsed.set(file.path, result.ok ? result.value : undefined)
    }
    return parsed.get(file.path)
  }
  return (option) => {
    for (const file of files) {
      const hit = configOf(file)?.options.get(option)
      if (hit) return known(hit.value, [fileEvidence(file, hit.line)])
    }
    if (files.length === 0) {
      const wanted = release.known ? `/boot/config-${release.value}` : '/boot/config-*'
      return unknown(`${wanted} is not in the snapshot`, release.known ? [missingFile(snapshot, wanted)] : [])
    }
    return unknown(`${option} is not set in ${files.map((f) => f.path).join(', ')}`, files.map((f) => fileEvidence(f)))
  }
}
