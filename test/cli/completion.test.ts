/**
 * `kdumpcheck completion bash|zsh`: the scripts, run by the real shells. bash calls the completion function as
 * readline would (COMP_WORDS split as bash splits them, `=` included); zsh runs in a pseudo-terminal with
 * compinit and completes by its own key binding (test/helpers/zsh-complete.zsh), both installed from $fpath and
 * sourced. The expected candidates come from the command metadata (oclif.manifest.json), so a flag that does not
 * complete fails here.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {ALL_CHECKS} from '../../src/checks/index.js'
import {repoRoot, runCli} from '../helpers/cli.js'

interface ManifestFlag {
  name: string
  char?: string
  type: string
  hidden?: boolean
  options?: string[]
}
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'oclif.manifest.json'), 'utf8')) as {
  commands: Record<string, {flags: Record<string, ManifestFlag>; hidden?: boolean}>
}
const commandIds = Object.keys(manifest.commands).filter((id) => !manifest.commands[id]!.hidden)
const flagsOf = (id: string) => Object.values(manifest.commands[id]!.flags).filter((f) => !f.hidden)
const ruleIds = ALL_CHECKS.map((c) => c.meta.id)

const dir = mkdtempSync(path.join(tmpdir(), 'kdc-completion-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

function script(shell: string): string {
  const result = runCli(['completion', shell])
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  const file = path.join(dir, `kdumpcheck.${shell}`)
  writeFileSync(file, result.stdout)
  return file
}

const sq = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

const bashCompletionLib = ['/usr/share/bash-completion/bash_completion'].find((p) => existsSync(p))

/**
 * Completes `words` (the last one is being typed) in bash with the script sourced (after the bash-completion
 * library, as most users have it, when `withLibrary`); returns COMPREPLY.
 */
function bashComplete(file: string, words: string[], withLibrary = false): string[] {
  const line = words.join(' ')
  const code = [
    ...(withLibrary ? [`source ${sq(bashCompletionLib!)}`] : []),
    `source ${sq(file)}`,
    // The registration a user's shell would see.
    `[[ $(complete -p kdumpcheck) == "complete -F _kdumpcheck kdumpcheck" ]] || { echo "not registered" >&2; exit 9; }`,
    `COMP_WORDS=(${words.map(sq).join(' ')}); COMP_CWORD=${words.length - 1}; COMP_LINE=${sq(line)}; COMP_POINT=${line.length}`,
    '_kdumpcheck kdumpcheck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n')
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', code], {cwd: repoRoot, encoding: 'utf8', timeout: 30_000})
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  return result.stdout.split('\n').filter(Boolean).sort()
}

describe('bash completion', () => {
  const file = script('bash')

  it('is a valid bash script', () => {
    expect(spawnSync('bash', ['-n', file]).status).toBe(0)
  })

  it('completes `kdumpcheck ch` to check, and offers every command', () => {
    expect(bashComplete(file, ['kdumpcheck', 'ch'])).toEqual(['check'])
    expect(bashComplete(file, ['kdumpcheck', ''])).toEqual([...commandIds, '--help', '--version'].sort())
  })

  it.each(commandIds)('offers every visible flag of %s, and no hidden one', (id) => {
    const offered = bashComplete(file, ['kdumpcheck', id, '--'])
    expect(offered).toEqual([...flagsOf(id).map((f) => `--${f.name}`), '--help'].sort())
  })

  it('completes flag values from the metadata: --format, --format=, -f', () => {
    const formats = [...flagsOf('check').find((f) => f.name === 'format')!.options!].sort()
    expect(bashComplete(file, ['kdumpcheck', 'check', '--format', ''])).toEqual(formats)
    expect(bashComplete(file, ['kdumpcheck', 'check', '--format', '=', 'j'])).toEqual(formats.filter((f) => f.startsWith('j')))
    expect(bashComplete(file, ['kdumpcheck', 'check', '--format', '='])).toEqual(formats)
    expect(bashComplete(file, ['kdumpcheck', 'scan', '-f', 'c'])).toEqual(['csv'])
  })

  it('completes files, directories, check IDs and shells where they belong', () => {
    expect(bashComplete(file, ['kdumpcheck', 'check', '--snapshot', 'fixtures/hosts/incident'])).toEqual(['fixtures/hosts/incident-el5xen', 'fixtures/hosts/incident-el5xen.expect.yaml'])
    expect(bashComplete(file, ['kdumpcheck', 'explain', 'fixtures/lab-logs/A/se'])).toEqual(['fixtures/lab-logs/A/serial.log'])
    expect(bashComplete(file, ['kdumpcheck', 'explain', '--snapshot', 'x', 'fixtures/lab-logs/A/se'])).toEqual(['fixtures/lab-logs/A/serial.log'])
    expect(bashComplete(file, ['kdumpcheck', 'scan', '--snapshots', 'README'])).toEqual([])
    expect(bashComplete(file, ['kdumpcheck', 'rules', 'KD'])).toEqual([...ruleIds].sort())
    expect(bashComplete(file, ['kdumpcheck', 'rules', '-f', 'json', 'KD10'])).toEqual(ruleIds.filter((r) => r.startsWith('KD10')).sort())
    expect(bashComplete(file, ['kdumpcheck', 'rules', 'KD101', 'KD'])).toEqual([])
    expect(bashComplete(file, ['kdumpcheck', 'completion', ''])).toEqual(['bash', 'zsh'])
  })

  it('completes the host of --ssh, keeping user@', () => {
    expect(bashComplete(file, ['kdumpcheck', 'check', '--ssh', 'root@localh'])).toContain('root@localhost')
  })

  // .ci/run installs bash-completion; its host list (ssh config, known_hosts) replaces compgen's when it is loaded.
  it.runIf(bashCompletionLib !== undefined)('works the same with the bash-completion library loaded first', () => {
    expect(bashComplete(file, ['kdumpcheck', 'ch'], true)).toEqual(['check'])
    expect(bashComplete(file, ['kdumpcheck', 'check', '--ssh', 'root@localh'], true)).toContain('root@localhost')
    expect(bashComplete(file, ['kdumpcheck', 'check', '--ssh', 'localh'], true)).toContain('localhost')
    expect(bashComplete(file, ['kdumpcheck', 'check', '--snapshot', 'fixtures/hosts/incident'], true)).toEqual([
      'fixtures/hosts/incident-el5xen',
      'fixtures/hosts/incident-el5xen.expect.yaml',
    ])
    expect(bashComplete(file, ['kdumpcheck', 'rules', 'KD10'], true)).toEqual(ruleIds.filter((r) => r.startsWith('KD10')).sort())
  })
})

const zsh = ['/usr/bin/zsh', '/bin/zsh'].find((p) => existsSync(p))

function zshComplete(mode: 'fpath' | 'source', file: string, lines: string[]): Record<string, string[]> {
  const result = spawnSync(zsh!, ['-f', path.join(repoRoot, 'test/helpers/zsh-complete.zsh'), mode, file, ...lines], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
  })
  expect(result.stderr).toBe('')
  expect(result.status).toBe(0)
  const out: Record<string, string[]> = {}
  let current = ''
  for (const l of result.stdout.split('\n')) {
    if (l.startsWith('== ')) out[(current = l.slice(3))] = []
    else if (l) out[current]!.push(l)
  }
  return out
}

// .ci/run installs zsh; elsewhere these are skipped when it is missing.
describe.skipIf(zsh === undefined)('zsh completion', () => {
  const file = script('zsh')
  const lines = [
    'kdumpcheck ch',
    'kdumpcheck check --',
    'kdumpcheck check --format ',
    'kdumpcheck check --format=j',
    'kdumpcheck rules KD10',
    'kdumpcheck explain fixtures/lab-logs/A/se',
    'kdumpcheck trigger --tr',
  ]
  const expected = {
    'kdumpcheck ch': ['check'],
    'kdumpcheck check --': [...flagsOf('check').map((f) => `--${f.name}`), '--help'].sort(),
    'kdumpcheck check --format ': [...flagsOf('check').find((f) => f.name === 'format')!.options!].sort(),
    'kdumpcheck check --format=j': ['json', 'junit'],
    'kdumpcheck rules KD10': ruleIds.filter((r) => r.startsWith('KD10')).sort(),
    'kdumpcheck explain fixtures/lab-logs/A/se': ['serial.log'],
    // trigger's --trigger-file is hidden.
    'kdumpcheck trigger --tr': [],
  }

  it('is a valid zsh script', () => {
    expect(spawnSync(zsh!, ['-n', file]).status).toBe(0)
  })

  it.each(['fpath', 'source'] as const)('completes commands, flags, values, check IDs and files (installed by %s)', (mode) => {
    expect(zshComplete(mode, file, lines)).toEqual(expected)
  })
})

describe('kdumpcheck completion', () => {
  it('refuses another shell with exit 2 and one line', () => {
    const result = runCli(['completion', 'fish'])
    expect(result.status).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })
})
