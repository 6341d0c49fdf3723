import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

// Read once from package.json so the report, --version and the package never disagree.
const require = createRequire(import.meta.url)
export const VERSION: string = (require('../package.json') as {version: string}).version

/** The installed package's root (dist/.. or src/..), where docs/ and collector/ live. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
