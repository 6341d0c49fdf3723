/** A value from the running (or image's) kernel build config, /boot/config-<release>. */
import type {Evidence} from '../../snapshot/evidence.js'
import {fileEvidence} from '../../facts/evidence.js'
import type {Facts} from '../../facts/facts.js'

export function kernelConfigValue(facts: Facts, option: string): {value: string; evidence: Evidence} | undefined {
  const configs = facts.kernelRelease.known
    ? [facts.snapshot.file(`/boot/config-${facts.kernelRelease.value}`)].filter((f) => f !== undefined)
    : facts.snapshot.filesMatching(/^\/boot\/config-/)
  for (const file of configs.reverse()) {
    const lines = file.text.split('\n')
    const at = lines.findIndex((l) => l.startsWith(`${option}=`))
    if (at >= 0) return {value: lines[at]!.slice(option.length + 1), evidence: fileEvidence(file, at + 1)}
  }
  return undefined
}
