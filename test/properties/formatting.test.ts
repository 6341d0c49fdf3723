/**
 * Issue 11 property "formatting never matters": CRLF line ends, trailing blanks, extra comments and blank lines, and
 * reordered independent files keep the verdict and every check's status. Each change is applied to one whole fixture
 * at a time:
 *   crlf              every file's line ends become CRLF
 *   crlf-probes       every probe's output too (a paste from a Windows machine)
 *   trailing-blanks   two blanks at the end of every line of every file
 *   trailing-probes   the same on every probe's output
 *   comments          configuration files that take `#` comments get a comment and a blank line at the top and a
 *                     blank line after every line (never after a line continued with `\`, which would change it)
 *   reorder           files and probes handed over in reverse order (paths and names unchanged)
 */
import {describe, expect, it} from 'vitest'
import type {ProbeResult, Snapshot, SnapshotFile} from '../../src/snapshot/snapshot.js'
import {filesOf, fixtureNames, fixtures, judge, knownKeys, loadKnownViolations, probesOf, rebuild, statusesOf} from './support.js'

/** Files whose formats take `#` comments and blank lines anywhere. */
const COMMENTABLE = [
  /^\/etc\/kdump\.conf$/,
  /^\/etc\/sysconfig\/kdump$/,
  /^\/etc\/default\/[^/]+$/,
  /^\/etc\/default\/grub\.d\/[^/]+\.cfg$/,
  /^\/etc\/sysctl\.conf$/,
  /^\/(etc|usr\/lib)\/sysctl\.d\/[^/]+\.conf$/,
  /^\/etc\/fstab$/,
  /^\/etc\/os-release$/,
  /^\/boot\/(grub|grub2)\/(grub\.cfg|grub\.conf|menu\.lst)$/,
  /^\/boot\/efi\/EFI\/[^/]+\/grub\.cfg$/,
  /^\/boot\/extlinux\.conf$/,
  /^\/boot\/loader\/entries\/[^/]+\.conf$/,
  /^\/usr\/lib\/systemd\/system-preset\/[^/]+\.preset$/,
]

const crlf = (t: string): string => t.replace(/\r?\n/g, '\r\n')
const trailing = (t: string): string => t.replace(/\n/g, '  \n')
function commented(t: string): string {
  const lines = t.split('\n')
  const out = ['# kdumpcheck property test: an extra comment', '']
  lines.forEach((line, i) => {
    out.push(line)
    if (i < lines.length - 1 && !/\\\s*$/.test(line)) out.push('')
  })
  return out.join('\n')
}

type Change = (s: Snapshot) => Snapshot
const mapFiles = (s: Snapshot, fn: (f: SnapshotFile) => string): Snapshot =>
  rebuild(s, filesOf(s).map((f) => ({...f, text: fn(f)})), probesOf(s))
const mapProbes = (s: Snapshot, fn: (p: ProbeResult) => string): Snapshot =>
  rebuild(s, filesOf(s), probesOf(s).map((p) => ({...p, out: fn(p)})))

export const CHANGES: Record<string, Change> = {
  crlf: (s) => mapFiles(s, (f) => crlf(f.text)),
  'crlf-probes': (s) => mapProbes(s, (p) => crlf(p.out)),
  'trailing-blanks': (s) => mapFiles(s, (f) => trailing(f.text)),
  'trailing-probes': (s) => mapProbes(s, (p) => trailing(p.out)),
  comments: (s) => mapFiles(s, (f) => (COMMENTABLE.some((re) => re.test(f.path)) ? commented(f.text) : f.text)),
  reorder: (s) => rebuild(s, filesOf(s).reverse(), probesOf(s).reverse()),
}

export function formattingViolations(s: Snapshot): string[] {
  const full = judge(s)
  const before = statusesOf(full)
  const out: string[] = []
  for (const [name, change] of Object.entries(CHANGES)) {
    const r = judge(change(s))
    if (r.verdict !== full.verdict) out.push(`${name}: verdict ${full.verdict}->${r.verdict}`)
    for (const [id, status] of Object.entries(statusesOf(r))) if (status !== before[id]) out.push(`${name}: ${id} ${before[id]}->${status}`)
  }
  return out.sort()
}

const known = loadKnownViolations()

describe('property: formatting never matters (issue 11)', () => {
  it('changes what it says it changes', async () => {
    const s = (await fixtures()).find((f) => f.name === 'hosts/incident-el5xen')!.snapshot
    expect(CHANGES.crlf!(s).file('/proc/cmdline')!.text).toMatch(/\r\n$/)
    expect(CHANGES['trailing-blanks']!(s).file('/etc/kdump.conf')!.text).toMatch(/ {2}\n/)
    const c = CHANGES.comments!(s)
    expect(c.file('/etc/kdump.conf')!.text.startsWith('# kdumpcheck property test')).toBe(true)
    expect(c.file('/proc/cmdline')!.text).toBe(s.file('/proc/cmdline')!.text)
    expect(commented('a \\\nb\nc')).toBe('# kdumpcheck property test: an extra comment\n\na \\\nb\n\nc')
    expect(CHANGES.reorder!(s).filePaths).toEqual(s.filePaths)
  })
})

describe('formatting, per fixture (known violations: test/properties/known-violations.yaml)', () => {
  for (const name of fixtureNames()) {
    const expected = knownKeys(known, 'formatting', name)
    it(`${name}${expected.length ? ` (${expected.length} known)` : ''}`, async () => {
      const fixture = (await fixtures()).find((f) => f.name === name)!
      expect(formattingViolations(fixture.snapshot)).toEqual(expected)
    })
  }
})
