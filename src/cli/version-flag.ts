/**
 * `kdumpcheck --version`: oclif's line (`kdumpcheck/0.1.0 linux-x64 node-v24.11.1`, which scripts already parse),
 * then the versioned formats this build speaks, one per line; `--version --json` gives the same as one object.
 * Handled before oclif loads its configuration: nothing here needs it.
 */
import {arch, platform} from 'node:os'
import {FORMATS, VERSION} from '../version.js'

/**
 * The text `--version` prints for argv (the arguments after the program), or undefined when argv asks for something
 * else. Like oclif, only a leading --version counts, and what follows it is ignored but --json.
 */
export function versionOutput(argv: readonly string[]): string | undefined {
  if (argv[0] !== '--version') return undefined
  const node = process.version
  const os = `${platform()}-${arch() === 'ia32' ? 'x86' : arch()}`
  if (argv.includes('--json')) {
    const formats = Object.fromEntries(FORMATS.map((f) => [f.name, f.id]))
    return `${JSON.stringify({name: 'kdumpcheck', version: VERSION, node, platform: os, formats}, null, 2)}\n`
  }
  const width = Math.max(...FORMATS.map((f) => f.id.length))
  return `kdumpcheck/${VERSION} ${os} node-${node}\n${FORMATS.map((f) => `${f.id.padEnd(width)}  ${f.what}`).join('\n')}\n`
}
