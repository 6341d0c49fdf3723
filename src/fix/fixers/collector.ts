/**
 * KD406 and KD403: a dump collector that can read the vmcore and does not keep every page.
 * - Xen dom0, filtering with -d 2 or more and no -x/-i (KD406): makedumpfile needs the dom0
 *   kernel's VMCOREINFO, which a Xen vmcore lacks, and writes nothing. The lab-proven collector is
 *   `-E -X -d 0`: ELF output, the guests' pages dropped, no page-type filtering.
 * - Xen dom0 keeping the guests' memory (KD403): add -X.
 * - A native host that does not filter (KD403): -d 31, compressed.
 * Other options the host set (--message-level, -F) are kept. Debian: MAKEDUMP_ARGS in
 * /etc/default/kdump-tools; RHEL: core_collector in /etc/kdump.conf; SUSE: KDUMP_DUMPLEVEL.
 */
import {parseMakedumpfileArgs, type Collector} from '../../parsers/makedumpfile-args.js'
import {parseShellVars} from '../../parsers/shell-vars.js'
import {addAssignment, assignmentSites, setAssignmentValue} from '../editors/shell-assign.js'
import {setDirective} from '../editors/kdump-conf.js'
import type {FixContext} from '../context.js'
import {restartService} from './service.js'

const REPLACED = new Set(['d', 'c', 'l', 'p', 'z', 'E', 'X'])

/** makedumpfile options rebuilt with the ones kdumpcheck decides (dump level, format, -X) replaced. */
export function collectorArgs(c: Collector, want: {elf: boolean; xen: boolean; level: number}, drop: readonly string[] = []): string {
  const kept = c.options
    .filter((o) => !REPLACED.has(o.name) && !drop.includes(o.name))
    .map((o) => (o.name.length === 1 ? `-${o.name}${o.value !== undefined ? ` ${o.value}` : ''}` : `--${o.name}${o.value !== undefined ? `=${o.value}` : ''}`))
  const format = want.elf ? ['-E'] : [c.compression === 'lzo' ? '-l' : c.compression === 'snappy' ? '-p' : c.compression === 'zstd' ? '-z' : '-c']
  return [...format, ...(want.xen ? ['-X'] : []), ...kept, '-d', String(want.level), ...c.positional].join(' ')
}

export function fixCollector(ctx: FixContext): void {
  const kd406 = ctx.problem('KD406')
  const kd403 = ctx.problem('KD403')
  if (!kd406 && !kd403) return
  const ids = [kd406?.id, kd403?.id].filter((x): x is string => x !== undefined)
  const v = ctx.view
  const plan = v.facts.dumpPlan
  const c = plan.known ? plan.value.collector?.collector : undefined
  if (!plan.known || !c) {
    for (const id of ids) ctx.person(id, 'The dump collector could not be read: set it by hand (see the finding).')
    return
  }
  if (c.kind !== 'makedumpfile') {
    for (const id of ids) ctx.person(id, `The collector is ${c.program}, not makedumpfile: choose one by hand (on Xen: makedumpfile -E -X -d 0).`)
    return
  }
  const xen = v.xenDom0
  const level = xen ? (kd406 ? 0 : Math.min(...(c.dumpLevels.length > 0 ? c.dumpLevels : [0]))) : kd403 ? 31 : (c.dumpLevels.at(0) ?? 31)
  const want = {elf: xen ? kd406 !== undefined || c.elf : c.elf, xen: xen || c.xenFilter, level}
  // Debian's kdump-config adds -F itself (the lab's dump was a flattened stream); MAKEDUMP_ARGS does not repeat it.
  const args = collectorArgs(c, want, plan.value.family === 'debian' ? ['F'] : [])
  const details = xen
    ? [
        ...(kd406 ? ['-d 0 and -E: a Xen vmcore has no dom0 VMCOREINFO, so makedumpfile cannot filter by page type without -x/-i; this is the collector that wrote a vmcore in the lab (Linux 6.1, Xen 4.17).'] : []),
        '-X drops the guests\' pages: the dump holds dom0 and Xen.',
      ]
    : ['-d 31 drops cache, user and free pages; the dump stays compressed.']
  if (plan.value.family === 'debian') {
    const file = '/etc/default/kdump-tools'
    const text = ctx.ws.read(file)
    if (text === undefined) {
      for (const id of ids) ctx.person(id, `${file} is not in the evidence: set MAKEDUMP_ARGS="${args}" by hand.`)
      return
    }
    const vars = parseShellVars(text)
    const current = vars.ok ? vars.value.vars.MAKEDUMP_ARGS : undefined
    if (current && (current.conditional || current.unevaluated)) {
      for (const id of ids) ctx.person(id, `${file}:${current.line}: MAKEDUMP_ARGS is set ${current.conditional ? 'under a condition' : 'from a command'}: set it to "${args}" by hand.`)
      return
    }
    const site = current ? assignmentSites(text, 'MAKEDUMP_ARGS').find((s) => s.line === current.line) : undefined
    ctx.ws.write(file, site ? setAssignmentValue(text, site, args) : addAssignment(text, 'MAKEDUMP_ARGS', args))
    ctx.item({findings: ids, summary: `MAKEDUMP_ARGS="${args}" in ${file}`, details, paths: [file], repairs: ids, activation: ctx.live ? restartService(v) : []})
    return
  }
  if (plan.value.family === 'rhel') {
    const file = '/etc/kdump.conf'
    const text = ctx.ws.read(file)
    if (text === undefined) {
      for (const id of ids) ctx.person(id, `${file} is not in the evidence: set \`core_collector makedumpfile ${args}\` by hand.`)
      return
    }
    const program = c.path || 'makedumpfile'
    ctx.ws.write(file, setDirective(text, 'core_collector', `${program} ${args}`))
    ctx.item({findings: ids, summary: `core_collector ${program} ${args} in ${file}`, details, paths: [file], repairs: ids, activation: ctx.live ? restartService(v) : []})
    return
  }
  if (plan.value.family === 'suse') {
    const file = '/etc/sysconfig/kdump'
    const text = ctx.ws.read(file)
    if (text === undefined) {
      for (const id of ids) ctx.person(id, `${file} is not in the evidence: set KDUMP_DUMPLEVEL by hand.`)
      return
    }
    const vars = parseShellVars(text)
    const current = vars.ok ? vars.value.vars.KDUMP_DUMPLEVEL : undefined
    const site = current ? assignmentSites(text, 'KDUMP_DUMPLEVEL').find((s) => s.line === current.line) : undefined
    ctx.ws.write(file, site ? setAssignmentValue(text, site, String(level)) : addAssignment(text, 'KDUMP_DUMPLEVEL', String(level)))
    ctx.item({findings: ids, summary: `KDUMP_DUMPLEVEL="${level}" in ${file}`, details: [...details, "SUSE's kdump adds -X itself on Xen."], paths: [file], repairs: ids, activation: ctx.live ? restartService(v) : []})
    return
  }
  for (const id of ids) ctx.person(id, 'This kdump service\'s collector is not configurable by kdumpcheck fix.')
}

export {parseMakedumpfileArgs}
