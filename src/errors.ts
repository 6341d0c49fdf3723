/**
 * An error the user can act on: bad input, an unreadable snapshot, a bad flag. Commands turn it into
 * one line on stderr and exit code 2; anything else reaching the top is an internal error (also 2).
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}
