/**
 * Kernel tunables as the running dom0 has them (/proc/sys wins on a live host). Configured values in
 * sysctl files come with the catalogue issue; here only the live value counts.
 */
import type {Snapshot} from '../snapshot/snapshot.js'
import {fileEvidence, missingFile} from './evidence.js'
import {known, unknown, type Fact} from './fact.js'

export function liveSysctl(snapshot: Snapshot, name: string): Fact<string> {
  const path = `/proc/sys/${name.replaceAll('.', '/')}`
  const file = snapshot.file(path)
  if (!file) return unknown(`${path} was not collected`, [missingFile(snapshot, path)])
  return known(file.text.trim(), [fileEvidence(file, 1)])
}

export function liveSysctlNumber(snapshot: Snapshot, name: string): Fact<number> {
  const fact = liveSysctl(snapshot, name)
  if (!fact.known) return fact
  const value = Number.parseInt(fact.value.split(/\s+/)[0] ?? '', 10)
  return Number.isNaN(value) ? unknown(`${name} is not a number: ${JSON.stringify(fact.value)}`, fact.evidence) : known(value, fact.evidence)
}
