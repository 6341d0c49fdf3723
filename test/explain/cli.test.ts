/** `kdumpcheck explain` as a user runs it: the BUILT binary (`npm run build` first), its output and exit codes. */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')
const tmp = mkdtempSync(path.join(tmpdir(), 'kdumpcheck-explain-cli-'))
const incident = readdirSync(path.join(root, 'fixtures/incident')).sort().map((f) => `fixtures/incident/${f}`)
const lab = (s: string) => `fixtures/lab-logs/${s}/serial.log`

function explain(args: string[], input?: string | Buffer) {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/run.js'), 'explain', ...args], {cwd: root, input: input ?? '', env: {...process.env, NO_COLOR: '1'}, timeout: 60_000})
  return {status: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8')}
}

describe('kdumpcheck explain (the built binary)', () => {
  it('tells the incident story from fixtures/incident/* and exits 1', () => {
    const {status, stdout, stderr} = explain(incident)
    expect(stderr).toBe('')
    expect(status).toBe(1)
    expect(stdout).toMatch(/^VERDICT: No vmcore: no capture kernel ran, because none was loaded; the host halted\./)
    for (const expected of [
      '2016-12-16 22:26:02*  Oops #1 in fsnotify_create_event (comm tdc_admin, pid 17118; tainted P W)',
      '25 processes in uninterruptible sleep (D)',
      'kernel stack of pid 28829: synchronize_srcu < fsnotify_put_group',
      "operator sent sysrq 'c' through /proc/sysrq-trigger",
      '2016-12-17 00:21:08  Kernel panic: Fatal exception (comm tee, pid 25052)',
      "(XEN) Domain 0 crashed: 'noreboot' set - not rebooting.",
      'core_pattern was irrelevant: it only governs user-space core dumps',
      'Xen version        <= 4.5',
      'would have been caught by: KD202',
    ]) {
      expect(stdout).toContain(expected)
    }
  })

  it.each([
    ['A', 1, 'No vmcore: no capture kernel ran, because none was loaded; the host halted.'],
    ['A0', 1, 'No vmcore: no capture kernel ran, because none was loaded; the host rebooted.'],
    ['B', 0, 'A vmcore was written: the capture kernel ran and saved the dump; the host rebooted.'],
    ['B-kdt', 1, 'The capture kernel ran, but the dump it left is empty; the host rebooted.'],
    ['C', 1, 'No vmcore: no capture kernel ran, because none was loaded; the host halted.'],
  ])('lab scenario %s exits %i: %s', (scenario, code, headline) => {
    const {status, stdout} = explain([lab(scenario)])
    expect(status).toBe(code)
    expect(stdout.split('\n')[0]).toBe(`VERDICT: ${headline}`)
  })

  it('prints the same versioned JSON document for --json and --format json', () => {
    const a = explain([lab('B-kdt'), '--json'])
    const b = explain([lab('B-kdt'), '--format', 'json'])
    expect(a.status).toBe(1)
    expect(b.status).toBe(1)
    const doc = JSON.parse(a.stdout)
    expect(JSON.parse(b.stdout)).toEqual(doc)
    expect(doc).toMatchObject({schema: 'kdumpcheck-explain/1', exit_code: 1, verdict: {outcome: 'dump-empty', vmcore: 'empty'}})
    expect(doc.causes[0]).toMatchObject({id: 'collector-needs-vmcoreinfo', role: 'root', checks: ['KD406']})
  })

  it('writes Markdown to --output atomically, leaving stdout empty', () => {
    const out = path.join(tmp, 'postmortem.md')
    const {status, stdout} = explain([...incident, '--format', 'markdown', '--output', out])
    expect(status).toBe(1)
    expect(stdout).toBe('')
    const md = readFileSync(out, 'utf8')
    expect(md).toContain('## Crash dump: no capture kernel loaded')
    expect(md).toContain('| Xen version | <= 4.5')
  })

  it('reads standard input for -', () => {
    const {status, stdout} = explain(['-'], readFileSync(path.join(root, lab('C'))))
    expect(status).toBe(1)
    expect(stdout).toContain('the crash          <stdin>:647')
  })

  it('reads gzip transparently', () => {
    const gz = path.join(tmp, 'serial.log.gz')
    writeFileSync(gz, gzipSync(readFileSync(path.join(root, lab('B')))))
    const {status, stdout} = explain([gz, '--json'])
    expect(status).toBe(0)
    const doc = JSON.parse(stdout)
    expect(doc.inputs[0]).toMatchObject({gzip: true, unreadable_lines: 0})
    expect(doc.verdict.outcome).toBe('vmcore-written')
  })

  it('reports a missing file among several on stderr and explains the rest', () => {
    const {status, stdout, stderr} = explain(['fixtures/incident/no-such.log', lab('A')])
    expect(status).toBe(1)
    expect(stderr).toBe('kdumpcheck: warning: fixtures/incident/no-such.log: no such file\n')
    expect(stdout).toContain('no-such.log: 0 lines (nothing recognisable), 0 events; ERROR: no such file')
  })

  it('exits 2 with one line when nothing is readable: missing, binary, empty', () => {
    const binary = path.join(tmp, 'core.bin')
    writeFileSync(binary, Buffer.alloc(4096, 0))
    const missing = explain(['nope.log'])
    expect(missing.status).toBe(2)
    expect(missing.stderr.trim().split('\n').at(-1)).toBe('kdumpcheck: error: no readable input (nope.log: no such file)')
    const bin = explain([binary])
    expect(bin.status).toBe(2)
    expect(bin.stderr).toMatch(/no readable input \(.*core\.bin: 1 unreadable lines\)/)
    expect(bin.stderr).not.toMatch(/\n\s+at /)
    expect(explain(['-'], '').status).toBe(2)
  })

  it('counts unreadable lines in a mostly-binary input and still answers', () => {
    const mixed = path.join(tmp, 'mixed.log')
    writeFileSync(mixed, Buffer.concat([Buffer.from('[ 5.0] Kernel panic - not syncing: Fatal exception\n'), Buffer.from([0, 1, 2, 3, 10, 0, 0, 10]), Buffer.from("(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting.\n")]))
    const {status, stdout} = explain([mixed])
    expect(status).toBe(1)
    expect(stdout).toContain('2 unreadable lines')
  })

  it('exits 3 when the logs cannot tell', () => {
    const p = path.join(tmp, 'panic-only.log')
    writeFileSync(p, '[ 5.0] Kernel panic - not syncing: Fatal exception\n')
    const {status, stdout} = explain([p])
    expect(status).toBe(3)
    expect(stdout).toContain('VERDICT: Cannot tell from these logs whether a vmcore was written.')
  })

  it('is a usage error without files, and documents its exit codes in --help', () => {
    expect(explain([]).status).toBe(2)
    const help = spawnSync(process.execPath, [path.join(root, 'bin/run.js'), 'explain', '--help'], {cwd: root, encoding: 'utf8'})
    const text = help.stdout.replace(/\s+/g, ' ')
    expect(text).toContain('Exit codes: 0 a vmcore was written; 1 no vmcore')
    expect(text).toContain('3 cannot tell from these logs; 2 usage error or no readable input')
    expect(text).toContain('--format=<option>')
  })
})
