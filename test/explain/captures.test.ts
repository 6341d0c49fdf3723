/**
 * Class 3 of issue 11: console captures as they really look. Every real log in the corpus (fixtures/real-world/*\/log,
 * fixtures/incident) is rewritten the way serial consoles, IPMI/BMC captures, /dev/kmsg copies and mail replies
 * rewrite it (CRLF, NUL padding, ANSI colour, printk levels, caller ids, leading blanks, mail quote markers, a Xen line
 * landing in the middle of a dom0 line), and explain must tell the same story as on the clean copy: same outcome,
 * vmcore, first broken link and causes. A real crash log must never come out as "No kernel crash found".
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {classifyLine} from '../../src/explain/classify.js'
import {explainInputs} from '../../src/explain/explain.js'
import {detectLine, interleavedXenAt} from '../../src/explain/line-format.js'
import type {ExplainResult} from '../../src/explain/result.js'

const root = path.resolve(import.meta.dirname, '../../fixtures')
const corpus = path.join(root, 'real-world')

/** Each log set a user would pass to explain in one run. */
const sets: {name: string; files: string[]}[] = [
  {name: 'incident', files: readdirSync(path.join(root, 'incident')).sort().map((f) => path.join(root, 'incident', f)).filter((f) => statSync(f).isFile())},
  ...readdirSync(corpus)
    .filter((d) => statSync(path.join(corpus, d)).isDirectory() && statSync(path.join(corpus, d, 'log'), {throwIfNoEntry: false})?.isDirectory())
    .sort()
    .map((d) => ({name: d, files: readdirSync(path.join(corpus, d, 'log')).sort().map((f) => path.join(corpus, d, 'log', f))})),
]

const DMESG = /^\[\s*\d+\.\d+\] /
const EARLIER_BOOT = [
  '[    0.000000] Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 (2023-09-29)',
  '[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-13-amd64 root=/dev/sda1 ro quiet',
  '[    0.004000] DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014',
  '[    1.234567] systemd[1]: Started Journal Service.',
  '[    2.345678] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro. Quota mode: none.',
  '[  812.345678] reboot: Restarting system',
]
type Rewrite = (lines: string[]) => string[]
/** `console`: only for a set that is one console capture (stamping a ps listing, or a reboot in one of several inputs, changes the story rightly). */
const rewrites: Record<string, {rewrite: Rewrite; eol?: string; console?: boolean}> = {
  crlf: {rewrite: (l) => l, eol: '\r\n'},
  'serial \\r\\r': {rewrite: (l) => l, eol: '\r\r\n'},
  'NUL padding': {rewrite: (l) => l.map((x, i) => (i % 3 === 0 && x.length > 8 ? `\0\0${x}` : x))},
  'ANSI colour': {rewrite: (l) => l.map((x, i) => (i % 2 === 0 && x !== '' ? `\x1b[0;32m${x}\x1b[0m` : x))},
  'printk levels': {rewrite: (l) => l.map((x) => (DMESG.test(x) ? `<4>${x}` : x))},
  'printk caller ids': {rewrite: (l) => l.map((x, i) => x.replace(DMESG, (m) => `${m.trimEnd()}[ T${100 + (i % 7)}] `))},
  'indented paste': {rewrite: (l) => l.map((x) => (x === '' ? x : `  ${x}`))},
  // A shared console: Xen's line lands in the middle of the dom0 line before it (no line end between them).
  'Xen line inside a dom0 line': {
    rewrite: (l) => {
      const out: string[] = []
      for (const x of l) {
        const prev = out.at(-1)
        if (x.startsWith('(XEN) ') && prev !== undefined && DMESG.test(prev) && !prev.includes('(XEN)')) out[out.length - 1] = prev + x
        else out.push(x)
      }
      return out
    },
  },
  // A capture tool that breaks lines at its terminal's width (80 columns).
  'broken at 80 columns': {rewrite: (l) => l.flatMap((x) => (x.length <= 80 ? [x] : (x.match(/[^]{1,80}/g) ?? [x])))},
  // printk time stamps on a copy that had none (dmesg's own lines; Xen's lines and shell lines keep theirs).
  'dmesg time stamps added': {console: true, rewrite: (l) => l.map((x, i) => (detectLine(x).format === 'text' && x.trim() !== '' && !/^[#$]/.test(x) ? `[${String(100 + i / 1000).padStart(12)}] ${x}` : x))},
  // Text from an earlier boot before the capture: the kernel's boot lines of a host that did not crash then.
  'an earlier boot before it': {console: true, rewrite: (l) => [...EARLIER_BOOT, ...l]},
  'mail quote': {rewrite: (l) => l.map((x) => `> ${x}`)},
  'quoted twice': {rewrite: (l) => l.map((x) => `> > ${x}`)},
}

const work = mkdtempSync(path.join(tmpdir(), 'kdc-captures-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

function story(r: ExplainResult) {
  return {
    outcome: r.verdict.outcome,
    vmcore: r.verdict.vmcore,
    broken: r.verdict.first_broken_link?.link ?? null,
    crash: r.verdict.crash !== null,
    causes: r.causes.map((c) => c.id).sort(),
  }
}

async function explainRewritten(files: string[], tag: string, rewrite: Rewrite, eol = '\n'): Promise<ExplainResult> {
  const dir = mkdtempSync(path.join(work, 'set-'))
  const out = files.map((f) => {
    const lines = readFileSync(f, 'latin1').split(/\r?\n/)
    const target = path.join(dir, path.basename(f))
    writeFileSync(target, Buffer.from(rewrite(lines).join(eol), 'latin1'))
    return target
  })
  void tag
  return explainInputs(out)
}

describe('explain reads captures as they really look (issue 11, class 3)', () => {
  it('has real logs to rewrite', () => {
    expect(sets.length).toBeGreaterThanOrEqual(10)
  })

  for (const set of sets) {
    describe(set.name, () => {
      let clean: ReturnType<typeof story>
      beforeAll(async () => {
        clean = story(await explainInputs(set.files))
      })
      for (const [name, {rewrite, eol, console}] of Object.entries(rewrites)) {
        it.skipIf(console === true && set.files.length > 1)(name, async () => {
          const got = story(await explainRewritten(set.files, name, rewrite, eol))
          expect(got).toEqual(clean)
        })
      }
    })
  }
})

describe('lines as captures write them', () => {
  const panic = {kind: 'panic', reason: 'Fatal exception'}
  const kexec = {kind: 'xen-crash'}
  it.each([
    ['<0>Kernel panic - not syncing: Fatal exception', panic],
    ['<4>[   12.345] Kernel panic - not syncing: Fatal exception', panic],
    ['[   12.345678][ T1234] Kernel panic - not syncing: Fatal exception', panic],
    ['[   12.345678] [ T1234] Kernel panic - not syncing: Fatal exception', panic],
    ['[   12.345678][    C1] Kernel panic - not syncing: Fatal exception', panic],
    ['   [   12.345678] Kernel panic - not syncing: Fatal exception', panic],
    ['> [  100.1] Kernel panic - not syncing: Fatal exception', panic],
    ['  (XEN) Hardware Dom0 crashed: Executing kexec image on cpu5', kexec],
    ['> > (XEN) Hardware Dom0 crashed: Executing kexec image on cpu5', kexec],
    ['>> (XEN) Hardware Dom0 crashed: Executing kexec image on cpu5', kexec],
    ['\t(XEN) Hardware Dom0 crashed: Executing kexec image on cpu5', kexec],
    ['2016-12-17 00:21:07\t  (XEN) Hardware Dom0 crashed: Executing kexec image on cpu5', kexec],
  ])('%j', (line, want) => {
    expect(classifyLine(detectLine(line))).toMatchObject(want)
  })

  it('keeps the blank that marks a bare call-trace frame', () => {
    expect(detectLine('  ? send_prio_char+0x1c/0x9b').text).toMatch(/^\s/)
  })

  it('finds a Xen line written into the middle of a dom0 line, and only there', () => {
    const dom0 = '[  100.1] Kernel panic - not syncing: sysrq triggered crash'
    const xen = "(XEN) Hardware Dom0 crashed: 'noreboot' set - not rebooting."
    expect(interleavedXenAt(dom0 + xen)).toBe(dom0.length)
    // Xen's line under a console stamp is one line, not two.
    expect(interleavedXenAt(`2016-12-17 00:21:08\t${xen}`)).toBe(-1)
    expect(interleavedXenAt(xen)).toBe(-1)
  })

  it('arm64 and LoongArch hand-offs are the kernel jumping to its capture kernel', () => {
    expect(classifyLine(detectLine('[  123.4] Starting crashdump kernel...'))).toMatchObject({kind: 'kexec-handoff'})
    expect(classifyLine(detectLine('[  123.5] Bye!'))).toMatchObject({kind: 'kexec-handoff'})
    expect(classifyLine(detectLine('Bye! said the operator'))).toBeUndefined()
  })

  it('a prefix a capture adds never hides the line under it (fast-check)', () => {
    const lines = ['Kernel panic - not syncing: Fatal exception', '(XEN) Hardware Dom0 crashed: Executing kexec image on cpu5', "(XEN) Domain 0 crashed: 'noreboot' set - not rebooting."]
    fc.assert(
      fc.property(
        fc.constantFrom(...lines),
        fc.constantFrom('', '> ', '> > ', '  ', '\t'),
        fc.constantFrom('', '<0>', '<4>'),
        fc.constantFrom('', '[   12.345678] ', '[ 5.1][ T42] '),
        fc.constantFrom('', '\r', '\r\r'),
        (line, quote, level, stamp, eol) => {
          // printk levels and stamps belong to kernel lines; Xen's lines carry their own prefix.
          const body = line.startsWith('(XEN)') ? line : `${level}${stamp}${line}`
          const clean = classifyLine(detectLine(line))
          expect(classifyLine(detectLine(`${quote}${body}${eol}`))).toEqual(clean)
        },
      ),
      {numRuns: 400},
    )
  })
})

describe('a whole capture with a Xen line inside a dom0 line', () => {
  it("reads Xen's 'noreboot' verdict that landed in the middle of dom0's panic line", async () => {
    // The incident's console (fixtures/incident/console-oob.log), as a console shared by Xen and dom0 writes it when
    // Xen's line arrives before dom0's line end.
    const dir = mkdtempSync(path.join(work, 'inter-'))
    const file = path.join(dir, 'console.log')
    writeFileSync(
      file,
      [
        '2016-12-17 00:21:07\tSysRq : Trigger a crash',
        '2016-12-17 00:21:07\tBUG: unable to handle kernel NULL pointer dereference at (null)',
        "2016-12-17 00:21:08\tKernel panic - not syncing: Fatal exception(XEN) Domain 0 crashed: 'noreboot' set - not rebooting.",
        '',
      ].join('\n'),
    )
    const r = await explainInputs([file])
    expect(r.verdict).toMatchObject({outcome: 'nothing-loaded', vmcore: 'not-written', host_after_crash: 'halted'})
  })
})

describe('MailDecoder', () => {
  it('is total and never joins past its bound (fast-check)', async () => {
    const {MailDecoder} = await import('../../src/explain/mail.js')
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('Content-Transfer-Encoding: quoted-printable', '> (XEN) Panic on CPU 0:=', '=0A=', '=3D=', '--nextPart12345678', 'x'.repeat(70) + '='), fc.string({maxLength: 80})), {maxLength: 60}), (lines) => {
        const d = new MailDecoder()
        const out = lines.flatMap((l, i) => d.feed(l, i + 1)).concat(d.finish())
        for (const l of out) expect(l.text.length).toBeLessThan(64 * 1024 + 100)
      }),
      {numRuns: 300},
    )
  })
})

describe('WrapJoiner: lines a capture tool broke at its terminal width', () => {
  const run = async (lines: string[]) => {
    const {WrapJoiner} = await import('../../src/explain/wrap.js')
    const j = new WrapJoiner()
    return lines.flatMap((l, i) => j.feed(l, i + 1)).concat(j.flush())
  }
  const cut = (line: string, width = 80) => line.match(new RegExp(`[^]{1,${width}}`, 'g'))!

  it("joins a framed line's pieces, however many, and keeps the first piece's line number", async () => {
    // The SUSE cheat sheet's capture kernel command line (fixtures/real-world/suse-xen-cheatsheet-kdump-serial).
    const line = '[    0.000000][    T0] Command line: barrier=off mitigations=auto security=apparmor console=xvc0,115200,8n1 earlyprintk=xen sysrq=yes reset_devices acpi_no_memhotplug cgroup_disable=memory nokaslr numa=off irqpoll nr_cpus=1 elfcorehdr=0x12345678'
    expect(await run(['before', ...cut(line), 'after'])).toEqual([
      {text: 'before', lineNo: 1},
      {text: line, lineNo: 2},
      {text: 'after', lineNo: 2 + cut(line).length},
    ])
  })

  it("joins an ls -l row whose path the break cut", async () => {
    const row = '-rw------- 1 root root 554122716 Apr 12 14:28 /kdump/mnt0/var/crash/2024-04-12-14:27/vmcore'
    expect((await run(cut(row))).map((l) => l.text)).toEqual([row])
  })

  it('never glues a line that means something alone onto another', async () => {
    const framed = `[  123.456789] ${'x'.repeat(80 - 15)}`
    expect(framed).toHaveLength(80)
    expect((await run([framed, 'makedumpfile Failed.'])).map((l) => l.text)).toEqual([framed, 'makedumpfile Failed.'])
    expect((await run([framed, '[  123.5] next'])).map((l) => l.text)).toEqual([framed, '[  123.5] next'])
  })

  it('never loses, adds or reorders a character, and keeps every line that means something alone (fast-check)', async () => {
    const {WrapJoiner} = await import('../../src/explain/wrap.js')
    const piece = fc.oneof(
      fc.constantFrom('[  123.456789] ', '(XEN) ', '-rw------- 1 root root 5 Apr 12 14:28 /var/crash/', 'makedumpfile Failed.', 'Kernel panic - not syncing: x', ''),
      fc.string({maxLength: 90}),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, fc.constantFrom(0, 80, 100, 132)), {maxLength: 30}), (spec) => {
        // pad some lines to exactly a terminal width, as a capture tool's break leaves them
        const lines = spec.map(([p, w]) => (w > 0 && p.length < w ? p.padEnd(w, 'x') : p).replace(/[\r\n]/g, ''))
        const j = new WrapJoiner()
        const out = lines.flatMap((l, i) => j.feed(l, i + 1)).concat(j.flush())
        expect(out.map((l) => l.text).join('')).toBe(lines.join(''))
        for (const l of out) expect(l.lineNo).toBeGreaterThanOrEqual(1)
        for (const meaningful of lines.filter((l) => l === 'makedumpfile Failed.')) expect(out.some((o) => o.text.endsWith(meaningful) && o.text === meaningful)).toBe(true)
      }),
      {numRuns: 500},
    )
  })

  it('leaves unframed text of any width alone', async () => {
    const plain = 'p'.repeat(80)
    expect((await run([plain, 'q'])).map((l) => l.text)).toEqual([plain, 'q'])
  })
})
