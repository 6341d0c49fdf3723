/**
 * Issue 12 item 2: a source flag given an empty or blank value is a usage error (exit 2, one line),
 * never "no flag" (which judges, collects from, or for trigger would crash, the local machine). The
 * same holds for every other string flag and argument: an empty --output is not stdout, an empty
 * --config is not the default configuration.
 */
import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'

const incident = 'fixtures/hosts/incident-el5xen'
const out = mkdtempSync(path.join(tmpdir(), 'kdc-blank-'))

const cases: Array<[string, string[], string]> = []
for (const value of ['', ' ', '\t']) {
  for (const flag of ['--ssh', '--snapshot', '--root']) {
    cases.push(['check', ['check', flag, value], flag])
    cases.push(['collect', ['collect', flag, value, '-o', path.join(out, 'local.tar.gz')], flag])
    cases.push(['preflight', ['preflight', flag, value], flag])
  }
  cases.push(['trigger', ['trigger', '--ssh', value, '--confirm', 'nobody-has-this-name', '--yes', '--trigger-file', path.join(out, 'no-such-trigger')], '--ssh'])
  cases.push(['scan', ['scan', '--hosts', value], '--hosts'])
  cases.push(['scan', ['scan', '--snapshots', value], '--snapshots'])
  cases.push(['scan', ['scan', '--inventory', value], '--inventory'])
  cases.push(['scan', ['scan', '--snapshots', 'fixtures/hosts', '--keep-snapshots', value], '--keep-snapshots'])
  cases.push(['scan', ['scan', '--snapshots', 'fixtures/hosts', '--results', value], '--results'])
  cases.push(['check', ['check', '--snapshot', incident, '--output', value], '--output'])
  cases.push(['check', ['check', '--snapshot', incident, '--config', value], '--config'])
  cases.push(['check', ['check', '--ssh', 'dom0-17', '--ssh-config', value], '--ssh-config'])
  cases.push(['check', ['check', '--ssh', 'dom0-17', '--ssh-option', value], '--ssh-option'])
}

describe('blank flag values', () => {
  it.each(cases)('%s: %j is a usage error naming the flag', (_command, args, flag) => {
    const {status, stdout, stderr} = runCli(args)
    expect(status, stderr).toBe(2)
    expect(stdout).toBe('')
    const lines = stderr.split('\n').filter((l) => l !== '')
    expect(lines, stderr).toHaveLength(1)
    expect(lines[0]).toMatch(new RegExp(`^kdumpcheck: error: ${flag} "[^"]*": an? (empty|blank) value`))
    // Nothing was collected or written in the local machine's name.
    expect(readdirSync(out)).toEqual([])
  })

  it('an empty explain input is a usage error too', () => {
    const {status, stderr} = runCli(['explain', ''])
    expect(status).toBe(2)
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^kdumpcheck: error: FILE "": an empty value/)])
  })
})
