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
