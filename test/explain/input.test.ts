/** Inputs as users have them: gzip'd, piped, binary, missing, huge lines, endless repetition. */
import {randomBytes} from 'node:crypto'
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {PassThrough} from 'node:stream'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {explainInputs, nothingReadable} from '../../src/explain/explain.js'
import {isUnreadable, MAX_LINE, readInput} from '../../src/explain/input.js'

const dir = mkdtempSync(path.join(tmpdir(), 'kdumpcheck-explain-input-'))
const labB = path.resolve(import.meta.dirname, '../../fixtures/lab-logs/B/serial.log')

async function collect(p: string, stdin?: NodeJS.ReadableStream) {
  const lines: string[] = []
  const cut: number[] = []
  const unreadable: number[] = []
  const outcome = await readInput(p, {line: (t, n, c) => (lines.push(t), c && cut.push(n)), unreadable: (n) => unreadable.push(n)}, stdin)
  return {lines, cut, unreadable, outcome}
}

describe('readInput', () => {
  it('reads gzip transparently, by magic bytes and not by name', async () => {
    const gz = path.join(dir, 'serial-log-without-extension')
    writeFileSync(gz, gzipSync(readFileSync(labB)))
    const {lines, outcome} = await collect(gz)
    expect(outcome).toMatchObject({gzip: true})
    expect(outcome.error).toBeUndefined()
    expect(lines).toHaveLength(readFileSync(labB, 'utf8').split('\n').length - 1)
    expect(lines[653]).toBe('(XEN) Hardware Dom0 crashed: Executing kexec image on cpu0')
  })

  it('reports a truncated gzip stream and keeps the lines before the damage', async () => {
    const gz = gzipSync(readFileSync(labB))
    const p = path.join(dir, 'cut.gz')
    writeFileSync(p, gz.subarray(0, Math.floor(gz.length / 2)))
    const {lines, outcome} = await collect(p)
    expect(outcome.error).toMatch(/gzip data is corrupt or truncated/)
    expect(lines.length).toBeGreaterThan(100)
  })

  it('reads stdin for -', async () => {
    const stdin = new PassThrough()
    stdin.end('first\r\nsecond\nno newline at the end')
    const {lines} = await collect('-', stdin)
    expect(lines).toEqual(['first', 'second', 'no newline at the end'])
  })

  it('reads gzip from stdin, even when the magic bytes arrive one at a time', async () => {
    const stdin = new PassThrough()
    const gz = gzipSync('(XEN) Shot down all CPUs\n')
    stdin.write(gz.subarray(0, 1))
    setTimeout(() => stdin.end(gz.subarray(1)), 5)
    const {lines, outcome} = await collect('-', stdin)
    expect(outcome.gzip).toBe(true)
    expect(lines).toEqual(['(XEN) Shot down all CPUs'])
  })

  it('names a missing file and a directory instead of throwing', async () => {
    expect((await collect(path.join(dir, 'nope'))).outcome.error).toBe('no such file')
    expect((await collect(dir)).outcome.error).toBe('is a directory')
  })

  it('cuts a line longer than 64 KiB and counts it', async () => {
    const p = path.join(dir, 'long.log')
    writeFileSync(p, `before\n${'x'.repeat(MAX_LINE * 3)}\nafter\n`)
    const {lines, cut} = await collect(p)
    expect(lines).toEqual(['before', 'x'.repeat(MAX_LINE), 'after'])
    expect(cut).toEqual([2])
  })

  it('tells binary from text: NULs and control bytes are unreadable, Latin-1 and tabs are not', () => {
    expect(isUnreadable('abc\u0000def')).toBe(true)
    expect(isUnreadable('\u0001\u0002\u0003\u0004 binary')).toBe(true)
    expect(isUnreadable('2016-12-17 00:21:07\tSysRq : Trigger a crash')).toBe(false)
    expect(isUnreadable('M\ufffdller logged in from Z\ufffdrich office')).toBe(false)
    expect(isUnreadable('\u001b[32mgreen\u001b[0m')).toBe(false)
  })
})

describe('explainInputs on bad input', () => {
  it('random binary input: every line counted as unreadable, nothing readable, no throw', async () => {
    const p = path.join(dir, 'vmcore.bin')
    writeFileSync(p, Buffer.concat([randomBytes(200_000), Buffer.from([0, 0, 0])]))
    const r = await explainInputs([p])
    expect(r.inputs[0]!.unreadable_lines).toBeGreaterThan(0)
    expect(r.inputs[0]!.readable_lines).toBeLessThan(r.inputs[0]!.lines / 10)
    expect(r.exit_code).toBe(3)
  })

  it('an all-binary input is not readable at all (the command exits 2)', async () => {
    const p = path.join(dir, 'zeros.bin')
    writeFileSync(p, Buffer.alloc(10_000, 0))
    const r = await explainInputs([p])
    expect(nothingReadable(r)).toBe(true)
  })

  it('binary garbage inside a real log is counted and does not change the verdict', async () => {
    const lines = readFileSync(labB, 'utf8').split('\n')
    const garbage = Buffer.from([0x00, 0x01, 0x02, 0xff, 0xfe, 0x00, 0x13, 0x10, 0x00]).toString('latin1')
    lines.splice(620, 0, garbage, garbage)
    const p = path.join(dir, 'B-with-garbage.log')
    writeFileSync(p, Buffer.from(lines.join('\n'), 'latin1'))
    const r = await explainInputs([p])
    expect(r.inputs[0]!.unreadable_lines).toBe(2)
    expect(r.verdict.outcome).toBe('vmcore-written')
  })

  it('a missing file among several is reported, the rest explained', async () => {
    const r = await explainInputs([path.join(dir, 'missing.log'), labB])
    expect(r.inputs[0]).toMatchObject({error: 'no such file', lines: 0})
    expect(r.verdict.outcome).toBe('vmcore-written')
    expect(nothingReadable(r)).toBe(false)
  })

  it('keeps memory bounded on endless repetition: first and last events kept, the rest counted', async () => {
    const p = path.join(dir, 'hung.log')
    const lines: string[] = []
    for (let i = 0; i < 5000; i += 1) lines.push(`Jan  1 00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} h kernel: INFO: task virsh:${i} blocked for more than 120 seconds.`)
    lines.push('Jan  1 01:30:00 h kernel: Kernel panic - not syncing: hung_task: blocked tasks')
    writeFileSync(p, `${lines.join('\n')}\n`)
    const r = await explainInputs([p])
    expect(r.limits.events_dropped).toBe(4600)
    expect(r.limits.events_dropped_by_kind).toEqual({'hung-task': 4600})
    expect(r.timeline.filter((t) => t.kind === 'hung-task')).toHaveLength(400)
    expect(r.timeline.at(-1)?.kind).toBe('panic')
  })
})
