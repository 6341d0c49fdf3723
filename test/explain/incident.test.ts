/**
 * The incident that started the project (fixtures/incident, real evidence): explain must tell the
 * story its README reasons out, from the same files a user would pass (`explain incident/*`).
 */
import {readdirSync} from 'node:fs'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {explainInputs} from '../../src/explain/explain.js'
import {renderMarkdown} from '../../src/explain/render/markdown.js'
import {renderText} from '../../src/explain/render/text.js'
import type {ExplainResult} from '../../src/explain/result.js'

const dir = path.resolve(import.meta.dirname, '../../fixtures/incident')
const files = readdirSync(dir).sort().map((f) => path.join(dir, f))

let r: ExplainResult
beforeAll(async () => {
  r = await explainInputs(files)
})

const find = (kind: string, where: (t: ExplainResult['timeline'][number]) => boolean = () => true) => r.timeline.find((t) => t.kind === kind && where(t))
const cause = (id: string) => r.causes.find((c) => c.id === id)

describe('the incident', () => {
  it('verdict: no capture kernel ran, because none was loaded; the host halted', () => {
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', vmcore: 'not-written', dump_attempted: true, capture_kernel_ran: false, host_after_crash: 'halted'})
    expect(r.exit_code).toBe(1)
    expect(r.verdict.first_broken_link?.link).toBe('image')
    expect(r.verdict.crash).toMatchObject({file: expect.stringMatching(/console-oob\.log$/), line: 39})
    // The region cannot be judged from these files, and explain says so rather than guessing.
    expect(r.chain.find((l) => l.link === 'region')?.status).toBe('unknown')
  })

  it('the 22:26 Oops in fsnotify_create_event, comm tdc_admin, taint P W decoded, did not panic', () => {
    const oops = find('oops', (t) => t.details.fn === 'fsnotify_create_event')!
    expect(oops.file).toMatch(/messages\.log$/)
    expect(oops.time).toEqual({text: 'Dec 16 22:26:02', iso: '2016-12-16T22:26:02', inferred: 'year'})
    expect(oops.details).toMatchObject({comm: 'tdc_admin', pid: 17118, number: 1, induced: false, release: '2.6.32.36-houyi.0.2.0.8.release2629463.el5xen'})
    expect(oops.details.taint).toEqual([
      {letter: 'P', meaning: 'proprietary module loaded'},
      {letter: 'W', meaning: 'a kernel warning was issued earlier'},
    ])
    expect(oops.also?.[0]?.file).toMatch(/incident-report\.zh\.md$/)
    const c = cause('oops-did-not-panic')!
    expect(c).toMatchObject({role: 'contributing', checks: ['KD502']})
    expect(c.detail).toContain('kernel.panic_on_oops=0')
    expect(c.detail).toContain('#2')
  })

  it('the D-state virsh processes stuck in synchronize_srcu under fsnotify_put_group', () => {
    const d = find('d-state')!
    expect(d.details.count).toBe(25)
    expect(d.details.oldestStart).toBe('22:26')
    expect(d.time).toMatchObject({iso: '2016-12-16T22:26', inferred: 'date'})
    const stacks = r.timeline.filter((t) => t.kind === 'stack')
    expect(stacks.map((s) => s.details.pid)).toEqual([28829, 541, 22507])
    for (const s of stacks) expect((s.details.frames as string[]).slice(0, 3)).toEqual(['synchronize_srcu', 'fsnotify_put_group', 'inotify_release'])
    const hang = cause('hang-did-not-panic')!
    expect(hang.detail).toContain('synchronize_srcu')
    expect(hang.detail).toContain('fsnotify_put_group')
    expect(hang.detail).toContain('1 h 55 min')
    expect(hang.checks).toContain('KD503')
  })

  it('the sysrq trigger at 00:21 by the operator, the panic, then Xen\'s "Domain 0 crashed: \'noreboot\' set"', () => {
    const sysrq = find('sysrq-crash')!
    expect(sysrq.time?.iso).toBe('2016-12-17T00:21:07')
    const trigger = find('command', (t) => (t.details.command as {type: string}).type === 'sysrq-trigger')!
    expect(trigger.file).toMatch(/operator-commands\.txt$/)
    expect(r.facts.trigger?.value).toBe('sysrq-c, by the operator through /proc/sysrq-trigger')
    expect(r.facts.trigger?.basis).toContain('`tee`')
    const induced = find('oops', (t) => t.details.fn === 'sysrq_handle_crash')!
    expect(induced.details).toMatchObject({induced: true, number: 2, comm: 'tee'})
    expect((induced.details.taint as {letter: string}[]).map((t) => t.letter)).toEqual(['P', 'D', 'W'])
    const panic = find('panic')!
    expect(panic).toMatchObject({time: {iso: '2016-12-17T00:21:08'}, details: {reason: 'Fatal exception'}})
    const xen = find('xen-crash')!
    expect(xen.text).toContain("(XEN) Domain 0 crashed: 'noreboot' set - not rebooting.")
    expect(xen.details).toMatchObject({action: 'halt', wording: 'Domain 0'})
  })

  it('orders the story: Oops, D state, top, stacks, the operator, sysrq, panic, Xen', () => {
    const order = r.timeline.map((t) => t.kind)
    const at = (kind: string) => order.indexOf(kind)
    expect(at('oops')).toBeLessThan(at('d-state'))
    expect(at('d-state')).toBeLessThan(at('load'))
    expect(at('load')).toBeLessThan(at('stack'))
    expect(at('stack')).toBeLessThan(at('command'))
    expect(order.lastIndexOf('command')).toBeLessThan(at('sysrq-crash'))
    expect(at('sysrq-crash')).toBeLessThan(at('panic'))
    expect(order.at(-1)).toBe('xen-crash')
    // The pasted copies in the Chinese write-up are merged, not repeated.
    expect(r.timeline.filter((t) => t.kind === 'panic')).toHaveLength(1)
  })

  it('no capture kernel ran, the host halted: root cause and the noreboot cause, with their checks', () => {
    expect(r.causes[0]).toMatchObject({id: 'nothing-loaded', role: 'root'})
    expect(r.causes[0]!.checks).toEqual(expect.arrayContaining(['KD202', 'KD101', 'KD104']))
    expect(r.causes[0]!.detail).toContain('1001 days')
    expect(cause('noreboot-halted')).toMatchObject({role: 'contributing', checks: ['KD500']})
  })

  it('core_pattern (/apsara/dump) was irrelevant; sysrq=1 and unknown_nmi_panic explained', () => {
    const core = cause('core-pattern-is-for-user-space')!
    expect(core).toMatchObject({role: 'note', checks: ['KD405']})
    expect(core.detail).toContain('/apsara/dump')
    expect(core.detail).toContain('user-space')
    expect(core.evidence[0]?.file).toMatch(/operator-commands\.txt$/)
    expect(cause('sysrq-mask-not-needed')?.checks).toEqual(['KD601'])
    expect(cause('unknown-nmi-panic-under-xen')?.checks).toEqual(['KD602'])
  })

  it('the hypervisor was Xen <= 4.5 (its wording), the dom0 a xenolinux el5xen kernel up 1001 days', () => {
    expect(r.facts.xen_version?.value).toBe('<= 4.5')
    expect(r.facts.xen_version?.basis).toContain('Hardware Dom0 crashed:')
    expect(r.facts.dom0_kernel?.value).toBe('2.6.32.36-houyi.0.2.0.8.release2629463.el5xen (xenolinux dom0)')
    expect(r.facts.host_uptime?.value).toBe('1001 days, 6:25')
  })

  it('the README and the write-up quote the strings in prose without creating events', () => {
    const readme = r.inputs.find((i) => i.file.endsWith('README.md'))!
    expect(readme.events).toBe(0)
    expect(r.timeline.every((t) => !t.file.endsWith('README.md'))).toBe(true)
    expect(r.inputs.every((i) => i.unreadable_lines === 0)).toBe(true)
  })

  it('renders as text and Markdown with the quoted evidence lines', () => {
    const text = renderText(r)
    expect(text).toMatch(/^VERDICT: No vmcore: no capture kernel ran, because none was loaded; the host halted\./)
    expect(text).toContain("> console-oob.log:70: 2016-12-17 00:21:08  (XEN) Domain 0 crashed: 'noreboot' set - not rebooting.")
    expect(text).toContain('Oops #1 in fsnotify_create_event (comm tdc_admin, pid 17118; tainted P W)')
    const md = renderMarkdown(r)
    expect(md).toContain('## Crash dump: no capture kernel loaded')
    expect(md).toContain('#### Root cause: No capture kernel was loaded, so none ran')
    expect(md).toContain('| Xen version | <= 4.5')
    // Pipes are escaped inside tables only.
    expect(md).toContain("| `operator-commands.txt:4` `echo c \\| sudo tee /proc/sysrq-trigger` |")
    expect(md).toContain("- `operator-commands.txt:1` `echo '/apsara/dump/core_%e.%p' | sudo tee /proc/sys/kernel/core_pattern`")
  })
})
