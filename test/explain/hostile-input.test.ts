/**
 * explain's input as an attacker would shape it (issue 12, items 8 and 12): a gzip bomb, a device
 * that never ends, and terminal control sequences (OSC, DCS, CSI, C1) in a console capture.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {gzipSync} from 'node:zlib'
import {describe, expect, it} from 'vitest'
import {GZIP_FLOOR, readInput} from '../../src/explain/input.js'
import {runCli} from '../helpers/cli.js'

const dir = mkdtempSync(path.join(tmpdir(), 'kdc-explain-hostile-'))

async function collect(p: string) {
  const lines: string[] = []
  const outcome = await readInput(p, {line: (t) => lines.push(t), unreadable: () => undefined})
  return {lines, outcome}
}

describe('explain stops a decompression bomb', () => {
  it(`gzip that expands past ${GZIP_FLOOR / 1048576} MiB more than 200-fold is stopped with a clear message`, async () => {
    const bomb = path.join(dir, 'bomb.log.gz')
    // 1 GiB of one repeated log line in about 1 MB: one gzip member of 1 MiB, concatenated 1024 times
    // (gzip reads consecutive members as one stream).
    const member = gzipSync(Buffer.from('kernel: ok\n'.repeat(95_326)), {level: 9})
    writeFileSync(bomb, Buffer.concat(Array(1024).fill(member)))
    let lines = 0
    const outcome = await readInput(bomb, {line: () => lines++, unreadable: () => undefined})
    expect(lines).toBeGreaterThan(0)
    expect(outcome.error).toMatch(/gzip data expands more than 200-fold past 256 MiB \(a decompression bomb, not a log\): stopped after line \d+/)
    // Stopped once past both bounds: this bomb is 500-fold, so well before its 1 GiB.
    expect(outcome.bytes).toBeLessThan(600 * 1048576)
  })
})

describe('explain refuses devices', () => {
  it.runIf(process.getuid?.() === 0)('a character device (a private /dev/zero) is not a log: skipped with a reason, exit 2 when it is the only input', async () => {
    const zero = path.join(dir, 'zero')
    execFileSync('mknod', [zero, 'c', '1', '5'])
    const {outcome} = await collect(zero)
    expect(outcome.error).toBe('is a device, not a log file')
    const {status, stderr} = runCli(['explain', zero])
    expect(status).toBe(2)
    expect(stderr).toMatch(/is a device, not a log file/)
  })
})

describe('explain removes terminal control sequences from the lines it shows', () => {
  const hostile = [
    '[    1.000000] Kernel panic - not syncing: \u001b]0;owned title\u0007Fatal exception',
    '[    1.000001] \u001b]8;;http://evil.example/\u001b\\link\u001b]8;;\u001b\\ shown',
    '[    1.000002] \u001bP1$r0m\u001b\\DCS gone',
    '[    1.000003] \u001b[2J\u001b[Hscreen kept',
    '[    1.000004] C1 \u009b2J and \u009d0;t\u009c gone',
    '[    1.000005] a lone \u001b escape, a bell \u0007 and a backspace \u0008 gone',
    '[    1.000006] unterminated \u001b]0;title to the end of the line',
  ]

  it('OSC, DCS, CSI and their C1 forms are stripped, with what is left of the text kept', async () => {
    const file = path.join(dir, 'console.log')
    writeFileSync(file, `${hostile.join('\n')}\n`)
    const {lines} = await collect(file)
    for (const line of lines) expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    expect(lines[0]).toBe('[    1.000000] Kernel panic - not syncing: Fatal exception')
    expect(lines[1]).toBe('[    1.000001] link shown')
    expect(lines[2]).toBe('[    1.000002] DCS gone')
    expect(lines[3]).toBe('[    1.000003] screen kept')
    expect(lines[4]).toBe('[    1.000004] C1  and  gone')
    expect(lines[6]).toBe('[    1.000006] unterminated ')
  })

  it('no escape reaches the terminal from explain, in any format', () => {
    const file = path.join(dir, 'console2.log')
    writeFileSync(file, `${hostile.join('\n')}\n`)
    for (const format of ['text', 'markdown', 'json']) {
      const {stdout} = runCli(['explain', file, '--format', format])
      expect(stdout, format).not.toMatch(/[\u0007\u001b\u009b\u009d\u0090]/)
    }
  })
})
