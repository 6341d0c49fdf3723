/**
 * The files scan reads besides snapshots, as hostile or clumsy input (issue 12, siblings of items 8
 * and 10): an inventory or a --resume results file that is a FIFO, a device that never ends, or far
 * too large ends with exit 2 and one line at once, instead of hanging or filling memory.
 */
import {execFileSync} from 'node:child_process'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {INVENTORY_MAX_BYTES, loadInventory} from '../../src/scan/inventory.js'
import {readResultsFile} from '../../src/scan/results-file.js'
import {runCli} from '../helpers/cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-scan-files-'))
const isRoot = process.getuid?.() === 0

function fifo(name: string): string {
  const file = path.join(work, name)
  execFileSync('mkfifo', [file])
  return file
}

function oneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1)
}

describe('inventory', () => {
  it('a FIFO is refused at once (it would wait for a writer forever)', async () => {
    const file = fifo('inventory.fifo')
    await expect(loadInventory(file)).rejects.toThrow(/cannot read inventory \(not a regular file\)/)
    const {status, stderr} = runCli(['scan', '-i', file])
    expect(status).toBe(2)
    oneLine(stderr)
  })

  it.runIf(isRoot)('a character device that never ends (a private /dev/zero) is refused', async () => {
    const zero = path.join(work, 'zero')
    execFileSync('mknod', [zero, 'c', '1', '5'])
    await expect(loadInventory(zero)).rejects.toThrow(/not a regular file/)
  })

  it(`a file over ${INVENTORY_MAX_BYTES / 1048576} MiB is refused without being read`, async () => {
    const huge = path.join(work, 'huge.ini')
    writeFileSync(huge, '[all]\nhost1\n')
    execFileSync('truncate', ['-s', String(INVENTORY_MAX_BYTES + 1), huge])
    await expect(loadInventory(huge)).rejects.toThrow(/inventory larger than 64 MiB, not read/)
  })
})

describe('results file read by --resume', () => {
  it('a FIFO is refused at once', async () => {
    const file = fifo('results.fifo')
    await expect(readResultsFile(file)).rejects.toThrow(/cannot read results \(not a regular file\)/)
    const inventory = path.join(work, 'inv.ini')
    writeFileSync(inventory, '[all]\nhost1\n')
    const {status, stderr} = runCli(['scan', '-i', inventory, '--resume', '-r', file])
    expect(status).toBe(2)
    oneLine(stderr)
  })

  it('an absent file is still an empty start', async () => {
    expect((await readResultsFile(path.join(work, 'none.jsonl'))).results.size).toBe(0)
  })
})
