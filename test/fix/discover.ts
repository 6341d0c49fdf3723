/** Every snapshot the fixtures hold: fixtures/hosts/* and, at any depth up to 4, fixtures/real-world/. */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'

export const REPO = path.resolve(import.meta.dirname, '../..')

export interface FixtureSnapshot {
  name: string
  dir: string
  kind: 'runtime' | 'static'
}

export function discoverSnapshots(): FixtureSnapshot[] {
  const out: FixtureSnapshot[] = []
  const visit = (dir: string, depth: number, label: string): void => {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return
    const meta = path.join(dir, 'snapshot.json')
    if (existsSync(meta)) {
      const kind = (JSON.parse(readFileSync(meta, 'utf8')) as {kind?: string}).kind === 'static' ? 'static' : 'runtime'
      out.push({name: label, dir, kind})
      return
    }
    if (depth <= 0) return
    for (const name of readdirSync(dir).sort()) {
      if (name === 'files' || name === 'commands') continue
      visit(path.join(dir, name), depth - 1, label === '' ? name : `${label}/${name}`)
    }
  }
  visit(path.join(REPO, 'fixtures/hosts'), 1, '')
  const real = path.join(REPO, 'fixtures/real-world')
  visit(real, 4, 'real-world')
  return out
}
