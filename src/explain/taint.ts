/**
 * Linux's taint letters (kernel/panic.c `taint_flags`), as printed after `Tainted:`. The field is
 * positional and padded with spaces; `G` only says "no proprietary module" and carries no taint.
 * The letters an engineer reads first in a crash story are D (an earlier Oops killed a task, so this
 * kernel was already damaged) and W (a WARN fired earlier).
 */
const TAINT: Record<string, string> = {
  P: 'proprietary module loaded',
  F: 'module force-loaded',
  S: 'out-of-spec hardware or SMP-unsafe CPU',
  R: 'module force-unloaded',
  M: 'machine check exception seen',
  B: 'bad page referenced or unexpected page flags',
  U: 'taint requested by user space',
  D: 'kernel died recently (an earlier Oops or BUG)',
  A: 'ACPI table overridden',
  W: 'a kernel warning was issued earlier',
  C: 'staging driver loaded',
  I: 'firmware bug workaround applied',
  O: 'out-of-tree module loaded',
  E: 'unsigned module loaded',
  L: 'soft lockup occurred earlier',
  K: 'kernel live-patched',
  X: 'auxiliary taint (distribution-defined)',
  T: 'built with struct randomization plugin',
  N: 'in-kernel test run',
  J: 'userspace used a mutating debug operation in fwctl',
}

export interface TaintFlag {
  letter: string
  meaning: string
}

/** Decodes a taint field (`P      D W`); unknown letters are kept with an honest meaning. Total. */
export function decodeTaint(field: string): TaintFlag[] {
  const flags: TaintFlag[] = []
  const seen = new Set<string>()
  for (const letter of field) {
    if (letter === ' ' || letter === 'G' || seen.has(letter) || !/[A-Z]/.test(letter)) continue
    seen.add(letter)
    flags.push({letter, meaning: TAINT[letter] ?? 'unknown taint letter'})
  }
  return flags
}

/** `P W` style, for one-line summaries. */
export function taintLetters(flags: TaintFlag[]): string {
  return flags.map((f) => f.letter).join(' ')
}
