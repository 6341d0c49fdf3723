import {createRequire} from 'node:module'

// Read once from package.json so the report, --version and the package never disagree.
const require = createRequire(import.meta.url)
export const VERSION: string = (require('../package.json') as {version: string}).version
