/**
 * systemd unit files and their drop-ins (systemd.unit(5), systemd.syntax(7)): INI, read with the `ini`
 * package. Only what decides enablement is kept: the [Install] section, which `systemctl enable` reads to
 * know which links to make (WantedBy=/RequiredBy= a link in <target>.wants/ or .requires/, Alias= a link
 * under another name).
 *
 *   [Install]
 *   WantedBy=basic.target            (Debian's kdump-tools.service)
 *   WantedBy=multi-user.target       (RHEL's kdump.service)
 *
 * The list settings may repeat and take space-separated names; an empty assignment (`WantedBy=`) empties the
 * list so far, which is how a drop-in replaces the vendor's targets. Drop-ins (`<unit>.d/*.conf`) apply in
 * the order of their file names, after the unit file. `ini` accumulates a repeated key into an array only
 * with `bracketedArray: false`; systemd's line continuations (a trailing `\`) do not occur in [Install]
 * sections and are not followed.
 */
import {decode} from 'ini'
import {parsed, total, type Parsed} from './parse-result.js'

export interface UnitInstall {
  wantedBy: string[]
  requiredBy: string[]
  alias: string[]
}

const INSTALL_KEYS = {WantedBy: 'wantedBy', RequiredBy: 'requiredBy', Alias: 'alias'} as const

/** The [Install] assignments of one file, in order, as written (`undefined` when the file has no such key). */
export interface UnitFileInstall {
  /** Per key, each assignment's value in order (`''` for an emptying one). */
  assignments: Partial<Record<keyof UnitInstall, string[]>>
  /** The file has an [Install] section at all. */
  hasInstall: boolean
}

export function parseUnitFile(text: string): Parsed<UnitFileInstall> {
  return total<UnitFileInstall>('systemd unit', () => {
    const sections = decode(text, {bracketedArray: false}) as Record<string, unknown>
    const install = sections.Install
    const out: UnitFileInstall = {assignments: {}, hasInstall: typeof install === 'object' && install !== null}
    if (!out.hasInstall) return parsed(out)
    for (const [key, field] of Object.entries(INSTALL_KEYS)) {
      const raw = (install as Record<string, unknown>)[key]
      if (raw === undefined) continue
      // `ini` gives a string, an array for a repeated key, or `true` for a bare `Key` with no `=`.
      const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'string' ? v.trim() : ''))
      out.assignments[field] = values
    }
    return parsed(out)
  })
}

/** The effective [Install] of a unit file and its drop-ins (given in the order systemd applies them). */
export function unitInstall(files: readonly UnitFileInstall[]): UnitInstall {
  const result: UnitInstall = {wantedBy: [], requiredBy: [], alias: []}
  for (const file of files) {
    for (const field of Object.values(INSTALL_KEYS)) {
      for (const value of file.assignments[field] ?? []) {
        if (value === '') result[field] = []
        else result[field].push(...value.split(/\s+/).filter((name) => !result[field].includes(name)))
      }
    }
  }
  return result
}
