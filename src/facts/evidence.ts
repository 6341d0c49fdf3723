/** Builds evidence pointers into the snapshot: the file or probe, the line, and the line's text. */
import type {Evidence} from '../snapshot/evidence.js'
import {fileSource, probeSource, type ProbeResult, type Snapshot, type SnapshotFile} from '../snapshot/snapshot.js'

const MAX_EXCERPT = 200

export function excerpt(text: string): string {
  const line = text.replace(/\s+$/, '')
  return line.length > MAX_EXCERPT ? `${line.slice(0, MAX_EXCERPT)}…` : line
}

/** Evidence for line `line` (1-based) of a host file, or for the file as a whole. */
export function fileEvidence(file: SnapshotFile, line?: number): Evidence {
  if (line === undefined) return {source: fileSource(file.path)}
  const text = file.text.split('\n')[line - 1]
  return {source: fileSource(file.path), line, ...(text === undefined ? {} : {text: excerpt(text)})}
}

export function probeEvidence(probe: ProbeResult, line?: number, stream: 'out' | 'err' = 'out'): Evidence {
  const body = stream === 'out' ? probe.out : probe.err
  if (line === undefined) {
    const exit = probe.exit.kind === 'exited' ? `exit ${probe.exit.code}` : probe.exit.kind
    return {source: probeSource(probe.name, 'exit'), text: exit}
  }
  const text = body.split('\n')[line - 1]
  return {source: probeSource(probe.name, stream), line, ...(text === undefined ? {} : {text: excerpt(text)})}
}

export function missingFile(snapshot: Snapshot, path: string): Evidence {
  const state = snapshot.fileState(path)
  return {source: fileSource(path), text: state.state === 'unreadable' ? `unreadable: ${excerpt(state.reason)}` : 'absent from the snapshot'}
}
