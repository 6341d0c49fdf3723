/**
 * man/kdumpcheck.1: generated from the command metadata (scripts/man.mjs), held equal to it, and rendered by
 * groff and man-db with every warning on. `npm run man` regenerates it after a command or flag changes.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
// @ts-expect-error: a plain .mjs script without types
import {MAN_PAGE, renderManFromRepo} from '../scripts/man.mjs'
import {repoRoot} from './helpers/cli.js'

const page = readFileSync(MAN_PAGE as string, 'utf8')
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {hidden?: boolean; flags: Record<string, {name: string; hidden?: boolean}>}>
}
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

describe('man/kdumpcheck.1', () => {
  it('is what scripts/man.mjs generates from the current metadata (run `npm run man`)', () => {
    expect(page).toBe((renderManFromRepo as () => string)())
  })

  it('is the page package.json ships', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {man: string | string[]; files: string[]}
    expect([pkg.man].flat()).toEqual(['./man/kdumpcheck.1'])
    expect(pkg.files).toContain('man')
  })

  // .ci/run installs groff-base and man-db when they are missing.
  it.skipIf(!has('groff'))('renders with groff without a warning', () => {
    const result = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', MAN_PAGE as string], {encoding: 'utf8'})
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
  })

  it.skipIf(!has('man'))('renders with man -l, showing every command and every visible flag', () => {
    const result = spawnSync('man', ['--warnings', '-l', MAN_PAGE as string], {encoding: 'utf8', env: {...process.env, MANWIDTH: '100', MANPAGER: 'cat', PAGER: 'cat'}})
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    const text = result.stdout
    expect(text).toMatch(/^KDUMPCHECK\(1\)/m)
    for (const [id, command] of Object.entries(manifest.commands)) {
      if (command.hidden) continue
      expect(text).toContain(`kdumpcheck ${id}`)
      for (const flag of Object.values(command.flags)) if (!flag.hidden) expect(text).toContain(`--${flag.name}`)
    }
    // Typed as a user would copy it: ASCII hyphen-minus, not a typographic hyphen.
    expect(text).toContain('kdumpcheck check --snapshot host.tar.gz --format json')
  })
})
