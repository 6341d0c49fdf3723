import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * The installed package's root (where package.json, docs/ and collector/ live), found by walking up
 * from this module: it may run from dist/ as compiled, from a bundled chunk, or from src/ in tests.
 */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(dir, 'package.json')
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as {name?: string}).name === 'kdumpcheck') return dir
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error('kdumpcheck: cannot find its own package.json')
    dir = parent
  }
}

export const PACKAGE_ROOT = findPackageRoot()

// Read once so the report, --version and the package never disagree.
export const VERSION: string = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string}).version

/**
 * The versioned formats this kdumpcheck reads and writes, as `kdumpcheck --version` prints them. Literals here (this
 * module is a small chunk every command already loads, and importing the owning modules would load the pipeline for
 * `--version`); test/cli/version.test.ts holds each equal to the constant the code that reads or writes it uses.
 */
export const FORMATS = [
  {name: 'snapshot', id: 'kdumpcheck-snapshot/1', what: 'read by --snapshot and scan --snapshots, written by collect'},
  {name: 'report', id: 'kdumpcheck-report/1', what: 'check --json (docs/report-schema.md)'},
  {name: 'preflight', id: 'kdumpcheck-preflight/1', what: 'preflight --json'},
  {name: 'explain', id: 'kdumpcheck-explain/1', what: 'explain --json'},
  {name: 'scan', id: 'kdumpcheck-scan/1', what: 'scan --json'},
  {name: 'scan-result', id: 'kdumpcheck-scan-result/1', what: 'one line per host in scan --results'},
] as const
