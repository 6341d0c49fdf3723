import {InputError} from '../../errors.js'
import type {Report} from '../report.js'
import {renderText, type TextOptions} from './text.js'

export const FORMATS = ['text', 'json'] as const
export type Format = (typeof FORMATS)[number]

export function renderReport(report: Report, format: Format, options: TextOptions): string {
  switch (format) {
    case 'text':
      return renderText(report, options)
    case 'json':
      return JSON.stringify(report, null, 2)
    default:
      throw new InputError(`unknown format ${JSON.stringify(format)}`)
  }
}
