/**
 * `.kdumpcheck.yaml`: waivers, severity overrides, the fail-on threshold and policy values. Found via
 * --config, then the working directory, then $XDG_CONFIG_HOME/kdumpcheck/config.yaml. Anything it does
 * not know is an error naming the key path: a typo in a waiver must not silently waive nothing.
 */
import os from 'node:os'
import path from 'node:path'
import {InputError} from '../errors.js'
import {CHECK_IDS, SEVERITIES, type Severity} from '../severity.js'
import {compileGlob} from '../util/glob.js'
import {readBoundedText} from '../util/read-bounded.js'

export interface Waiver {
  id: string
  reason: string
  /** ISO date (YYYY-MM-DD); the waiver stops applying at the start of that day (UTC). */
  expires?: string
  /** Hostname globs (`hv-fra1-*`); absent means every host. */
  hosts?: string[]
}

export interface Policy {
  minCrashRegionMb?: number
  requirePanicOnOops?: boolean
  allowedDumpTargets?: string[]
  allowNoreboot?: boolean
}

export interface Config {
  source?: string
  failOn: 'error' | 'warning'
  ignore: Waiver[]
  severity: Record<string, Severity>
  policy: Policy
}

export const DEFAULT_CONFIG: Config = {failOn: 'error', ignore: [], severity: {}, policy: {}}

export const TOP_KEYS = ['fail-on', 'ignore', 'severity', 'policy'] as const
/** The keys of `policy:`, each applied after the checks by report/policy.ts (docs/configuration.md). */
export const POLICY_KEYS = ['min-crash-region-mb', 'require-panic-on-oops', 'allowed-dump-targets', 'allow-noreboot'] as const

const CHECK_ID = /^KD\d{3}$/
const TARGETS = ['local', 'raw', 'nfs', 'ssh']

export async function findConfig(explicit: string | undefined, cwd = process.cwd(), env = process.env): Promise<Config> {
  if (explicit) return loadConfig(explicit, true)
  const xdg = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config')
  for (const candidate of [path.join(cwd, '.kdumpcheck.yaml'), path.join(xdg, 'kdumpcheck', 'config.yaml')]) {
    const config = await loadConfig(candidate, false)
    if (config.source) return config
  }
  return DEFAULT_CONFIG
}

/** A configuration file is a few waivers; anything larger is not one (and YAML's cost grows with it). */
export const CONFIG_MAX_BYTES = 1024 * 1024
/** Flow collections (`[`, `{`) nested deeper than this are refused before the YAML parser sees them. */
const MAX_FLOW_DEPTH = 64

async function loadConfig(file: string, required: boolean): Promise<Config> {
  let text: string
  try {
    // Never a FIFO or a device (`--config /dev/zero` read until memory ran out), at most 1 MiB.
    text = await readBoundedText(file, {maxBytes: CONFIG_MAX_BYTES, what: 'configuration'})
  } catch (error) {
    if (error instanceof InputError) throw error
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return DEFAULT_CONFIG
    throw new InputError(`${file}: cannot read configuration (${(error as Error).message})`)
  }
  return parseConfig(text, file)
}

/** The deepest nesting of flow brackets, counted over the raw text (quotes included: conservative). */
function flowDepth(text: string): number {
  let depth = 0
  let deepest = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth)
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--
  }
  return deepest
}

export async function parseConfigText(text: string, file: string): Promise<Config> {
  if (Buffer.byteLength(text) > CONFIG_MAX_BYTES) throw new InputError(`${file}: configuration larger than 1 MiB, not read`)
  return parseConfig(text, file)
}

async function parseConfig(text: string, file: string): Promise<Config> {
  if (flowDepth(text) > MAX_FLOW_DEPTH) throw new InputError(`${file}: not valid YAML (brackets nested more than ${MAX_FLOW_DEPTH} deep)`)
  const {parseDocument} = await import('yaml')
  const known = new Set(CHECK_IDS)
  const doc = parseDocument(text, {prettyErrors: false})
  if (doc.errors.length > 0) throw new InputError(`${file}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`)
  let raw: unknown
  try {
    // yaml stops expanding after 100 aliases (a "billion laughs" document would otherwise fill memory).
    raw = doc.toJS({maxAliasCount: 100}) ?? {}
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (/alias/i.test(message)) throw new InputError(`${file}: not valid configuration (too many aliases: a YAML alias bomb?)`)
    throw new InputError(`${file}: not valid YAML (${message.split('\n')[0]})`)
  }
  const fail = (key: string, problem: string): never => {
    throw new InputError(`${file}: ${key}: ${problem}`)
  }
  const object = (value: unknown, key: string): Record<string, unknown> => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(key, 'expected a mapping')
    return value as Record<string, unknown>
  }
  const only = (value: Record<string, unknown>, key: string, allowed: readonly string[]): void => {
    for (const name of Object.keys(value)) if (!allowed.includes(name)) fail(key ? `${key}.${name}` : name, `unknown key (expected one of: ${allowed.join(', ')})`)
  }
  const top = object(raw, '(top level)')
  only(top, '', [...TOP_KEYS])

  const config: Config = {source: file, failOn: 'error', ignore: [], severity: {}, policy: {}}
  if (top['fail-on'] !== undefined) {
    if (top['fail-on'] !== 'error' && top['fail-on'] !== 'warning') fail('fail-on', 'must be "error" or "warning"')
    config.failOn = top['fail-on'] as Config['failOn']
  }
  if (top.ignore !== undefined) {
    if (!Array.isArray(top.ignore)) fail('ignore', 'expected a list of waivers')
    config.ignore = (top.ignore as unknown[]).map((item, i) => {
      const key = `ignore[${i}]`
      const waiver = object(item, key)
      only(waiver, key, ['id', 'reason', 'expires', 'hosts'])
      if (typeof waiver.id !== 'string' || !CHECK_ID.test(waiver.id)) fail(`${key}.id`, 'must be a check ID such as KD106')
      if (!known.has(waiver.id as string)) fail(`${key}.id`, `${waiver.id as string} is not a kdumpcheck check (kdumpcheck rules lists them)`)
      if (typeof waiver.reason !== 'string' || waiver.reason.trim().length === 0) fail(`${key}.reason`, 'a waiver needs a reason')
      const result: Waiver = {id: waiver.id as string, reason: (waiver.reason as string).trim()}
      if (waiver.expires !== undefined) {
        const expires = waiver.expires instanceof Date ? waiver.expires.toISOString().slice(0, 10) : waiver.expires
        if (typeof expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(expires)) fail(`${key}.expires`, 'must be a date, YYYY-MM-DD')
        if (!realDate(expires as string)) fail(`${key}.expires`, `${expires as string} is not a date in the calendar`)
        result.expires = expires as string
      }
      if (waiver.hosts !== undefined) {
        if (!Array.isArray(waiver.hosts) || waiver.hosts.some((h) => typeof h !== 'string' || h === '')) fail(`${key}.hosts`, 'must be a list of hostname patterns')
        result.hosts = waiver.hosts as string[]
      }
      return result
    })
  }
  if (top.severity !== undefined) {
    const overrides = object(top.severity, 'severity')
    for (const [id, value] of Object.entries(overrides)) {
      if (!CHECK_ID.test(id)) fail(`severity.${id}`, 'must be a check ID such as KD502')
      if (!known.has(id)) fail(`severity.${id}`, `${id} is not a kdumpcheck check (kdumpcheck rules lists them)`)
      if (typeof value !== 'string' || !(SEVERITIES as readonly string[]).includes(value)) fail(`severity.${id}`, 'must be error, warning or info')
      config.severity[id] = value as Severity
    }
  }
  if (top.policy !== undefined) {
    const policy = object(top.policy, 'policy')
    only(policy, 'policy', [...POLICY_KEYS])
    const v = policy['min-crash-region-mb']
    if (v !== undefined) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail('policy.min-crash-region-mb', 'must be a positive whole number of MB')
      config.policy.minCrashRegionMb = v as number
    }
    for (const [name, field] of [['require-panic-on-oops', 'requirePanicOnOops'], ['allow-noreboot', 'allowNoreboot']] as const) {
      if (policy[name] === undefined) continue
      if (typeof policy[name] !== 'boolean') fail(`policy.${name}`, 'must be true or false')
      config.policy[field] = policy[name] as boolean
    }
    const targets = policy['allowed-dump-targets']
    if (targets !== undefined) {
      if (!Array.isArray(targets) || targets.some((t) => typeof t !== 'string' || !TARGETS.includes(t))) {
        fail('policy.allowed-dump-targets', `must be a list of: ${TARGETS.join(', ')}`)
      }
      config.policy.allowedDumpTargets = targets as string[]
    }
  }
  return config
}

/** YYYY-MM-DD names a day that exists (2099-02-31 does not: Date would roll it over to March). */
function realDate(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`)
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text
}

/** Hostname globs (`*`, `?`, `[0-9]`), case-insensitive: the same matcher as `--limit` (src/util/glob.ts). */
export function hostMatches(pattern: string, hostname: string): boolean {
  return compileGlob(pattern, {caseInsensitive: true}).test(hostname)
}
