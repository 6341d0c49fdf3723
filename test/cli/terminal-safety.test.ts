/**
 * Evidence never drives the reader's terminal (issue 12, item 12): a snapshot whose hostname holds
 * `ESC ]0;...BEL` (retitle the window) and whose evidence holds `ESC [2J` (clear the screen), a
 * carriage return and a bidi override is reported with those characters escaped in the text formats
 * (check, preflight), and kept exact in JSON and YAML, escaped by their own grammar.
 */
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {escapeControls} from '../../src/util/terminal.js'
import {repoRoot, runCli} from '../helpers/cli.js'

const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/
const HOSTILE_NAME = 'dom0\u001b]0;owned\u0007\u001b[2J\rREADY\u202e'

function hostileSnapshot(): string {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-term-')), 'snap')
  cpSync(path.join(repoRoot, 'fixtures/hosts/incident-el5xen'), dir, {recursive: true})
  const metaFile = path.join(dir, 'snapshot.json')
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as Record<string, unknown>
  writeFileSync(metaFile, JSON.stringify({...meta, hostname: HOSTILE_NAME, errors: ['/etc/x\u001b[2J: could not be read: Permission denied']}))
  const cmdline = path.join(dir, 'files/proc/cmdline')
  writeFileSync(cmdline, `\u001b[2J\u001b]8;;http://evil/\u0007${readFileSync(cmdline, 'utf8')}`)
  return dir
}

describe('escapeControls', () => {
  it('writes out every control a terminal would act on, and leaves text alone', () => {
    expect(escapeControls('a\u001b]0;t\u0007b\r\n\u202e\u009bz\ttab')).toBe('a\\e]0;t\\x07b\\r\\n\\u202e\\x9bz\ttab')
    expect(escapeControls('line one\nline two', {keepNewlines: true})).toBe('line one\nline two')
    expect(escapeControls('Grüße, 日本')).toBe('Grüße, 日本')
  })
})

describe('text output escapes control characters from evidence', () => {
  const snapshot = hostileSnapshot()

  it('check: the hostname, the evidence lines and the snapshot errors are shown escaped', () => {
    const {stdout} = runCli(['check', '--snapshot', snapshot, '--verbose'])
    expect(stdout).not.toMatch(TERMINAL_CONTROL)
    expect(stdout.split('\n')[0]).toContain('dom0\\e]0;owned\\x07\\e[2J\\rREADY\\u202e')
    expect(stdout).toContain('\\e[2J\\e]8;;http://evil/\\x07')
    expect(stdout).toContain('/etc/x\\e[2J: could not be read')
  })

  it('preflight: the same', () => {
    const {stdout} = runCli(['preflight', '--snapshot', snapshot])
    expect(stdout).not.toMatch(TERMINAL_CONTROL)
    expect(stdout).toContain('dom0\\e]0;owned')
  })

  it('JSON and YAML keep the evidence exact, every control escaped by their own grammar (C1 and bidi too)', async () => {
    const json = runCli(['check', '--snapshot', snapshot, '--format', 'json']).stdout
    expect(json).not.toMatch(TERMINAL_CONTROL)
    expect((JSON.parse(json) as {host: {hostname: string}}).host.hostname).toBe(HOSTILE_NAME)
    const yamlText = runCli(['check', '--snapshot', snapshot, '--format', 'yaml']).stdout
    expect(yamlText).not.toMatch(TERMINAL_CONTROL)
    const {parse} = await import('yaml')
    expect((parse(yamlText) as {host: {hostname: string}}).host.hostname).toBe(HOSTILE_NAME)
  })
})
