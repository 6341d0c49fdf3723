/**
 * Word-level edits of an argument list inside a larger text (a boot line's arguments, a quoted shell
 * value), keeping every byte that is not edited: the spacing between the words that stay, the
 * quoting around them, and what comes before and after the list.
 *
 * A format supplies the words it sees in `text[start, end)` (with what each means, decoded, or
 * undefined when it cannot be known statically, such as `$VAR`) and how to write a new word.
 */

export interface RawWord {
  start: number
  end: number
  /** The word after the format's quote removal; undefined when it holds an expansion. */
  literal: string | undefined
}

export interface WordList {
  /** The list's extent in the text. */
  start: number
  end: number
  words: RawWord[]
  /** Where a new word goes (default: after the last word, else at `start`). */
  insertAt?: number
  /** Writes a literal word in the format's syntax; undefined when it cannot be written there. */
  encode(literal: string): string | undefined
}

export type WordOp =
  /** Drops every word the predicate matches. */
  | {kind: 'remove'; match: (literal: string) => boolean}
  /** Makes `word` the only word the predicate matches: the last match is replaced, the others dropped; appended when none. */
  | {kind: 'set'; match: (literal: string) => boolean; word: string}
  /** Replaces matching words in place by what `map` returns (undefined: drop the word). */
  | {kind: 'map'; match: (literal: string) => boolean; map: (literal: string) => string | undefined}

export class WordEditError extends Error {}

/** Applies the operations in order (each sees the result of the previous one) and returns the new text. */
export function editWords(text: string, list: (text: string) => WordList, ops: readonly WordOp[]): string {
  let out = text
  for (const op of ops) out = editOnce(out, list(out), op)
  return out
}

function editOnce(text: string, list: WordList, op: WordOp): string {
  const words = list.words
  const removed = new Set<number>()
  const replaced = new Map<number, string>()
  let append: string | undefined
  const matches = words.map((w, i) => ({w, i})).filter(({w}) => w.literal !== undefined && op.match(w.literal))
  if (op.kind === 'remove') for (const {i} of matches) removed.add(i)
  else if (op.kind === 'map') {
    for (const {w, i} of matches) {
      const next = op.map(w.literal!)
      if (next === undefined) removed.add(i)
      else if (next !== w.literal) replaced.set(i, encodeOrThrow(list, next))
    }
  } else {
    const last = matches.at(-1)
    for (const {i} of matches.slice(0, -1)) removed.add(i)
    if (!last) append = encodeOrThrow(list, op.word)
    else if (last.w.literal !== op.word) replaced.set(last.i, encodeOrThrow(list, op.word))
  }
  if (removed.size === 0 && replaced.size === 0 && append === undefined) return text

  const edits: Array<{start: number; end: number; text: string}> = []
  const keptBefore = (i: number): boolean => words.slice(0, i).some((_, j) => !removed.has(j))
  words.forEach((w, i) => {
    if (replaced.has(i)) edits.push({start: w.start, end: w.end, text: replaced.get(i)!})
    if (!removed.has(i)) return
    if (keptBefore(i)) {
      // Takes the blank before it: "a b c" without b is "a c".
      edits.push({start: words[i - 1]!.end, end: w.end, text: ''})
    } else {
      const next = words[i + 1]
      if (next) edits.push({start: w.start, end: next.start, text: ''})
      else edits.push({start: blankStart(text, list.start, w.start), end: w.end, text: ''})
    }
  })
  if (append !== undefined) {
    const at = list.insertAt ?? (words.at(-1)?.end ?? list.start)
    const before = words.some((w, i) => !removed.has(i) && w.end <= at)
    const after = words.some((w, i) => !removed.has(i) && w.start >= at)
    edits.push({start: at, end: at, text: `${before ? ' ' : ''}${append}${after && !before ? ' ' : ''}`})
  }
  edits.sort((a, b) => b.start - a.start || b.end - a.end)
  let out = text
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end)
  return out
}

function blankStart(text: string, floor: number, at: number): number {
  let i = at
  while (i > floor && /[ \t]/.test(text.charAt(i - 1))) i--
  return i
}

function encodeOrThrow(list: WordList, literal: string): string {
  const encoded = list.encode(literal)
  if (encoded === undefined) throw new WordEditError(`cannot write ${JSON.stringify(literal)} in this syntax`)
  return encoded
}

/** Words separated by blanks, taken verbatim (GRUB legacy, extlinux, Xen and Linux lines as the loader passes them). */
export function verbatimWords(text: string, start: number, end: number): WordList {
  const words: RawWord[] = []
  const re = /[^ \t]+/g
  re.lastIndex = start
  for (let m = re.exec(text); m && m.index < end; m = re.exec(text)) {
    const wEnd = Math.min(m.index + m[0].length, end)
    words.push({start: m.index, end: wEnd, literal: text.slice(m.index, wEnd)})
  }
  return {start, end, words, encode: (lit) => (/[\s]/.test(lit) || lit === '' ? undefined : lit)}
}
