/**
 * The configuration file as hostile or clumsy input (issue 12, item 10 and its siblings): an unknown
 * check ID, a date that is not in the calendar, a YAML alias bomb, deep nesting, a huge file, a FIFO
 * or a device where the file should be. Each is exit 2 with one line naming the file and key path.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {findConfig, parseConfigText} from '../src/config/config.js'
import {InputError} from '../src/errors.js'
import {runCli} from './helpers/cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-config-hostile-'))
const incident = 'fixtures/hosts/incident-el5xen'

function bomb(levels: number): string {
  const name = (i: number): string => `l${i}`
  const lines = [`${name(0)}: &${name(0)} [x, x, x, x, x, x, x, x, x]`]
  for (let i = 1; i <= levels; i++) lines.push(`${name(i)}: &${name(i)} [${Array(9).fill(`*${name(i - 1)}`).join(', ')}]`)
  return `${lines.join('\n')}\n`
}

async function rejection(text: string): Promise<string> {
  const error = await parseConfigText(text, 'c.yaml').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(InputError)
  return (error as Error).message
}

describe('configuration values that cannot mean anything', () => {
  it('a waiver for a check that does not exist (KD999) is an error naming the key path', async () => {
    expect(await rejection('ignore:\n  - id: KD999\n    reason: typo\n')).toBe('c.yaml: ignore[0].id: KD999 is not a kdumpcheck check (kdumpcheck rules lists them)')
  })

  it('a severity override for a check that does not exist is an error naming the key path', async () => {
    expect(await rejection('severity:\n  KD999: info\n')).toMatch(/^c\.yaml: severity\.KD999: KD999 is not a kdumpcheck check/)
  })

  it.each(['2099-02-31', '2027-13-01', '2027-04-31', '2027-02-29'])('an expiry of %s (not in the calendar) is an error', async (date) => {
    expect(await rejection(`ignore:\n  - id: KD106\n    reason: x\n    expires: ${date}\n`)).toBe(`c.yaml: ignore[0].expires: ${date} is not a date in the calendar`)
  })

  it('a real leap day still reads', async () => {
    const config = await parseConfigText('ignore:\n  - id: KD106\n    reason: x\n    expires: 2028-02-29\n', 'c.yaml')
    expect(config.ignore[0]!.expires).toBe('2028-02-29')
  })
})

describe('configuration files that would exhaust the reader', () => {
  it('a YAML alias bomb is an input error ("too many aliases"), not an internal error', async () => {
    expect(await rejection(bomb(8))).toMatch(/^c\.yaml: not valid configuration \(too many aliases/)
  })

  it('brackets nested 100,000 deep are refused before the YAML parser recurses', async () => {
    expect(await rejection(`ignore: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`)).toMatch(/nested more than 64 deep/)
  })

  it('a file over 1 MiB is refused', async () => {
    const file = path.join(work, 'huge.yaml')
    writeFileSync(file, `# ${'x'.repeat(2 * 1024 * 1024)}\nfail-on: error\n`)
    await expect(findConfig(file)).rejects.toThrow(/configuration larger than 1 MiB/)
  })

  it('a FIFO is refused at once (it would wait for a writer forever)', async () => {
    const fifo = path.join(work, 'config.fifo')
    execFileSync('mkfifo', [fifo])
    await expect(findConfig(fifo)).rejects.toThrow(/not a regular file/)
  })

  it.runIf(process.getuid?.() === 0)('a character device that never ends (a private /dev/zero) is refused', async () => {
    const zero = path.join(work, 'zero')
    execFileSync('mknod', [zero, 'c', '1', '5'])
    await expect(findConfig(zero)).rejects.toThrow(/not a regular file/)
  })

  it('a directory is refused', async () => {
    await expect(findConfig(work)).rejects.toThrow(/a directory, expected a file/)
  })
})

describe('through the CLI: exit 2, one line', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown check', 'ignore:\n  - id: KD999\n    reason: x\n', /ignore\[0\]\.id: KD999 is not a kdumpcheck check/],
    ['impossible date', 'ignore:\n  - id: KD106\n    reason: x\n    expires: 2099-02-31\n', /ignore\[0\]\.expires: 2099-02-31 is not a date/],
    ['alias bomb', bomb(8), /too many aliases/],
  ]
  it.each(cases)('%s', (label, text, message) => {
    const file = path.join(work, `${label.replaceAll(' ', '-')}.yaml`)
    writeFileSync(file, text)
    const {status, stderr} = runCli(['check', '--snapshot', incident, '--config', file])
    expect(status).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
  })

  it('--config naming a FIFO ends with exit 2 instead of hanging', () => {
    const fifo = path.join(work, 'cli.fifo')
    execFileSync('mkfifo', [fifo])
    const {status, stderr} = runCli(['check', '--snapshot', incident, '--config', fifo])
    expect(status).toBe(2)
    expect(stderr.trimEnd().split('\n')).toHaveLength(1)
  })
})
