/**
 * The layers hold (docs/architecture.md): `npm run depcheck` (the first step of `npm test`) runs
 * dependency-cruiser with .dependency-cruiser.cjs over src/ and fails on any violation. Here the same rules
 * run over a small tree of deliberate violations, each of which must be caught: a rule that catches nothing
 * would pass anything.
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

const ROOT = path.resolve(import.meta.dirname, '..')
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs')
const CRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs')

interface Violation {
  rule: {name: string}
  from: string
  to: string
}

function cruise(cwd: string): Violation[] {
  const run = spawnSync(process.execPath, [CRUISE, 'src', '--config', CONFIG, '--output-type', 'json'], {cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`)
  const result = JSON.parse(run.stdout) as {summary: {violations: Violation[]; totalCruised: number}}
  expect(result.summary.totalCruised).toBeGreaterThan(0)
  return result.summary.violations
}

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, {recursive: true, force: true})
})

/** A tree of modules: path under src/ → its imports (`type:` marks an import type). */
function tree(modules: Record<string, string[]>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kdc-arch-'))
  dirs.push(dir)
  copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'))
  for (const [file, imports] of Object.entries(modules)) {
    const full = path.join(dir, 'src', file)
    mkdirSync(path.dirname(full), {recursive: true})
    const lines = imports.map((spec, i) => {
      const typeOnly = spec.startsWith('type:')
      const target = typeOnly ? spec.slice(5) : spec
      let rel = path.relative(path.dirname(file), target).replace(/\.ts$/, '.js')
      if (!rel.startsWith('.')) rel = `./${rel}`
      return typeOnly ? `import type * as t${i} from '${rel}'\nexport type T${i} = t${i}.T` : `import * as m${i} from '${rel}'\nexport const v${i} = m${i}.v`
    })
    writeFileSync(full, `${lines.join('\n')}\nexport const v = 1\nexport type T = number\n`)
  }
  return dir
}

describe('dependency rules', () => {
  it('catches every kind of back door, type-only imports included', () => {
    const dir = tree({
      'errors.ts': [],
      'severity.ts': [],
      'snapshot/snapshot.ts': ['severity.ts'],
      'snapshot/evidence.ts': [],
      'checks/types.ts': ['type:facts/facts.ts', 'snapshot/evidence.ts'],
      'facts/facts.ts': ['type:checks/types.ts'],
      'config/config.ts': ['type:checks/types.ts'],
      'checks/KD999.ts': ['snapshot/snapshot.ts', 'facts/facts.ts'],
      'parsers/p.ts': ['facts/facts.ts'],
      'sources/acquire.ts': ['cli/flags.ts', 'snapshot/snapshot.ts'],
      'cli/flags.ts': [],
      'commands/one.ts': ['commands/two.ts', 'cli/flags.ts'],
      'commands/two.ts': [],
      'explain/a.ts': ['explain/b.ts'],
      'explain/b.ts': ['explain/a.ts'],
      'report/report.ts': ['checks/types.ts', 'snapshot/evidence.ts', 'commands/two.ts'],
      // The write helper: for the layers that write files (scan here), never for checks; it imports only the bottom.
      'io/write-atomic.ts': ['errors.ts'],
      'io/bad.ts': ['snapshot/snapshot.ts'],
      'checks/KD998.ts': ['io/write-atomic.ts'],
      'scan/keep.ts': ['io/write-atomic.ts'],
    })
    const found = cruise(dir).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
    expect(found).toEqual(
      expect.arrayContaining([
        'layer-facts: src/facts/facts.ts -> src/checks/types.ts',
        'layer-config: src/config/config.ts -> src/checks/types.ts',
        'layer-checks: src/checks/KD999.ts -> src/snapshot/snapshot.ts',
        'layer-parsers: src/parsers/p.ts -> src/facts/facts.ts',
        'layer-sources: src/sources/acquire.ts -> src/cli/flags.ts',
        'no-command-to-command: src/commands/one.ts -> src/commands/two.ts',
        'layer-report: src/report/report.ts -> src/commands/two.ts',
        'layer-checks: src/checks/KD998.ts -> src/io/write-atomic.ts',
        'layer-io: src/io/bad.ts -> src/snapshot/snapshot.ts',
      ]),
    )
    expect(found.filter((v) => v.startsWith('no-circular:')).join('\n')).toMatch(/src\/explain\/a\.ts -> src\/explain\/b\.ts/)
    expect(found.filter((v) => v.startsWith('no-circular:')).join('\n')).toMatch(/src\/checks\/types\.ts -> src\/facts\/facts\.ts/)
    // What the layers may import is not reported.
    expect(found.filter((v) => /-> src\/(snapshot\/evidence|severity|errors)\.ts$/.test(v) || v.includes('one.ts -> src/cli/') || v.startsWith('layer-scan:'))).toEqual([])
  })
})
