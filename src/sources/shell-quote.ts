/** Quoting for the POSIX shell that runs a remote command (ssh hands its command line to the login shell). */

/** One word: unchanged when it holds only characters no shell treats specially, otherwise single-quoted. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word
  return `'${word.replace(/'/g, `'\\''`)}'`
}

/** A command line from words, each quoted. */
export function shellCommand(words: readonly string[]): string {
  return words.map(shellQuote).join(' ')
}
