/**
 * Evidence: a pointer into a snapshot (a file and line, or a probe's output) with the text it shows. The
 * contract every layer above the snapshot shares: facts carry it, checks cite it, reports print it. It
 * lives at the bottom so that nothing has to import a higher layer to name it.
 */
export interface Evidence {
  /** Snapshot-relative source: `files/proc/cmdline`, `commands/xl-info.out`; or a derived fact's name. */
  source: string
  /** 1-based line in that source. */
  line?: number
  /** The evidence text itself, one line, as the host printed it. */
  text?: string
}
