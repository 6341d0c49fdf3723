import {ALL_CHECKS} from '../../checks/index.js'
import {InputError} from '../../errors.js'
import {escapeJsonText, safeYaml} from '../../util/terminal.js'
import {PACKAGE_ROOT, VERSION} from '../../version.js'
import type {Report} from '../report.js'
import {renderJunit} from './junit.js'
import {renderPrometheus} from './prometheus.js'
import {renderSarif} from './sarif.js'
import {renderText} from './text.js'

export const FORMATS = ['text', 'json', 'yaml', 'junit', 'sarif', 'prometheus'] as const
export type Format = (typeof FORMATS)[number]

export interface RenderOptions {
  color: boolean
  verbose?: boolean
  /** Text only: the columns to wrap to, and one finding in full instead of the report. */
  width?: number
  details?: string
  failOnWarning?: boolean
  now?: Date
}

/** One host's report in any format. Multi-host renderers (scan) call the list forms directly. */
export async function renderReport(report: Report, format: Format, options: RenderOptions): Promise<string> {
  if (options.details !== undefined && format !== 'text') throw new InputError('--details shows one finding as text; the other formats always carry every finding')
  switch (format) {
    case 'text':
      return renderText(report, options)
    case 'json':
      // DEL, C1 and bidi controls from evidence are written as \uXXXX: the same JSON value, terminal-safe.
      return escapeJsonText(JSON.stringify(report, null, 2))
    case 'yaml':
      // Loaded on demand: the yaml module costs as much start-up time as the rest of the CLI.
      // No anchors: each finding reads whole on its own, whatever evidence it shares with another.
      return safeYaml(report)
    case 'junit':
      return renderJunit([report], options)
    case 'sarif':
      return renderSarif([report], {rules: ALL_CHECKS.map((c) => c.meta), packageRoot: PACKAGE_ROOT, version: VERSION})
    case 'prometheus':
      return renderPrometheus([report], {now: options.now ?? new Date(), hostLabel: false})
    default:
      throw new InputError(`unknown format ${JSON.stringify(format)}`)
  }
}
