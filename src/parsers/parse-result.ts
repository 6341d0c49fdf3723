/**
 * Every parser in this directory is pure and total: it takes text (any bytes, already decoded) and
 * returns a typed value or problems, never throws. Checks treat a value with problems as evidence
 * of lower trust, and a missing value as unknown evidence.
 */
export interface ParseProblem {
  /** 1-based line in the parsed text, when the problem belongs to one line. */
  line?: number
  message: string
}

export type Parsed<T> =
  | {ok: true; value: T; problems: ParseProblem[]}
  | {ok: false; problems: ParseProblem[]}

export function parsed<T>(value: T, problems: ParseProblem[] = []): Parsed<T> {
  return {ok: true, value, problems}
}

export function unparsable<T = never>(message: string, line?: number): Parsed<T> {
  return {ok: false, problems: [line === undefined ? {message} : {line, message}]}
}

/** Runs a parser body and turns an unexpected exception into a parse problem, so a parser bug can never crash a check. */
export function total<T>(name: string, body: () => Parsed<T>): Parsed<T> {
  try {
    return body()
  } catch (error) {
    return unparsable(`${name}: internal parser error: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Splits text into lines the way every parser here numbers them (1-based, CRLF tolerated). */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/)
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}
