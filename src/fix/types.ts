/**
 * What `fix` decides: file edits (and boot links) inside a root, the checks they repair, what must
 * be run on a live host to activate them, and what only a person can decide.
 */

/** A regular file's new content (`before` undefined: a new file). */
export interface FileChange {
  /** The host path, absolute: `/etc/default/grub`. */
  path: string
  before: string | undefined
  after: string
}

/** A symbolic link to create (systemd's `.wants/` links). */
export interface LinkChange {
  path: string
  target: string
}

export interface Activation {
  /** The exact command, or a sentence for what is not a command (a reboot). */
  command: string
  why: string
  /** The change takes effect only after a reboot (the crash region is reserved at boot). */
  reboot?: boolean
}

export interface FixItem {
  /** The findings this item answers. */
  findings: string[]
  /** What is changed, in one line. */
  summary: string
  /** Why, and what was decided (per distribution, per Xen version), in sentences. */
  details: string[]
  /** Files and links it touches. */
  paths: string[]
  /** Checks that pass once the edit is in place: judged again on the edited configuration. */
  repairs: string[]
  /** On a live host: checks that pass only once the activation below has run (a reboot, a restart). */
  repairsAfterActivation: string[]
  activation: Activation[]
}

export interface PersonItem {
  finding: string
  message: string
}

export interface FixPlan {
  files: FileChange[]
  links: LinkChange[]
  items: FixItem[]
  people: PersonItem[]
  /** Findings that were looked at and need nothing (already right in the configuration). */
  notes: string[]
}

/** The exit codes of `fix`. */
export const FIX_EXIT = {clean: 0, changes: 1, error: 2, person: 3} as const

export function planExitCode(plan: FixPlan, activationPending: boolean): number {
  if (plan.people.length > 0) return FIX_EXIT.person
  if (plan.files.length > 0 || plan.links.length > 0 || activationPending) return FIX_EXIT.changes
  return FIX_EXIT.clean
}
