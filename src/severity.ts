/**
 * The finding vocabulary shared by the checks, the engine in report/, and the configuration (severity
 * overrides): how bad a problem is and what a finding's status is. Imports nothing, so every layer may use it.
 */
export type Severity = 'error' | 'warning' | 'info'
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info']

/** `fail` only for error severity, `warn` for warning, `info` for info (ARCHITECTURE.md, Verdicts). */
export type Status = 'fail' | 'warn' | 'pass' | 'info' | 'unknown' | 'n/a'
