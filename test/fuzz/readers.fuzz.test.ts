/**
 * Property-based fuzz of every reader of hostile input (issue 12, acceptance): the snapshot reader
 * (directory and .tar.gz), the image reader (directory and tarball) and the configuration loader.
 * Random trees hold names with control characters and newlines, symlinks inside, outside and in
 * loops, FIFOs, files where directories belong and deep nesting; random configurations hold aliases,
 * anchors, deep flow collections, wrong types and stray keys. Every run must end, within a generous
 * bound, either with a verdict or with an InputError of one line (exit 2) — never another error, a
 * hang or a stack overflow.
 *
 * Seeded and bounded: the same cases every run, a few dozen trees per reader, well under a minute
 * on a loaded machine. FAST_CHECK_RUNS=N multiplies the runs for a longer hunt.
 */
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, describe, expect, it} from 'vitest'
import {within} from '../helpers/within.js'
import {parseConfigText} from '../../src/config/config.js'
import {InputError} from '../../src/errors.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import type {Snapshot} from '../../src/snapshot/snapshot.js'
import {snapshotFromRoot, snapshotFromRootArchive} from '../../src/sources/rootfs.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {tarBytes, tarGzBytes, type Member} from '../helpers/tar-writer.js'

const SEED = 20261207
const SCALE = Number(process.env.FAST_CHECK_RUNS ?? 1)
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE))
/** Far above what a correct reader needs for these small trees; a hang or an exponential walk ends here. */
const BOUND_MS = 20_000

const work = mkdtempSync(path.join(tmpdir(), 'kdc-fuzz-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))
let counter = 0
const fresh = (label: string): string => path.join(work, `${label}-${++counter}`)

// ------------------------------------------------------------------------------------------------
// Trees

type Node =
  | {kind: 'file'; data: string}
  | {kind: 'dir'; children: Array<[string, Node]>}
  | {kind: 'symlink'; target: string}
  | {kind: 'fifo'}

/** File names: the ones the readers look for, and hostile ones (newlines, escapes, forged ls lines, bytes). */
const nameArb: fc.Arbitrary<string> = fc
  .oneof(
    {weight: 4, arbitrary: fc.constantFrom('etc', 'boot', 'proc', 'sys', 'sysctl.d', 'kdump.conf', 'cmdline', 'grub', 'grub.cfg', 'x.conf', 'hostname', 'multi-user.target.wants', 'kdump-tools.service', 'files', 'commands', 'snapshot.json', 'uname-r.out', 'uname-r.exit', 'ls-boot.out', 'systemd', 'system', 'lib', 'usr', 'default')},
    {weight: 2, arbitrary: fc.string({minLength: 1, maxLength: 12})},
    {weight: 1, arbitrary: fc.constantFrom('x\nlrwxrwxrwx 1 root root 19 Jan  1  2024 kdump-tools.service -> kdump-tools.service', 'a\u001b]0;t\u0007b', '\u001b[2J', 'tab\there', 'dir:\n', '-> x', 'a -> b', '?', '.hidden', 'é', '\u202eevil', ' ')},
  )
  .filter((n) => n !== '' && n !== '.' && n !== '..' && !n.includes('/') && !n.includes('\0') && Buffer.byteLength(n) <= 200)

const targetArb = fc.constantFrom('.', '..', '../..', '../../../../..', '/', '/etc', '/etc/passwd', '/proc/cmdline', 'x.conf', 'loop', 'missing', '../etc/kdump.conf', 'sysctl.d', '/boot/grub')

const dataArb = fc.oneof(
  fc.constantFrom('kernel.panic_on_oops = 1\n', 'kernel.panic_on_oops = 0\n', 'ro crashkernel=256M\n', '0\n', 'timeout\n', 'missing\n', '{"format": "kdumpcheck-snapshot/1", "kind": "runtime"}', ''),
  fc.string({maxLength: 60}),
)

const treeArb: fc.Arbitrary<Node> = fc.letrec<{node: Node; dir: Node}>((tie) => ({
  node: fc.oneof(
    {depthSize: 'small', withCrossShrink: true},
    {weight: 3, arbitrary: dataArb.map((data): Node => ({kind: 'file', data}))},
    {weight: 1, arbitrary: targetArb.map((target): Node => ({kind: 'symlink', target}))},
    {weight: 1, arbitrary: fc.constant<Node>({kind: 'fifo'})},
    {weight: 2, arbitrary: tie('dir')},
  ),
  dir: fc
    .uniqueArray(fc.tuple(nameArb, tie('node')), {maxLength: 5, selector: ([name]) => name})
    .map((children): Node => ({kind: 'dir', children})),
})).dir

/** Deep chains (hundreds of levels) are rare in random trees: mixed in on purpose. */
const deepArb: fc.Arbitrary<Node> = fc.integer({min: 50, max: 400}).map((depth) => {
  let node: Node = {kind: 'file', data: 'deep\n'}
  for (let i = 0; i < depth; i++) node = {kind: 'dir', children: [['d', node]]}
  return node
})

const rootArb = fc.oneof({weight: 5, arbitrary: treeArb}, {weight: 1, arbitrary: deepArb})

/** Writes a tree on disk; FIFOs made in one mkfifo call. */
function materialise(node: Node, at: string): void {
  const fifos: string[] = []
  const walk = (n: Node, p: string): void => {
    switch (n.kind) {
      case 'file':
        writeFileSync(p, n.data)
        break
      case 'symlink':
        symlinkSync(n.target === 'loop' ? path.basename(p) : n.target, p)
        break
      case 'fifo':
        fifos.push(p)
        break
      case 'dir':
        mkdirSync(p, {recursive: true})
        for (const [name, child] of n.children) walk(child, path.join(p, name))
    }
  }
  walk(node, at)
  if (fifos.length > 0) execFileSync('mkfifo', fifos)
}

/** The same tree as tar members (paths relative to `prefix`). */
function members(node: Node, prefix: string): Member[] {
  const out: Member[] = []
  const walk = (n: Node, p: string): void => {
    switch (n.kind) {
      case 'file':
        out.push({name: p, data: n.data})
        break
      case 'symlink':
        out.push({name: p, type: 'symlink', linkpath: n.target === 'loop' ? path.posix.basename(p) : n.target})
        break
      case 'fifo':
        out.push({name: p, type: 'fifo'})
        break
      case 'dir':
        if (p !== '') out.push({name: `${p}/`, type: 'dir'})
        for (const [name, child] of n.children) walk(child, p === '' ? name : `${p}/${name}`)
    }
  }
  walk(node, prefix)
  return out
}

const metaArb = fc.oneof(
  {weight: 4, arbitrary: fc.constant(JSON.stringify({format: 'kdumpcheck-snapshot/1', hostname: 'h\u001b]0;x\u0007', collected_at: '2026-01-01T00:00:00Z', kind: 'runtime', collector: 'fuzz', errors: ['/etc/sysctl.d: could not be read: Permission denied']}))},
  {weight: 1, arbitrary: fc.constant(JSON.stringify({format: 'kdumpcheck-snapshot/1', kind: 'static', errors: []}))},
  {weight: 1, arbitrary: fc.constantFrom('{"format": "kdumpcheck-snapshot/1", "kind": "runtime", "hostname": 7}', '{"format": "kdumpcheck-snapshot/1", "kind": "runtime", "errors": "x"}', '[]', '{', '')},
)

// ------------------------------------------------------------------------------------------------
// The property: a verdict or one line of InputError, within the bound

const VERDICTS = ['READY', 'NOT_READY', 'UNVERIFIED']


async function endsWell(read: () => Promise<Snapshot>, what: string): Promise<void> {
  let snapshot: Snapshot
  try {
    snapshot = await within(read(), what, BOUND_MS)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    // Exit 2 with ONE line: no newline or terminal control from a hostile name in the message.
    expect(error.message, what).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/)
    return
  }
  expect(VERDICTS).toContain(judgeSnapshot(snapshot).verdict)
}

const params = (n: number): fc.Parameters<unknown> => ({seed: SEED, numRuns: runs(n), endOnFailure: true})

describe('fuzz: readers end with a verdict or one line of exit 2, within bounds', () => {
  it('snapshot reader, directory form', async () => {
    await fc.assert(
      fc.asyncProperty(metaArb, rootArb, rootArb, async (meta, files, commands) => {
        const dir = fresh('snapdir')
        mkdirSync(dir)
        writeFileSync(path.join(dir, 'snapshot.json'), meta)
        materialise(files, path.join(dir, 'files'))
        materialise(commands, path.join(dir, 'commands'))
        await endsWell(() => readSnapshot(dir), dir)
      }),
      params(20),
    )
  }, 120_000)

  it('snapshot reader, .tar.gz form (FIFOs, links, devices and climbing names as members)', async () => {
    const climbing = fc.constantFrom<Member[]>([], [{name: 'files/../../evil', data: 'x'}], [{name: '/etc/passwd', data: 'x'}], [{name: 'files/dev', type: 'char', devmajor: 1, devminor: 5}])
    await fc.assert(
      fc.asyncProperty(metaArb, rootArb, climbing, fc.boolean(), async (meta, files, extra, end) => {
        const file = `${fresh('snaptar')}.tar.gz`
        writeFileSync(file, tarGzBytes([{name: 'snapshot.json', data: meta}, ...members(files, 'files'), ...extra], {end}))
        await endsWell(() => readSnapshot(file), file)
      }),
      params(30),
    )
  }, 120_000)

  it('image reader, directory form', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, async (tree) => {
        const root = fresh('imgdir')
        materialise(tree, root)
        await endsWell(() => snapshotFromRoot(root), root)
      }),
      params(20),
    )
  }, 120_000)

  it('image reader, tarball form', async () => {
    await fc.assert(
      fc.asyncProperty(rootArb, fc.boolean(), fc.boolean(), async (tree, gzip, end) => {
        const file = `${fresh('imgtar')}.tar${gzip ? '.gz' : ''}`
        const all = members(tree, '')
        writeFileSync(file, gzip ? tarGzBytes(all, {end}) : tarBytes(all, {end}))
        await endsWell(() => snapshotFromRootArchive(file), file)
      }),
      params(25),
    )
  }, 120_000)
})

// ------------------------------------------------------------------------------------------------
// Configuration

const yamlScalar = fc.oneof(
  fc.constantFrom('KD502', 'KD999', 'KD1', '2099-02-31', '2027-01-31', 'error', 'warning', 'info', 'fatal', 'true', '~', '"x"', "'y'", '*a', '&a x', '!!binary aGk=', '[', '{', '"\\u001b]0;t\\u0007"'),
  fc.string({maxLength: 12}),
  fc.integer().map(String),
)
const yamlKey = fc.constantFrom('fail-on', 'ignore', 'severity', 'policy', 'id', 'reason', 'expires', 'hosts', 'min-crash-region-mb', 'require-panic-on-oops', 'allowed-dump-targets', 'allow-noreboot', 'KD502', 'KD999', 'unknown', '<<')

const yamlArb: fc.Arbitrary<string> = fc.letrec<{value: string}>((tie) => ({
  value: fc.oneof(
    {depthSize: 'small'},
    {weight: 3, arbitrary: yamlScalar},
    {weight: 1, arbitrary: fc.array(tie('value'), {maxLength: 4}).map((items) => `[${items.join(', ')}]`)},
    {weight: 1, arbitrary: fc.array(fc.tuple(yamlKey, tie('value')), {maxLength: 4}).map((pairs) => `{${pairs.map(([k, v]) => `${k}: ${v}`).join(', ')}}`)},
  ),
})).value

const documentArb = fc.oneof(
  {weight: 4, arbitrary: fc.array(fc.tuple(yamlKey, yamlArb), {maxLength: 5}).map((pairs) => pairs.map(([k, v]) => `${k}: ${v}`).join('\n'))},
  // Alias fan-out (a "billion laughs" in miniature) and deep flow nesting.
  {weight: 1, arbitrary: fc.integer({min: 1, max: 12}).map((levels) => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`)
    return lines.join('\n')
  })},
  {weight: 1, arbitrary: fc.integer({min: 10, max: 5000}).map((depth) => `ignore: ${'['.repeat(depth)}${']'.repeat(depth)}`)},
  {weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 200})},
)

describe('fuzz: the configuration loader accepts or refuses with one line', () => {
  it('random documents', async () => {
    await fc.assert(
      fc.asyncProperty(documentArb, async (text) => {
        try {
          await within(parseConfigText(text, 'fuzz.yaml'), 'config', BOUND_MS)
        } catch (error) {
          if (!(error instanceof InputError)) throw error
          expect(error.message.split('\n')).toHaveLength(1)
        }
      }),
      params(200),
    )
  }, 120_000)
})
