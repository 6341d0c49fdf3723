/**
 * The package as users install it: `npm pack`, then `npm install -g` of the tarball into a private
 * prefix, then every command from the installed binary (not the work tree). Slow (it installs the
 * dependencies from the registry), so it runs once per suite.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {satisfies} from 'semver'
import {beforeAll, describe, expect, it} from 'vitest'
import {repoRoot} from './helpers/cli.js'

let bin: string
let prefix: string
let installLog: string

function installed(args: string[]) {
  const result = spawnSync(bin, args, {encoding: 'utf8', cwd: tmpdir(), env: {...process.env, NO_COLOR: '1'}, timeout: 60_000})
  return {status: result.status, stdout: result.stdout, stderr: result.stderr}
}

beforeAll(() => {
  const out = mkdtempSync(path.join(tmpdir(), 'kdc-pack-'))
  const pack = spawnSync('npm', ['pack', '--pack-destination', out, '--ignore-scripts'], {cwd: repoRoot, encoding: 'utf8'})
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`)
  const tarball = path.join(out, readdirSync(out).find((n) => n.endsWith('.tgz'))!)
  prefix = mkdtempSync(path.join(tmpdir(), 'kdc-prefix-'))
  const install = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', tarball], {encoding: 'utf8', timeout: 300_000})
  if (install.status !== 0) throw new Error(`npm install -g failed: ${install.stderr}`)
  installLog = `${install.stdout}${install.stderr}`
  bin = path.join(prefix, 'bin', 'kdumpcheck')
}, 360_000)

describe('the packed tarball, installed globally', () => {
  it('ships the collector, the rule pages and the manifest, and no sources or tests', () => {
    const pkg = path.join(prefix, 'lib', 'node_modules', 'kdumpcheck')
    const files = readdirSync(pkg)
    expect(files).toEqual(expect.arrayContaining(['bin', 'dist', 'collector', 'docs', 'man', 'oclif.manifest.json', 'package.json']))
    expect(files).not.toContain('src')
    expect(files).not.toContain('test')
    expect(readdirSync(path.join(pkg, 'collector'))).toContain('kdumpcheck-collect.sh')
    expect(readdirSync(path.join(pkg, 'docs', 'rules'))).toContain('KD101.md')
  })

  it(`installs on this Node (${process.version}) without an engines warning, and runs on it`, () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {version: string; engines: {node: string}}
    expect(satisfies(process.version, pkg.engines.node)).toBe(true)
    expect(installLog).not.toMatch(/EBADENGINE|Unsupported engine/)
    // The installed binary's shebang (`env node`) finds the same Node as npm did: the first on PATH.
    const version = installed(['--version'])
    expect(version.stdout.split('\n')[0]).toBe(`kdumpcheck/${pkg.version} ${process.platform}-${process.arch} node-${process.version}`)
    expect(version.stdout).toContain('kdumpcheck-report/1')
  })

  it('installs the man page where man finds it', () => {
    const page = path.join(prefix, 'share', 'man', 'man1', 'kdumpcheck.1')
    expect(existsSync(page)).toBe(true)
    expect(readFileSync(page, 'utf8')).toBe(readFileSync(path.join(repoRoot, 'man', 'kdumpcheck.1'), 'utf8'))
  })

  it('prints a completion script from the installed binary', () => {
    const bash = installed(['completion', 'bash'])
    expect(bash.status).toBe(0)
    expect(bash.stdout).toContain('complete -F _kdumpcheck kdumpcheck')
  })

  it('runs check, preflight, rules and explain from the installed binary', () => {
    const fixture = path.join(repoRoot, 'fixtures/hosts/incident-el5xen')
    expect(installed(['--version']).stdout).toMatch(/^kdumpcheck\/\d+\.\d+\.\d+/)
    const check = installed(['check', '--snapshot', fixture])
    expect(check.status).toBe(1)
    expect(check.stdout).toContain('First broken link: KD101')
    expect(installed(['preflight', '--snapshot', path.join(repoRoot, 'fixtures/hosts/good-pvops-debian12')]).status).toBe(0)
    expect(installed(['rules', 'KD406']).stdout).toContain('# KD406')
    const explain = installed(['explain', path.join(repoRoot, 'fixtures/lab-logs/A/serial.log')])
    expect(explain.stdout).toMatch(/noreboot/)
  })

  it.each(['check', 'preflight', 'trigger', 'collect', 'explain', 'rules', 'scan', 'completion'])('shows examples in `%s --help`', (command) => {
    const help = installed([command, '--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('EXAMPLES')
  })
})
