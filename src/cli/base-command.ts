/**
 * What every kdumpcheck command shares: `--format`/`--json`/`--output`, and the error policy
 * (an InputError or any unexpected failure is one line on stderr and exit 2, never a stack trace,
 * unless KDUMPCHECK_DEBUG is set).
 */
import {Command, Flags, type Interfaces} from '@oclif/core'
import {InputError} from '../errors.js'
import {writeFileAtomic} from '../io/write-atomic.js'
import {printLine} from './one-line.js'

/** A usage error found after oclif's own parsing: one line, exit 2, like oclif's. */
class UsageError extends InputError {
  constructor(message: string) {
    super(`${message} (see --help)`)
  }
}

export abstract class KdumpcheckCommand extends Command {
  static override enableJsonFlag = true
  /** --output names where the command's document goes (false for `collect`, whose -o is the snapshot). */
  static outputIsReport = true

  /** --output, when it names the document: the --json document goes there too, not to stdout. */
  private reportFile: string | undefined
  private successJson: {value: unknown} | undefined

  /**
   * oclif prints the --json document after run() returns; with --output it is kept and written to the
   * file instead (a CI job reading report.json must never find a stale one while stdout got the new).
   */
  public override async _run<T>(): Promise<T> {
    const result = await super._run<T>()
    if (this.successJson && this.reportFile !== undefined) {
      try {
        await writeFileAtomic(this.reportFile, `${JSON.stringify(this.successJson.value, null, 2)}\n`)
      } catch (error) {
        process.exitCode = 2
        printLine('error', error instanceof Error ? error.message : String(error))
      }
    }
    return result
  }

  protected override logJson(json: unknown): void {
    const isError = typeof json === 'object' && json !== null && 'error' in json
    if (this.reportFile !== undefined && !isError) this.successJson = {value: json}
    else super.logJson(json)
  }

  static override baseFlags = {
    output: Flags.string({
      char: 'o',
      summary: 'Write the output to FILE instead of stdout (atomically; a device or FIFO is written in place; a symbolic link is refused).',
      helpValue: 'FILE',
    }),
  }

  /**
   * oclif's parse, then one rule for every command: a flag or argument given an empty or blank value
   * is a usage error (exit 2). An empty --ssh, --snapshot or --root must never fall back to judging
   * (or, for `trigger`, crashing) the local machine; an empty --output must not mean stdout.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- oclif's own signature, which this overrides
  protected override async parse<F extends {[name: string]: any}, B extends {[name: string]: any}, A extends {[name: string]: any}>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv)
    const output = (parsed.flags as {output?: unknown}).output
    if ((this.constructor as typeof KdumpcheckCommand).outputIsReport && typeof output === 'string') this.reportFile = output
    const definitions = {...(options?.baseFlags ?? {}), ...(options?.flags ?? {})} as Record<string, {helpValue?: string | string[]} | undefined>
    for (const [name, value] of Object.entries(parsed.flags as Record<string, unknown>)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (typeof item === 'string' && item.trim() === '') {
          const expected = definitions[name]?.helpValue
          throw new UsageError(`--${name} ${JSON.stringify(item)}: ${item === '' ? 'an empty' : 'a blank'} value${expected ? ` (expected ${expected})` : ''}`)
        }
      }
    }
    for (const [name, value] of Object.entries(parsed.args as Record<string, unknown>)) {
      if (typeof value === 'string' && value.trim() === '') throw new UsageError(`${name.toUpperCase()} ${JSON.stringify(value)}: ${value === '' ? 'an empty' : 'a blank'} value`)
    }
    return parsed
  }

  /** Prints or writes a rendered document, honouring --output. */
  protected async emit(text: string, output: string | undefined): Promise<void> {
    const body = text.endsWith('\n') ? text : `${text}\n`
    if (output !== undefined) await writeFileAtomic(output, body)
    else process.stdout.write(body)
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error.oclif?.exit !== undefined) {
      // oclif's own usage errors (unknown flag, missing argument, exclusive flags): the same one line as ours.
      process.exitCode = 2
      const message = error.message
        .replace(/The following errors? occurred:/, '')
        .replace(/See more help with --help/, '')
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .join('; ')
      if (this.jsonEnabled()) this.logJson({error: {message, exit_code: 2}})
      else printLine('error', `${message} (see --help)`)
      return undefined
    }
    process.exitCode = 2
    const message =
      error instanceof InputError ? error.message : `internal error: ${error.message || String(error)} (set KDUMPCHECK_DEBUG=1 for details)`
    if (process.env.KDUMPCHECK_DEBUG && !(error instanceof InputError)) process.stderr.write(`${error.stack}\n`)
    if (this.jsonEnabled()) this.logJson({error: {message, exit_code: 2}})
    else printLine('error', message)
    return undefined
  }
}
