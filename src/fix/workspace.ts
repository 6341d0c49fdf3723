/**
 * The files a plan reads and edits, in memory: every fixer edits the text the previous ones left,
 * so two fixes of one file (crashkernel= and noreboot on the same Xen line) compose.
 */
import type {FileChange, LinkChange} from './types.js'
import {unsafeToEdit} from './text.js'
import {hasControls} from '../util/terminal.js'

/**
 * Why a path must never be written by a program: a name holding a newline or another control character
 * would become extra lines of the diff, the script (run as root on the host) or the report. Such a file is
 * left to a person.
 */
export function unsafePath(path: string): string | undefined {
  return hasControls(path) ? 'its name holds control characters (a newline, an escape)' : undefined
}

export interface SourceFile {
  text: string
  /** Only the head was read: never edit. */
  truncated?: boolean
}

/** A file (or link) the plan may not touch: a person must edit it. Not an internal error. */
export class EditRefused extends Error {}

export class Workspace {
  private readonly current = new Map<string, string>()
  private readonly created = new Set<string>()
  private readonly linkMap = new Map<string, string>()

  constructor(
    private readonly source: (path: string) => SourceFile | undefined,
    /** Paths of existing symlinks and directories (for links): whether `path` exists at all. */
    private readonly existsInSource: (path: string) => boolean = () => false,
  ) {}

  /** The text as edited so far, or as read. */
  read(path: string): string | undefined {
    if (this.current.has(path)) return this.current.get(path)
    return this.source(path)?.text
  }

  exists(path: string): boolean {
    return this.current.has(path) || this.source(path) !== undefined || this.linkMap.has(path) || this.existsInSource(path)
  }

  /** Why this file must not be edited by a program, or undefined when it may be. */
  refusal(path: string): string | undefined {
    const named = unsafePath(path)
    if (named) return named
    const src = this.source(path)
    if (!src) return undefined
    if (src.truncated) return 'only its head was read (it is larger than the read cap)'
    return unsafeToEdit(src.text)
  }

  write(path: string, text: string): void {
    const refused = this.refusal(path)
    if (refused) throw new EditRefused(`${path}: not edited: ${refused}`)
    if (this.source(path) === undefined && !this.current.has(path)) this.created.add(path)
    this.current.set(path, text)
  }

  link(path: string, target: string): void {
    const named = unsafePath(path) ?? unsafePath(target)
    if (named) throw new EditRefused(`${path}: no link made: ${named}`)
    this.linkMap.set(path, target)
  }

  /** What changed, files sorted by path; edits that ended where they started are dropped. */
  changes(): {files: FileChange[]; links: LinkChange[]} {
    const files: FileChange[] = []
    for (const [path, after] of this.current) {
      const before = this.created.has(path) ? undefined : this.source(path)?.text
      if (before === after) continue
      files.push({path, before, after})
    }
    files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    const links = [...this.linkMap].map(([path, target]) => ({path, target})).sort((a, b) => (a.path < b.path ? -1 : 1))
    return {files, links}
  }

  /** A copy to try edits on without keeping them. */
  snapshotState(): {current: Map<string, string>; created: Set<string>; links: Map<string, string>} {
    return {current: new Map(this.current), created: new Set(this.created), links: new Map(this.linkMap)}
  }

  restore(state: ReturnType<Workspace['snapshotState']>): void {
    this.current.clear()
    for (const [k, v] of state.current) this.current.set(k, v)
    this.created.clear()
    for (const k of state.created) this.created.add(k)
    this.linkMap.clear()
    for (const [k, v] of state.links) this.linkMap.set(k, v)
  }
}
