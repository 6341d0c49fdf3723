/**
 * /etc/kdump.conf directives (`core_collector makedumpfile -l -d 31`, `path /var/crash`): one
 * directive per line, `#` starts a comment. The last active line of a directive is the one kdumpctl
 * uses; it is rewritten in place (its indentation kept). Without one, the directive goes after the
 * last commented-out example (`#core_collector ...`), else at the end.
 */
import {splitLines, joinLines, dominantEol} from '../text.js'

export function setDirective(text: string, name: string, value: string): string {
  const lines = splitLines(text)
  const active = new RegExp(`^(\\s*)${name}(\\s+|$)`)
  const example = new RegExp(`^\\s*#\\s*${name}(\\s|$)`)
  let last = -1
  let sample = -1
  lines.forEach((l, i) => {
    if (active.test(l.text)) last = i
    else if (example.test(l.text)) sample = i
  })
  if (last >= 0) {
    const indent = active.exec(lines[last]!.text)![1]!
    const next = `${indent}${name} ${value}`
    if (lines[last]!.text === next) return text
    lines[last] = {...lines[last]!, text: next}
    return joinLines(lines)
  }
  const eol = dominantEol(text)
  const line = {text: `${name} ${value}`, eol}
  if (sample >= 0) {
    const at = sample + 1
    if (lines[sample]!.eol === '') lines[sample] = {...lines[sample]!, eol}
    const out = [...lines.slice(0, at), line, ...lines.slice(at)]
    if (at === lines.length) out[out.length - 1] = {...line, eol: ''}
    return joinLines(out)
  }
  if (lines.length > 0 && lines[lines.length - 1]!.eol === '') lines[lines.length - 1] = {...lines[lines.length - 1]!, eol}
  return joinLines([...lines, line])
}
