/**
 * systemd preset files (systemd.preset(5)): `enable UNIT`, `disable UNIT`, `ignore UNIT` lines, with `#`/`;` comments.
 * They decide what `systemctl preset` / `preset-all` does: at package installation (RHEL's %systemd_post) and at first
 * boot of an image whose /etc is unpopulated, which is how an EL9 image gets kdump.service enabled without anyone
 * running `systemctl enable`.
 *
 * Files live in /etc/systemd/system-preset, /run/systemd/system-preset, /usr/local/lib/systemd/system-preset and
 * /usr/lib/systemd/system-preset (/lib/... on split-/usr systems); a file in an earlier directory masks one of the same
 * name in a later one; all files are read sorted by name, and the first line whose pattern matches the unit decides.
 * Patterns are fnmatch globs (`atd.*`, `getty@.service`).
 */
import {compileGlob} from '../util/glob.js'
import {parsed, splitLines, total, type ParseProblem, type Parsed} from './parse-result.js'

export const PRESET_DIRS = [
  '/etc/systemd/system-preset',
  '/run/systemd/system-preset',
  '/usr/local/lib/systemd/system-preset',
  '/usr/lib/systemd/system-preset',
  '/lib/systemd/system-preset',
] as const

export type PresetAction = 'enable' | 'disable' | 'ignore'

export interface PresetRule {
  action: PresetAction
  pattern: string
  /** The file (host path) and its 1-based line. */
  path: string
  line: number
}

export interface PresetFileText {
  path: string
  text: string
}

/** The rules of the given preset files, in the order systemd consults them (masked files dropped). */
export function parsePresets(files: PresetFileText[]): Parsed<PresetRule[]> {
  return total('systemd presets', () => {
    const problems: ParseProblem[] = []
    const rank = (path: string): number => {
      const i = PRESET_DIRS.findIndex((d) => path.startsWith(`${d}/`))
      return i < 0 ? PRESET_DIRS.length : i
    }
    const byName = new Map<string, PresetFileText>()
    for (const f of [...files].sort((a, b) => rank(a.path) - rank(b.path))) {
      const name = f.path.slice(f.path.lastIndexOf('/') + 1)
      if (!name.endsWith('.preset')) continue
      if (!byName.has(name)) byName.set(name, f)
    }
    const rules: PresetRule[] = []
    for (const name of [...byName.keys()].sort()) {
      const f = byName.get(name)!
      splitLines(f.text).forEach((raw, i) => {
        const t = raw.trim()
        if (t === '' || t.startsWith('#') || t.startsWith(';')) return
        const m = /^(enable|disable|ignore)\s+(\S+)/.exec(t)
        if (!m) {
          problems.push({line: i + 1, message: `${f.path}: not a preset line: ${t.slice(0, 120)}`})
          return
        }
        rules.push({action: m[1] as PresetAction, pattern: m[2]!, path: f.path, line: i + 1})
      })
    }
    return parsed(rules, problems)
  })
}

/** The first rule that matches the unit (`kdump.service`), or undefined when none does. */
export function presetFor(rules: PresetRule[], unit: string): PresetRule | undefined {
  return rules.find((r) => compileGlob(r.pattern).test(unit))
}
