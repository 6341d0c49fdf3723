/**
 * KD500 (and KD106 when the next boot would add noreboot): Xen's `noreboot`, `noreboot=<true>`,
 * `no-noreboot=<false>` and the `n` item of `reboot=` come off the next boot's Xen line, so that a
 * crash that is not dumped reboots the host instead of halting it.
 */
import {parseCmdline, xenNoReboot, xenParseBool} from '../../parsers/cmdline.js'
import {REBOOT, type FixContext} from '../context.js'
import {regenerate} from './crashkernel.js'

/** The word without what makes Xen halt; undefined drops the word. */
export function withoutNoreboot(word: string): string | undefined {
  const eq = word.indexOf('=')
  const key = eq < 0 ? word : word.slice(0, eq)
  const value = eq < 0 ? undefined : word.slice(eq + 1)
  if (key === 'reboot' && value !== undefined) {
    const items = value.split(',')
    const kept = items.filter((i) => !i.startsWith('n'))
    if (kept.length === items.length) return word
    return kept.length === 0 ? undefined : `reboot=${kept.join(',')}`
  }
  if (key === 'noreboot') return value === undefined || value === '' || xenParseBool(value) === true ? undefined : word
  if (key === 'no-noreboot') return value !== undefined && xenParseBool(value) === false ? undefined : word
  return word
}

const haltsXen = (word: string): boolean => withoutNoreboot(word) !== word

export function fixNoreboot(ctx: FixContext): void {
  const kd500 = ctx.problem('KD500')
  const kd106 = ctx.problem('KD106')
  const boot = ctx.view.nextBoot
  const next = boot.known ? boot.value.xenLine : undefined
  const nextHalts = next ? xenNoReboot(next.parsed).noreboot : false
  if (!kd500 && !(kd106 && nextHalts)) return
  const ids = [kd500?.id, kd106 && nextHalts ? kd106.id : undefined].filter((x): x is string => x !== undefined)
  if (!ctx.view.xenDom0) return
  if (!ctx.boot) {
    for (const id of ids) ctx.person(id, 'The next boot\'s configuration is not in the evidence: remove noreboot from the Xen line by hand.')
    return
  }
  const result = ctx.boot.edit(ctx.ws, 'xen', [{kind: 'map', match: haltsXen, map: withoutNoreboot}])
  if (!result.ok) {
    for (const id of ids) ctx.person(id, `noreboot should come off the Xen line, but ${result.reason}.`)
    return
  }
  const left = next ? parseCmdline(next.text, 'xen') : undefined
  const removed = left?.ok ? left.value.tokens.filter((t) => haltsXen(t.raw)).map((t) => t.raw) : []
  ctx.item({
    findings: ids,
    summary: result.paths.length > 0 ? `${removed.join(' ') || 'noreboot'} off the Xen line of the next boot` : `the next boot's Xen line no longer halts: ${ctx.live ? 'reboot to activate it' : 'nothing to edit'}`,
    details: [
      ...(result.where.length > 0 ? [`Removed from ${result.where.join('; ')}.`] : []),
      'Without noreboot, Xen reboots the host after a crash it cannot hand to a capture kernel, instead of leaving it halted until an out-of-band reset. (To keep a halted host on purpose, waive KD500 with allow-noreboot: true instead.)',
    ],
    paths: result.paths,
    repairs: ctx.live ? [] : kd500 ? ['KD500'] : [],
    repairsAfterActivation: ctx.live ? ids : [],
    activation: ctx.live ? [...regenerate(ctx), REBOOT] : [],
  })
}
