/**
 * The finding vocabulary shared by the checks, the engine in report/, and the configuration (severity
 * overrides): how bad a problem is and what a finding's status is. Imports nothing, so every layer may use it.
 */
export type Severity = 'error' | 'warning' | 'info'
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']

/** `fail` only for error severity, `warn` for warning, `info` for info (ARCHITECTURE.md, Verdicts). */
export type Status = 'fail' | 'warn' | 'pass' | 'info' | 'unknown' | 'n/a'

/**
 * Every check ID in the catalogue, for the configuration to refuse a waiver or an override for a check
 * that does not exist (KD999) without importing the checks. test/check-ids.test.ts holds it equal to
 * the catalogue (src/checks/index.ts).
 */
export const CHECK_IDS: readonly string[] = [
  'KD100', 'KD101', 'KD102', 'KD103', 'KD104', 'KD105', 'KD106', 'KD107',
  'KD200', 'KD201', 'KD202', 'KD203', 'KD204', 'KD205', 'KD206',
  'KD300', 'KD301', 'KD302', 'KD303', 'KD304',
  'KD400', 'KD401', 'KD402', 'KD403', 'KD404', 'KD405', 'KD406',
  'KD500', 'KD501', 'KD502', 'KD503', 'KD504', 'KD505',
  'KD600', 'KD601', 'KD602', 'KD603',
]
