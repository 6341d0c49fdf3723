/**
 * /var/lib/dpkg/status: RFC 822-style stanzas, one per package. An image has no dpkg-query to run, so
 * this file is how a static snapshot proves what is installed. Only `install ok installed` counts.
 */
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'
import type {PackageList, PackageRecord} from './packages.js'

export function parseDpkgStatus(text: string): Parsed<PackageList> {
  return total('dpkg status', () => {
    const packages: PackageRecord[] = []
    const problems: ParseProblem[] = []
    let stanza: Record<string, string> = {}
    let start = 0
    const flush = (): void => {
      const name = stanza.Package
      if (name) {
        const raw = stanza.Version ?? ''
        const status = stanza.Status ?? ''
        const m = /^(?:(\d+):)?(.+?)(?:-([^-]+))?$/.exec(raw)
        packages.push({
          name,
          epoch: m?.[1] === undefined ? null : Number(m[1]),
          version: m?.[2] ?? '',
          release: m?.[3] ?? '',
          raw,
          installed: /\binstall ok installed$/.test(status),
          status,
          manager: 'dpkg',
          line: start,
          stream: 'stdout',
        })
      } else if (Object.keys(stanza).length > 0) {
        problems.push({line: start, message: 'stanza without a Package field'})
      }
      stanza = {}
    }
    let last: string | undefined
    splitLines(text).forEach((line, index) => {
      if (line.trim() === '') {
        flush()
        last = undefined
        return
      }
      if (Object.keys(stanza).length === 0) start = index + 1
      if (/^\s/.test(line)) return // continuation of a multi-line field (Description, Conffiles)
      const field = /^([A-Za-z0-9][A-Za-z0-9-]*):\s?(.*)$/.exec(line)
      if (!field) {
        problems.push({line: index + 1, message: `not a "Field: value" line: ${line.slice(0, 60)}`})
        return
      }
      last = field[1]!
      stanza[last] = field[2]!.trim()
    })
    flush()
    return parsed({manager: 'dpkg' as const, packages}, problems)
  })
}
