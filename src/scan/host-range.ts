/**
 * Ansible's host ranges: `dom0-[01:50].fra1`, `node[a:f]`, `web[0:20:5]`. Numeric ranges keep the
 * start's zero padding; alphabetic ranges run over single letters. Several ranges in one name
 * multiply. A pattern that would expand past MAX_EXPANSION names is refused rather than allowed to
 * exhaust memory (a typo like `[0:99999999]`).
 */
export const MAX_EXPANSION = 100_000

export class HostRangeError extends Error {}

const RANGE = /\[([^\]:]*):([^\]:]*)(?::([^\]]*))?\]/

export function hasRange(pattern: string): boolean {
  return RANGE.test(pattern)
}

/** Expands every `[start:end(:step)]` in `pattern`; throws HostRangeError with a message on a bad range. */
export function expandHostRange(pattern: string): string[] {
  const out: string[] = []
  const walk = (prefix: string, rest: string): void => {
    const match = RANGE.exec(rest)
    if (!match) {
      out.push(prefix + rest)
      if (out.length > MAX_EXPANSION) throw new HostRangeError(`"${pattern}" expands to more than ${MAX_EXPANSION} hosts`)
      return
    }
    const head = prefix + rest.slice(0, match.index)
    const tail = rest.slice(match.index + match[0].length)
    for (const piece of rangeValues(match[1]!, match[2]!, match[3], pattern)) walk(head + piece, tail)
  }
  walk('', pattern)
  return out
}

function rangeValues(startText: string, endText: string, stepText: string | undefined, pattern: string): string[] {
  const fail = (why: string): never => {
    throw new HostRangeError(`bad host range in "${pattern}": ${why}`)
  }
  if (startText === '') startText = '0'
  if (endText === '') fail('a range needs an end')
  const step = stepText === undefined || stepText === '' ? 1 : /^\d+$/.test(stepText) ? Number(stepText) : fail(`"${stepText}" is not a step`)
  if (step < 1) fail('the step must be at least 1')
  if (/^\d+$/.test(startText) && /^\d+$/.test(endText)) {
    const start = Number(startText)
    const end = Number(endText)
    if (start > end) fail(`${startText} is after ${endText}`)
    if ((end - start) / step >= MAX_EXPANSION) fail(`more than ${MAX_EXPANSION} values`)
    const width = startText.length > 1 && startText.startsWith('0') ? startText.length : 0
    const values: string[] = []
    for (let n = start; n <= end; n += step) values.push(String(n).padStart(width, '0'))
    return values
  }
  if (/^[a-zA-Z]$/.test(startText) && /^[a-zA-Z]$/.test(endText)) {
    const start = startText.charCodeAt(0)
    const end = endText.charCodeAt(0)
    if (start > end) fail(`${startText} is after ${endText}`)
    const values: string[] = []
    for (let c = start; c <= end; c += step) values.push(String.fromCharCode(c))
    return values
  }
  return fail(`"${startText}:${endText}" is neither a numeric nor a single-letter range`)
}
