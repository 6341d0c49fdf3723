/**
 * The `systemctl-kdump` probe:
 * `systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,Result kdump.service kdump-tools.service`
 *
 *   Result=success
 *   Id=kdump.service
 *   LoadState=loaded
 *   ActiveState=active
 *   SubState=exited
 *   UnitFileState=enabled
 *
 *   Result=success
 *   Id=kdump-tools.service
 *   LoadState=not-found
 *   ActiveState=inactive
 *   SubState=dead
 *   UnitFileState=
 *
 * One block of `KEY=VALUE` lines per unit, blocks separated by a blank line, properties in whatever
 * order this systemd prints them. A unit that does not exist is still listed, with
 * `LoadState=not-found`. A block without `Id` is named by its position among the units asked for.
 */
import {parsed, splitLines, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'

export interface UnitState {
  /** `Id`, or the requested name at this position when `Id` was not printed. */
  name: string
  id?: string
  loadState?: string
  activeState?: string
  subState?: string
  unitFileState?: string
  result?: string
  /** Every property of the block (null-prototype object). */
  properties: Record<string, string>
  /** From LoadState: false for `not-found`; undefined when LoadState was not printed. */
  exists?: boolean
  /** From UnitFileState: true for enabled, false for disabled or masked, undefined otherwise (static, indirect, generated, empty...). */
  enabled?: boolean
  /** From ActiveState: `active`, `reloading` and `activating` count as running. */
  active?: boolean
  /** First line of the block. */
  line: number
}

export interface SystemctlShowOptions {
  /** The units in the order they were asked for, to name blocks that lack `Id`. */
  units?: readonly string[]
}

const ENABLED: Record<string, boolean> = {enabled: true, 'enabled-runtime': true, disabled: false, masked: false, 'masked-runtime': false}
const RUNNING = new Set(['active', 'reloading', 'activating', 'refreshing'])

export function parseSystemctlShow(stdout: string, stderr = '', options: SystemctlShowOptions = {}): Parsed<UnitState[]> {
  return total('systemctl show', () => {
    const problems: ParseProblem[] = []
    const blocks: {props: Record<string, string>; line: number}[] = []
    let current: {props: Record<string, string>; line: number} | undefined
    splitLines(stdout).forEach((text, i) => {
      const line = i + 1
      if (text.trim() === '') {
        current = undefined
        return
      }
      const m = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/s.exec(text)
      if (!m) {
        problems.push({line, message: `not a KEY=VALUE line: ${text.slice(0, 120)}`})
        return
      }
      const [, key, rawVal] = m as unknown as [string, string, string]
      // systemctl prints no trailing blanks; a paste or a terminal that pads lines does.
      const val = rawVal.replace(/[ \t]+$/, '')
      // A repeated key means a new unit even where the blank line went missing.
      if (!current || Object.prototype.hasOwnProperty.call(current.props, key)) {
        current = {props: Object.create(null) as Record<string, string>, line}
        blocks.push(current)
      }
      current.props[key] = val
    })
    if (blocks.length === 0) {
      const err = splitLines(stderr).find((l) => l.trim() !== '')
      if (err !== undefined) return unparsable(`systemctl show printed no units: ${err.trim().slice(0, 160)}`)
      problems.push({message: 'systemctl show printed no units'})
    }
    return parsed(
      blocks.map((b, i) => unit(b.props, b.line, options.units?.[i])),
      problems,
    )
  })
}

function unit(props: Record<string, string>, line: number, asked: string | undefined): UnitState {
  const u: UnitState = {name: props.Id ?? asked ?? `#${line}`, properties: props, line}
  if (props.LoadState !== undefined) u.exists = props.LoadState !== 'not-found'
  const fields: [keyof UnitState, string][] = [
    ['id', 'Id'],
    ['loadState', 'LoadState'],
    ['activeState', 'ActiveState'],
    ['subState', 'SubState'],
    ['unitFileState', 'UnitFileState'],
    ['result', 'Result'],
  ]
  for (const [field, key] of fields) if (props[key] !== undefined) (u as unknown as Record<string, string>)[field] = props[key]
  if (u.unitFileState !== undefined && Object.prototype.hasOwnProperty.call(ENABLED, u.unitFileState)) u.enabled = ENABLED[u.unitFileState]
  if (u.activeState !== undefined) u.active = RUNNING.has(u.activeState)
  return u
}

/** The record of one unit (`kdump` or `kdump.service`). */
export function unitState(units: readonly UnitState[], name: string): UnitState | undefined {
  const full = name.includes('.') ? name : `${name}.service`
  return units.find((u) => u.name === full)
}
