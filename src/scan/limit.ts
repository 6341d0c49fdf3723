/**
 * `--limit PATTERN`, as Ansible reads host patterns: a comma-separated list of host names, group
 * names or globs (`*`, `?`, `[abc]`: src/util/glob.ts, the matcher waivers and images use too); `!pat` removes matches, `&pat` keeps only hosts that also
 * match; `~regex` matches names by regular expression. A host matches a term when its name, its
 * address or one of its groups does. A limit that selects nothing is an error: a scan of nothing
 * that exits 0 would read as a healthy fleet.
 */
import {InputError} from '../errors.js'
import {compileGlob, hasGlobMagic} from '../util/glob.js'
import type {InventoryHost} from './inventory.js'

interface Term {
  kind: 'add' | 'exclude' | 'intersect'
  text: string
  test: (value: string) => boolean
}

export function parseLimit(pattern: string): Term[] {
  const terms: Term[] = []
  for (const raw of pattern.split(',')) {
    let text = raw.trim()
    if (text === '') continue
    let kind: Term['kind'] = 'add'
    if (text.startsWith('!')) {
      kind = 'exclude'
      text = text.slice(1)
    } else if (text.startsWith('&')) {
      kind = 'intersect'
      text = text.slice(1)
    }
    if (text === '') throw new InputError(`--limit ${JSON.stringify(pattern)}: an empty pattern after ${kind === 'exclude' ? '!' : '&'}`)
    let test: (value: string) => boolean
    if (text.startsWith('~')) {
      let regex: RegExp
      try {
        regex = new RegExp(text.slice(1))
      } catch (error) {
        throw new InputError(`--limit ${JSON.stringify(text)}: not a regular expression (${(error as Error).message})`)
      }
      test = (value) => regex.test(value)
    } else if (hasGlobMagic(text)) {
      const glob = compileGlob(text, {caseInsensitive: true})
      test = (value) => glob.test(value)
    } else {
      const lower = text.toLowerCase()
      test = (value) => value.toLowerCase() === lower
    }
    terms.push({kind, text, test})
  }
  if (terms.length === 0) throw new InputError(`--limit ${JSON.stringify(pattern)}: no pattern`)
  return terms
}

/** The hosts the limit selects, in inventory order. */
export function applyLimit<H extends Pick<InventoryHost, 'name' | 'address' | 'groups'>>(hosts: readonly H[], pattern: string | undefined): H[] {
  if (pattern === undefined) return [...hosts]
  const terms = parseLimit(pattern)
  const matches = (host: H, term: Term): boolean =>
    term.test(host.name) || (host.address !== host.name && term.test(host.address)) || host.groups.some((g) => term.test(g))
  const adds = terms.filter((t) => t.kind === 'add')
  const selected = hosts.filter((host) => {
    if (adds.length > 0 && !adds.some((t) => matches(host, t))) return false
    if (terms.some((t) => t.kind === 'intersect' && !matches(host, t))) return false
    if (terms.some((t) => t.kind === 'exclude' && matches(host, t))) return false
    return true
  })
  if (selected.length === 0) throw new InputError(`--limit ${JSON.stringify(pattern)} matches no host in the inventory`)
  return selected
}
