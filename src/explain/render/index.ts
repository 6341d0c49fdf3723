import type {ExplainResult} from '../result.js'
import {renderMarkdown} from './markdown.js'
import {renderText} from './text.js'

export const EXPLAIN_FORMATS = ['text', 'json', 'markdown'] as const
export type ExplainFormat = (typeof EXPLAIN_FORMATS)[number]

export function renderExplain(result: ExplainResult, format: ExplainFormat, options: {width?: number} = {}): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`
  if (format === 'markdown') return renderMarkdown(result)
  return renderText(result, options)
}
