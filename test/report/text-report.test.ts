/**
 * The text report (issue 16): the first screen says the answer, -v keeps everything the full report showed,
 * --details shows one finding, wrapping follows the width, colour only where asked for. Goldens at 80 and 120
 * columns (test/helpers/golden.ts: written only under UPDATE_GOLDEN=1).
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {judgeSnapshot} from '../../src/pipeline.js'
import {DEFAULT_WIDTH, terminalWidth, wantsColor, wrap} from '../../src/report/formats/layout.js'
import {renderText} from '../../src/report/formats/text.js'
import type {Report} from '../../src/report/report.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {runCli} from '../helpers/cli.js'
import {expectGolden} from '../helpers/golden.js'

const ROOT = path.resolve(import.meta.dirname, '../..')
const GOLDEN = path.join(ROOT, 'test/golden')
const INCIDENT = 'fixtures/hosts/incident-el5xen'

let incident: Report
beforeAll(async () => {
  // Relative, as a user types it (the report names its origin): vitest runs in the repository root.
  incident = judgeSnapshot(await readSnapshot(INCIDENT))
})

const evidenceLines = (text: string): Set<string> => new Set(text.split('\n').filter((l) => l.trim().startsWith('evidence: ')).map((l) => l.trim()))

describe('the default text report', () => {
  it('fits the incident host in 40 lines at 100 columns, leads with KD101 and its grub-legacy fix, repeats no line', () => {
    const text = renderText(incident, {color: false, width: 100})
    const lines = text.split('\n')
    expect(lines.length).toBeLessThanOrEqual(40)
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(100)
    const verdict = lines.findIndex((l) => l.startsWith('NOT READY'))
    expect(verdict).toBeGreaterThan(0)
    expect(verdict).toBeLessThan(6)
    expect(lines[verdict + 1]).toBe('First broken link: KD101 No crashkernel= on the running Xen command line')
    const fix = lines.slice(verdict + 1, verdict + 10).join('\n')
    expect(fix).toContain('crashkernel=256M@64M')
    expect(fix).toContain('/boot/grub/grub.conf')
    expect(fix).toContain('xm dmesg | grep Kdump')
    for (const foreign of ['GRUB_CMDLINE_XEN', 'update-grub', 'xen-cmdline', 'below=4G']) expect(text).not.toContain(foreign)
    const long = lines.filter((l) => l.trim().length >= 20)
    expect(long.filter((l, i) => long.indexOf(l) !== i)).toEqual([])
    // One line per finding that is not a pass, grouped by stage, in chain order.
    const listed = [...text.matchAll(/^ {2}(FAIL|WARN|UNKNOWN|INFO) +(KD\d{3})/gm)].map((m) => m[2])
    expect(listed).toEqual(incident.findings.filter((f) => !['pass', 'n/a'].includes(f.status)).map((f) => f.id))
    expect(text).toMatch(/^6 failed, 3 warnings, 3 unknown, 13 passed, 5 info, 7 n\/a$/m)
    expect(text).toMatch(/--details KD101/)
    expect(text).toContain('runtime snapshot fixtures/hosts/incident-el5xen')
  })

  it('matches its golden files at 80 and 120 columns', () => {
    for (const width of [80, 120]) {
      const text = renderText(incident, {color: false, width})
      for (const line of text.split('\n')) expect(line.length, line).toBeLessThanOrEqual(width)
      expectGolden(path.join(GOLDEN, `incident.${width}.txt`), text)
    }
  })

  const ADDED_SINCE_16 = [
    'evidence: commands/xm-dmesg.out:2  (XEN) grant_table.c:1408:d0 Expanding dom (18211) grant table from (4) to (5) frames.',
    'evidence: files/proc/cmdline:1  xencons=ttyS',
  ]

  it('-v shows every evidence line the full report showed before (issue 16), at any width', () => {
    const before = evidenceLines(readFileSync(path.join(GOLDEN, 'incident.before-16.txt'), 'utf8'))
    expect(before.size).toBeGreaterThan(30)
    for (const width of [80, 100, 200]) {
      const after = evidenceLines(renderText(incident, {color: false, verbose: true, width}))
      expect([...before].filter((l) => !after.has(l))).toEqual([])
      // Evidence the engine cites since (issue 11: more Xen witnesses, the console set) is new, not lost.
      expect([...after].filter((l) => !before.has(l)).sort()).toEqual(ADDED_SINCE_16)
    }
  })

  it('-v shows every piece of evidence of every finding, on every host fixture', async () => {
    const root = path.join(ROOT, 'fixtures/hosts')
    for (const name of readdirSync(root).filter((n) => statSync(path.join(root, n)).isDirectory())) {
      const report = judgeSnapshot(await readSnapshot(path.join(root, name)))
      const shown = evidenceLines(renderText(report, {color: false, verbose: true, width: 80}))
      for (const f of report.findings) {
        for (const e of f.evidence) {
          const line = `evidence: ${e.line ? `${e.source}:${e.line}` : e.source}${e.text !== undefined ? `  ${e.text}` : ''}`.trim()
          if (!/[\u0000-\u001f\u007f-\u009f]/.test(line.replace(/\t/g, ''))) expect(shown.has(line), `${name} ${f.id} ${line}`).toBe(true)
        }
      }
    }
  })

  it('--details shows one finding in full: message, evidence, fix and why', () => {
    const text = renderText(incident, {color: false, details: 'kd301', width: 100})
    expect(text).toContain('FAIL    KD301 The kdump service is not running')
    expect(text).toContain('evidence: commands/service-kdump-status.out:1  Kdump is not operational')
    expect(text.replace(/\s+/g, ' ')).toContain('chkconfig kdump on && service kdump start')
    expect(text).toContain('Why it matters')
    expect(text).not.toContain('KD300')
    expect(() => renderText(incident, {color: false, details: 'KD999'})).toThrow(/--details: no check "KD999"/)
  })

  it('a READY host says so and lists nothing it does not have to', async () => {
    const report = judgeSnapshot(await readSnapshot(path.join(ROOT, 'fixtures/hosts/baremetal-good-rhel9')))
    const text = renderText(report, {color: false, width: 80})
    expect(text).toMatch(/^READY: a crash now will leave a vmcore\.$/m)
    expect(text).not.toMatch(/First broken link/)
    expect(text).not.toMatch(/^ {2}PASS/m)
    expect(text.split('\n').length).toBeLessThan(25)
  })
})

describe('layout', () => {
  it('wraps prose at the width, keeps long words whole, hangs bullets and joins hard-wrapped continuations', () => {
    expect(wrap('aaa bbb ccc ddd', 8)).toEqual(['aaa bbb', 'ccc ddd'])
    expect(wrap('x /a/very/long/path/that/does/not/fit y', 10)).toEqual(['x', '/a/very/long/path/that/does/not/fit', 'y'])
    expect(wrap('- one two three four', 12, 2)).toEqual(['  - one two', '    three', '    four'])
    expect(wrap('- one two\n  three four', 40)).toEqual(['- one two three four'])
    expect(wrap('a\n\nb', 40)).toEqual(['a', '', 'b'])
  })

  it('takes the width from COLUMNS, then the terminal, else 80, within bounds', () => {
    expect(terminalWidth({isTTY: true, columns: 132}, {COLUMNS: '100'})).toBe(100)
    expect(terminalWidth({isTTY: true, columns: 132}, {})).toBe(132)
    expect(terminalWidth({isTTY: false, columns: 132}, {})).toBe(DEFAULT_WIDTH)
    expect(terminalWidth(undefined, {COLUMNS: 'wide'})).toBe(DEFAULT_WIDTH)
    expect(terminalWidth(undefined, {COLUMNS: '0'})).toBe(DEFAULT_WIDTH)
    expect(terminalWidth(undefined, {COLUMNS: '5'})).toBe(40)
    expect(terminalWidth(undefined, {COLUMNS: '99999'})).toBe(400)
  })

  it('colours only a terminal, never a file, honouring NO_COLOR and FORCE_COLOR', () => {
    const tty = {isTTY: true}
    const pipe = {isTTY: false}
    expect(wantsColor(tty, false, {})).toBe(true)
    expect(wantsColor(pipe, false, {})).toBe(false)
    expect(wantsColor(tty, true, {FORCE_COLOR: '1'})).toBe(false)
    expect(wantsColor(tty, false, {NO_COLOR: '1'})).toBe(false)
    expect(wantsColor(tty, false, {NO_COLOR: ''})).toBe(true)
    expect(wantsColor(pipe, false, {FORCE_COLOR: '1'})).toBe(true)
    expect(wantsColor(pipe, false, {FORCE_COLOR: ''})).toBe(false)
    expect(wantsColor(tty, false, {FORCE_COLOR: '0'})).toBe(false)
    expect(wantsColor(tty, false, {FORCE_COLOR: 'false'})).toBe(false)
    expect(wantsColor(pipe, false, {FORCE_COLOR: '1', NO_COLOR: '1'})).toBe(false)
  })
})

describe('kdumpcheck check, text (the built binary)', () => {
  it('wraps to COLUMNS, colours under FORCE_COLOR only, and --details a finding', () => {
    const at = (columns: string, env: Record<string, string> = {}) => runCli(['check', '--snapshot', INCIDENT], {env: {COLUMNS: columns, ...env}})
    const narrow = at('80')
    expect(narrow.status).toBe(1)
    expect(Math.max(...narrow.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80)
    expect(narrow.stdout).not.toContain('\u001b[')
    expect(at('100').stdout.split('\n').length).toBeLessThanOrEqual(41)
    expect(at('100', {NO_COLOR: '', FORCE_COLOR: '1'}).stdout).toContain('\u001b[1m')
    const details = runCli(['check', '--snapshot', INCIDENT, '--details', 'KD301'])
    expect(details.status).toBe(1)
    expect(details.stdout).toContain('KD301 The kdump service is not running')
    const bad = runCli(['check', '--snapshot', INCIDENT, '--details', 'KD999'])
    expect(bad.status).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    const json = runCli(['check', '--snapshot', INCIDENT, '--details', 'KD301', '--format', 'json'])
    expect(json.status).toBe(2)
  })
})
