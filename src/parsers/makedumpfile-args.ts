/**
 * A dump collector command line: RHEL `kdump.conf` `core_collector`, Debian `MAKEDUMP_ARGS`, or any
 * makedumpfile invocation in a log.
 *
 *   makedumpfile -l --message-level 7 -d 31     (RHEL 9 default)
 *   makedumpfile -F -c -d 31                    (Debian kdump-tools default)
 *   makedumpfile -E -X -d 0                     (works on a Xen vmcore)
 *   cp --sparse=always                          (RHEL 5/6 plain copy)
 *
 * The services expand the collector unquoted (`$CORE_COLLECTOR /proc/vmcore ...`), so the shell
 * splits it on whitespace and removes no quotes: that is exactly how it is split here.
 * makedumpfile reads its options with getopt_long (1.7.x table below): `-d31` and `-d 31` are the same,
 * short flags combine (`-cd31`), long options take `--opt=value` or `--opt value` and may be
 * abbreviated to a unique prefix, non-options may come anywhere, `--` ends options.
 */
import {parsed, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'

export type Compression = 'none' | 'zlib' | 'lzo' | 'snappy' | 'zstd'

export interface CollectorOption {
  /** Short letter (`d`) or long name (`message-level`), as resolved. */
  name: string
  value?: string
  /** The words it came from (`-d31`, `--message-level 7`). */
  raw: string
}

export interface Collector {
  /** Program basename: `makedumpfile`, `cp`, `scp`, `cat`, `dd`. */
  program: string
  /** The program word as written (`/usr/sbin/makedumpfile`). */
  path: string
  kind: 'makedumpfile' | 'copy' | 'other'
  /** Every word after the program. */
  args: string[]
  /** First `-d` level (makedumpfile retries with the next ones of `-d 31,11,1` when the disk fills); undefined when not given (makedumpfile then filters nothing). */
  dumpLevel?: number
  dumpLevels: number[]
  /** The last of `-c`/`-l`/`-p`/`-z` wins, as in makedumpfile. */
  compression: Compression
  /** ELF output: makedumpfile `-E`, or a plain copy of /proc/vmcore (cp, cat, scp, dd). */
  elf: boolean
  /** `-F`: flattened output on stdout (needs `makedumpfile -R` to read back). */
  flat: boolean
  /** `-X`: exclude Xen guest (domU) pages. */
  xenFilter: boolean
  /** `-x <vmlinux with debug info>`: kernel symbols from a file instead of the vmcore's VMCOREINFO. */
  vmlinux?: string
  /** `-i <vmcoreinfo file>`. */
  vmcoreinfo?: string
  xenSyms?: string
  xenVmcoreinfo?: string
  messageLevel?: number
  split: boolean
  /** `--cyclic-buffer` in kilobytes. */
  cyclicBufferSize?: number
  nonCyclic: boolean
  numThreads?: number
  /** Non-option words (source and destination, when written in). */
  positional: string[]
  options: CollectorOption[]
}

type Arg = 'none' | 'required'

// makedumpfile 1.7.x: getopt_long(argc, argv, "b:cDd:eEFfg:hi:lL:pRvXx:z", longopts, NULL)
const SHORT: Record<string, Arg> = {
  b: 'required', c: 'none', D: 'none', d: 'required', e: 'none', E: 'none', F: 'none', f: 'none', g: 'required', h: 'none',
  i: 'required', l: 'none', L: 'required', p: 'none', R: 'none', v: 'none', X: 'none', x: 'required', z: 'none',
}
const LONG: Record<string, Arg> = {
  split: 'none', reassemble: 'none', 'xen-syms': 'required', 'xen-vmcoreinfo': 'required', xen_phys_start: 'required',
  'message-level': 'required', vtop: 'required', 'dump-dmesg': 'none', 'partial-dmesg': 'none', config: 'required', help: 'none',
  diskset: 'required', 'cyclic-buffer': 'required', eppic: 'required', 'non-mmap': 'none', 'mem-usage': 'none',
  'splitblock-size': 'required', 'work-dir': 'required', 'num-threads': 'required', 'check-params': 'none', 'dry-run': 'none',
  'show-stats': 'none', 'non-cyclic': 'none',
}
const COPIERS = new Set(['cp', 'cat', 'scp', 'dd', 'rsync'])

/** A collector command line whose first word is the program (kdump.conf `core_collector`). */
export function parseCoreCollector(text: string): Parsed<Collector> {
  return total('core_collector', () => {
    const words = text.split(/\s+/).filter((w) => w !== '')
    const path = words[0]
    if (path === undefined) return unparsable('empty collector command line')
    return build(path, words.slice(1))
  })
}

/** makedumpfile options without the program word (Debian `MAKEDUMP_ARGS`). */
export function parseMakedumpfileArgs(text: string): Parsed<Collector> {
  return total('makedumpfile arguments', () => build('makedumpfile', text.split(/\s+/).filter((w) => w !== '')))
}

function build(path: string, args: string[]): Parsed<Collector> {
  const program = path.slice(path.lastIndexOf('/') + 1)
  const kind = program === 'makedumpfile' ? 'makedumpfile' : COPIERS.has(program) ? 'copy' : 'other'
  const c: Collector = {
    program, path, kind, args, dumpLevels: [], compression: 'none', elf: kind === 'copy', flat: false, xenFilter: false,
    split: false, nonCyclic: false, positional: [], options: [],
  }
  if (kind !== 'makedumpfile') return parsed(c)
  const problems: ParseProblem[] = []
  c.options = getopt(args, c.positional, problems)
  for (const o of c.options) apply(c, o, problems)
  if (c.elf && c.compression !== 'none') problems.push({message: `makedumpfile refuses -E with compression (-${compressionLetter(c.compression)}): "Commandline parameter is invalid"`})
  if (c.vmlinux !== undefined && c.vmcoreinfo !== undefined) problems.push({message: 'makedumpfile refuses -x together with -i'})
  return parsed(c, problems)
}

function getopt(args: string[], positional: string[], problems: ParseProblem[]): CollectorOption[] {
  const out: CollectorOption[] = []
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!
    if (word === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=')
      const given = word.slice(2, eq < 0 ? undefined : eq)
      const name = longName(given, problems)
      if (name === undefined) continue
      if (LONG[name] === 'none') {
        if (eq >= 0) problems.push({message: `option --${name} takes no value: ${word}`})
        out.push({name, raw: word})
      } else if (eq >= 0) out.push({name, value: word.slice(eq + 1), raw: word})
      else if (i + 1 < args.length) out.push({name, value: args[++i]!, raw: `${word} ${args[i]}`})
      else problems.push({message: `option --${name} needs a value`})
      continue
    }
    if (!word.startsWith('-') || word === '-') {
      positional.push(word)
      continue
    }
    for (let j = 1; j < word.length; j++) {
      const letter = word[j]!
      const spec = SHORT[letter]
      if (spec === undefined) {
        problems.push({message: `unknown makedumpfile option -${letter} in ${word}`})
        continue
      }
      if (spec === 'none') {
        out.push({name: letter, raw: word})
        continue
      }
      const rest = word.slice(j + 1)
      if (rest !== '') out.push({name: letter, value: rest, raw: word})
      else if (i + 1 < args.length) out.push({name: letter, value: args[++i]!, raw: `${word} ${args[i]}`})
      else problems.push({message: `option -${letter} needs a value`})
      break
    }
  }
  return out
}

/** getopt_long accepts an exact name or an unambiguous prefix. */
function longName(given: string, problems: ParseProblem[]): string | undefined {
  if (Object.prototype.hasOwnProperty.call(LONG, given)) return given
  const matches = given === '' ? [] : Object.keys(LONG).filter((n) => n.startsWith(given))
  if (matches.length === 1) return matches[0]
  problems.push({message: matches.length === 0 ? `unknown makedumpfile option --${given}` : `ambiguous makedumpfile option --${given} (${matches.join(', ')})`})
  return undefined
}

function apply(c: Collector, o: CollectorOption, problems: ParseProblem[]): void {
  const int = (what: string, min: number, max: number): number | undefined => {
    const v = o.value ?? ''
    if (/^\d+$/.test(v) && Number(v) >= min && Number(v) <= max) return Number(v)
    problems.push({message: `${what} must be a number from ${min} to ${max}: ${o.raw}`})
    return undefined
  }
  switch (o.name) {
    case 'd': {
      const levels = (o.value ?? '').split(',').map((v) => (/^\d+$/.test(v) && Number(v) <= 31 ? Number(v) : NaN))
      if (levels.some(Number.isNaN)) problems.push({message: `dump level must be numbers from 0 to 31: ${o.raw}`})
      c.dumpLevels = levels.filter((n) => !Number.isNaN(n))
      c.dumpLevel = c.dumpLevels[0]
      break
    }
    case 'c':
      c.compression = 'zlib'
      break
    case 'l':
      c.compression = 'lzo'
      break
    case 'p':
      c.compression = 'snappy'
      break
    case 'z':
      c.compression = 'zstd'
      break
    case 'E':
      c.elf = true
      break
    case 'F':
      c.flat = true
      break
    case 'X':
      c.xenFilter = true
      break
    case 'x':
      c.vmlinux = o.value
      break
    case 'i':
      c.vmcoreinfo = o.value
      break
    case 'xen-syms':
      c.xenSyms = o.value
      break
    case 'xen-vmcoreinfo':
      c.xenVmcoreinfo = o.value
      break
    case 'message-level':
      c.messageLevel = int('message level', 0, 31) ?? c.messageLevel
      break
    case 'split':
      c.split = true
      break
    case 'cyclic-buffer':
      c.cyclicBufferSize = int('cyclic buffer size', 0, Number.MAX_SAFE_INTEGER) ?? c.cyclicBufferSize
      break
    case 'non-cyclic':
      c.nonCyclic = true
      break
    case 'num-threads':
      c.numThreads = int('thread count', 0, 65535) ?? c.numThreads
      break
  }
}

function compressionLetter(c: Compression): string {
  return {none: '', zlib: 'c', lzo: 'l', snappy: 'p', zstd: 'z'}[c]
}
