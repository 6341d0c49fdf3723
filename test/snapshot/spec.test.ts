/**
 * The evidence spec (src/snapshot/spec.ts) is the one list of what kdumpcheck reads. These tests hold the
 * collector, the image reader and the facts to it: the collector gathers exactly the runtime items, the
 * image reader every static one, and no fact reads a file the spec does not name.
 */
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {BOUNDS, FILES, filesFor, PROBES, type FileSpec} from '../../src/snapshot/spec.js'
import {IMAGE_FILES, snapshotFromRoot} from '../../src/sources/rootfs.js'
import {COLLECTOR, freshTmp, makeTools, removeWorkDirs, runCollector, SHELLS, untar, workDir, writeFakes, type Replay, type Scenario} from '../collector/harness.js'

const RELEASE = '6.1.0-spec-amd64'
const REPO = path.resolve(import.meta.dirname, '../..')

/** A concrete path for a spec item: one match for each glob, the release for `{release}`. */
function instance(spec: FileSpec): string {
  return spec.path.replaceAll('{release}', RELEASE).replaceAll('*', 'spec-sample')
}

/** Does a concrete host path belong to a spec item? */
function matcher(spec: FileSpec): RegExp {
  const escaped = spec.path.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('\\{release\\}', '[^/]+').replaceAll('*', '[^/]+')
  return new RegExp(`^${escaped}$`)
}

function rootWith(dir: string, paths: string[]): string {
  for (const p of paths) {
    mkdirSync(path.join(dir, path.dirname(p)), {recursive: true})
    writeFileSync(path.join(dir, p), `${p}\n`)
  }
  return dir
}

afterAll(() => removeWorkDirs())

const shell = SHELLS.find((s) => s.available)

describe('the collector collects the spec', () => {
  it.runIf(shell !== undefined)('gathers every runtime file and probe, and no file the spec keeps for images', async () => {
    const work = workDir('spec')
    // Every item of the spec exists on this "host", static-only ones included: those must stay uncollected.
    const root = rootWith(path.join(work, 'root'), FILES.map(instance))
    const probes = PROBES.filter((p) => p.kinds.includes('runtime')).map((p) => ({name: p.name, program: p.argv[0]!, args: p.argv.slice(1)}))
    const replays = new Map<string, Replay>(probes.map((p) => [p.name, {out: Buffer.from(p.name === 'uname-r' ? `${RELEASE}\n` : `${p.name}\n`), exit: '0'}]))
    const scenario: Scenario = {root, bin: path.join(work, 'fakebin'), log: path.join(work, 'log'), probes, replays, inconsistencies: []}
    writeFakes(scenario)
    const tools = makeTools(path.join(work, 'tools'), {flavour: shell!.flavour})
    const result = await runCollector({shell: shell!, scenario, tools, tmp: freshTmp(work)})
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const members = await untar(result.stdout)
    // Each fake checks its argv: none was called with arguments the spec does not give.
    expect(readdirSync(scenario.log)).not.toContain('unexpected')

    const runtime = FILES.filter((f) => f.kinds.includes('runtime'))
    const missing = runtime.map(instance).filter((p) => !members.has(`files${p}`))
    expect(missing, 'runtime items the collector does not gather').toEqual([])
    const collected = [...members.keys()].filter((m) => m.startsWith('files/')).map((m) => m.slice('files'.length))
    const unnamed = collected.filter((p) => !runtime.some((spec) => matcher(spec).test(p)))
    expect(unnamed, 'files the collector gathers that the spec does not name as runtime evidence').toEqual([])
    for (const probe of probes) expect(members.get(`commands/${probe.name}.exit`)?.toString().trim(), probe.name).toBe('0')
  })

  it('runs exactly the spec\'s runtime probes, within the spec\'s bounds', () => {
    const script = readFileSync(COLLECTOR, 'utf8')
    // kdc_ls runs a listing probe (ls -q, and again without -q where ls rejects it).
    const names = [...script.matchAll(/^\s*kdc_(?:probe|ls) ([a-z0-9-]+) /gm)].map((m) => m[1]!)
    expect(names.sort()).toEqual(PROBES.filter((p) => p.kinds.includes('runtime')).map((p) => p.name).sort())
    expect(script).toMatch(new RegExp(`^KDC_CAP=${BOUNDS.fileBytes}$`, 'm'))
    expect(script).toContain(`KDC_PROBE_TIMEOUT=\${KDUMPCHECK_PROBE_TIMEOUT:-${BOUNDS.probeSeconds}}`)
    expect(script).toContain(`KDC_DEADLINE=\${KDUMPCHECK_DEADLINE:-${BOUNDS.collectionSeconds}}`)
  })
})

describe('the image reader reads the spec', () => {
  it('derives its file list from the static items and reads each of them', async () => {
    expect(IMAGE_FILES).toEqual(filesFor('static'))
    const root = rootWith(path.join(workDir('spec-image'), 'root'), FILES.filter((f) => f.kinds.includes('static')).map(instance))
    const snapshot = await snapshotFromRoot(root)
    const unread = FILES.filter((f) => f.kinds.includes('static')).map(instance).filter((p) => !snapshot.file(p))
    expect(unread).toEqual([])
    expect(snapshot.filePaths.filter((p) => !FILES.some((spec) => spec.kinds.includes('static') && matcher(spec).test(p)))).toEqual([])
  })
})

describe('the facts read only what the spec names', () => {
  it('every literal file path and probe name in src/facts and src/parsers is a spec item', () => {
    const dirs = ['src/facts', 'src/parsers']
    const paths = new Set<string>()
    const probes = new Set<string>()
    for (const dir of dirs) {
      for (const name of readdirSync(path.join(REPO, dir))) {
        const text = readFileSync(path.join(REPO, dir, name), 'utf8')
        for (const m of text.matchAll(/\.(?:file|fileState)\((['`])(\/[^'`]+)\1\)/g)) paths.add(m[2]!.replace(/\$\{[^}]+\}/g, 'X'))
        for (const m of text.matchAll(/(?:missingFile)\(snapshot, (['`])(\/[^'`]+)\1\)/g)) paths.add(m[2]!.replace(/\$\{[^}]+\}/g, 'X'))
        for (const m of text.matchAll(/\.(?:probe|ranProbe|probeState)\('([a-z0-9-]+)'\)/g)) probes.add(m[1]!)
        for (const m of text.matchAll(/for \(const name of \[([^\]]+)\]\)/g)) for (const n of m[1]!.matchAll(/'([a-z0-9-]+)'/g)) probes.add(n[1]!)
      }
    }
    expect(paths.size).toBeGreaterThan(20)
    expect([...paths].filter((p) => !FILES.some((spec) => matcher(spec).test(p)))).toEqual([])
    expect([...probes].filter((n) => !PROBES.some((p) => p.name === n))).toEqual([])
  })
})
