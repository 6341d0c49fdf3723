/**
 * `kdumpcheck fix --root` on images sized to hurt: a grub.cfg with a line of megabytes (the shell
 * lexer took it a character at a time: a 1 MiB line cost fix 45 s, a 7 MiB one minutes) and a
 * grub.cfg larger than the read cap (only its head is read: it is left to a person, in plain words,
 * never "internal error"). Bounds are generous timeouts, never timings.
 */
import {appendFileSync, cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {REPO} from './discover.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-fix-sizes-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))
let n = 0

function brokenImage(): string {
  const root = path.join(work, `img-${n++}`)
  cpSync(path.join(REPO, 'fixtures/hosts/image-debian12-xen-generated-broken/files'), root, {recursive: true})
  return root
}

describe('fix --root: huge grub.cfg', () => {
  it('a 7 MiB line in grub.cfg is planned within the bound (the lexer reads runs, not characters)', () => {
    const root = brokenImage()
    appendFileSync(path.join(root, 'boot/grub/grub.cfg'), `#${'x'.repeat(7 * 1024 * 1024)}\nset junk=${'y'.repeat(256 * 1024)}\n`)
    const r = runCli(['fix', '--root', root, '--diff'])
    expect(r.status, r.stderr).toBe(1)
    expect(r.stdout).toMatch(/^\+\+\+ b\/boot\/grub\/grub\.cfg$/m)
  }, 120_000)

  it('a grub.cfg over the read cap is left to a person in plain words, and the rest is still fixed', () => {
    const root = brokenImage()
    const cfg = path.join(root, 'boot/grub/grub.cfg')
    appendFileSync(cfg, `${'#'.repeat(1023)}\n`.repeat(9 * 1024))
    const r = runCli(['fix', '--root', root])
    expect(r.status, r.stderr).toBe(3)
    expect(r.stdout).toMatch(/\/boot\/grub\/grub\.cfg: not edited: only its head was read .*: edit it by hand/)
    expect(r.stdout).not.toMatch(/internal error/)
    expect(r.stdout).toMatch(/Judged again after the edit: .*KD502 pass/)
  }, 120_000)
})
