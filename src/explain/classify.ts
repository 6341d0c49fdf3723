/**
 * One line in, at most one signal out. Chooses the classifiers by who printed the line: Xen's
 * console, a syslog program, a typed command, or an unknown console (where kernel, tool and
 * command-output wordings are all tried). Pure and total: a classifier bug costs one line, never the run.
 */
import type {LineInfo} from './line-format.js'
import {classifyKdump} from './patterns/kdump.js'
import {classifyKernel} from './patterns/kernel.js'
import {classifyProcps} from './patterns/procps.js'
import {parseCommand, parseSudoLog} from './patterns/shell.js'
import {classifyXen, classifyXlInfo} from './patterns/xen.js'
import type {Signal} from './signals.js'

const KDUMP_PROGRAMS = /^(?:kdump|kexec|makedumpfile|dracut|vmcore-dmesg|mkdumprd)/i
const SYSTEMD_KDUMP_FAILED = /^kdump(?:-tools)?\.service: (?:Main process exited, code=exited, status=\d+\/FAILURE|Failed with result)/

export function classifyLine(info: LineInfo): Signal | undefined {
  try {
    return classify(info)
  } catch {
    return undefined
  }
}

function classify(info: LineInfo): Signal | undefined {
  const text = info.text
  if (info.format === 'blank') return undefined
  if (info.command) return {kind: 'command', command: parseCommand(text)}
  if (info.format === 'journal-marker') return /^-- (?:Boot|Reboot)/.test(text) ? {kind: 'journal-boot'} : undefined
  if (info.origin === 'xen') return classifyXen(text)
  if (info.origin === 'program') {
    // Most lines of a big syslog come from other programs: decide on the name without allocating.
    const program = info.program ?? ''
    if (program === 'kernel') return classifyKernel(text) ?? (text.includes('kdump') || text.includes('vmcore') ? classifyKdump(text) : undefined)
    if (program === 'sudo') {
      const command = parseSudoLog(text)
      return command ? {kind: 'command', command} : undefined
    }
    if (KDUMP_PROGRAMS.test(program)) return classifyKdump(text)
    if (program === 'systemd' && text.startsWith('kdump') && SYSTEMD_KDUMP_FAILED.test(text)) return {kind: 'kdump-status', ready: false, detail: text}
    return undefined
  }
  return classifyKernel(text) ?? classifyKdump(text) ?? classifyXlInfo(text) ?? classifyProcps(text)
}
