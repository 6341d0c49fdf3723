/**
 * Issue 12 item 11: every exit 2 is exactly one line on stderr, for every command: several missing
 * files, a directory where a file is expected, and a path or host name holding a newline or an escape
 * sequence (printed escaped: it can neither add a line nor drive the terminal).
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'

const incident = 'fixtures/hosts/incident-el5xen'
const dir = mkdtempSync(path.join(tmpdir(), 'kdc-one-line-'))
const evil = path.join(dir, 'a\nkdumpcheck: READY\x1b[2J\x1b]0;owned\x07\u202e')

const cases: Array<[string, string[], RegExp]> = [
  ['explain: several missing files', ['explain', path.join(dir, 'missing-1'), path.join(dir, 'missing-2'), path.join(dir, 'missing-3')], /no readable input \(.*missing-1: no such file; .*missing-2: no such file; .*missing-3: no such file\)/],
  ['explain: a directory for a log file', ['explain', dir], /is a directory/],
  ['check: a directory for --config', ['check', '--snapshot', incident, '--config', dir], /cannot read configuration/],
  ['check: a file that is no snapshot', ['check', '--snapshot', `${incident}/snapshot.json`], /not a readable tar\.gz archive/],
  ['check: a directory for --output', ['check', '--snapshot', incident, '-o', dir], /is a directory/],
  ['scan: a directory for --inventory', ['scan', '-i', dir], /cannot read inventory/],
  ['scan: a directory for --results', ['scan', '--snapshots', 'fixtures/hosts', '--results', dir], /is a directory|cannot write results/],
  ['check: a snapshot path with a newline and escape sequences', ['check', '--snapshot', evil], /a\\nkdumpcheck: READY\\(x1b|e)\[2J\\(x1b|e)\]0;owned\\x07\\u202e: no such snapshot/],
  ['check: an ssh host with a newline', ['check', '--ssh', 'dom0\nx'], /--ssh "dom0\\nx": "dom0\\nx" is not a host name or address/],
  ['scan: an inventory host with a newline', ['scan', '--hosts', 'dom0-1,dom0\n2'], /--hosts item 2:/],
  ['collect: an output directory with a newline inside a missing parent', ['collect', '--snapshot', incident, '-o', path.join(evil, 'snap')], /a\\nkdumpcheck: READY.*cannot write \(its directory does not exist\)/],
  ['explain: a log path with a newline', ['explain', evil], /no readable input \(.*a\\nkdumpcheck: READY\\(x1b|e)\[2J/],
  ['an unknown command', ['no-such-command'], /^kdumpcheck: error: command no-such-command not found/],
  ['an unknown command with a newline', ['no\nsuch'], /^kdumpcheck: error: command no/],
]

describe('exit 2 is one line on stderr', () => {
  it.each(cases)('%s', (_label, args, message) => {
    const {status, stdout, stderr} = runCli(args)
    expect(status, stderr).toBe(2)
    expect(stdout).toBe('')
    expect(stderr.endsWith('\n')).toBe(true)
    const lines = stderr.slice(0, -1).split('\n')
    expect(lines, stderr).toHaveLength(1)
    expect(lines[0]).toMatch(/^kdumpcheck: error: /)
    expect(lines[0]).toMatch(message)
    // No raw control character (ESC, BEL, CR) or bidi override reaches the terminal.
    expect(lines[0]).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/)
    expect(stderr).not.toMatch(/\n\s+at /)
  })
})
