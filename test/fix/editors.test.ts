/**
 * The editors `fix` is built on: pure functions text -> text. Each keeps every byte it does not mean
 * to change (comments, order, quoting, spacing, line endings), is total on any input, and is
 * idempotent; what they write reads back, through sh and grub's lexer, as the value meant.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {extlinuxAppendPart, grubCfgArgs, grubLegacyArgs} from '../../src/fix/editors/boot-lines.js'
import {setDirective} from '../../src/fix/editors/kdump-conf.js'
import {addAssignment, assignmentSites, editAssignmentWords, grubEncode, grubLiteral, setAssignmentValue} from '../../src/fix/editors/shell-assign.js'
import {editWords, verbatimWords, type WordOp} from '../../src/fix/editors/words.js'
import {diffLines, fileDiff} from '../../src/fix/diff.js'
import {withoutNoreboot} from '../../src/fix/fixers/noreboot.js'
import {captureLine, consolesFromXen} from '../../src/fix/fixers/capture-cmdline.js'
import {parseInstall} from '../../src/fix/fixers/service.js'
import {crashkernelSize, xenAccepts, xenCrashkernelValue} from '../../src/fix/fixers/crashkernel.js'
import {collectorArgs} from '../../src/fix/fixers/collector.js'
import {parseMakedumpfileArgs} from '../../src/parsers/makedumpfile-args.js'
import {grubReads, updateGrubLines} from '../../src/fix/update-grub.js'
import {parseShellVars} from '../../src/parsers/shell-vars.js'
import {splitLines, joinLines} from '../../src/fix/text.js'

const isCk = (w: string): boolean => w.startsWith('crashkernel=')
const setCk = (word: string): WordOp => ({kind: 'set', match: isCk, word})
const verbatim = (t: string) => verbatimWords(t, 0, t.length)

describe('word edits (verbatim lines: grub legacy, extlinux)', () => {
  it('removes, replaces and appends keeping the other blanks', () => {
    expect(editWords('a  noreboot\tb', verbatim, [{kind: 'remove', match: (w) => w === 'noreboot'}])).toBe('a\tb')
    expect(editWords('a noreboot b', verbatim, [{kind: 'remove', match: (w) => w === 'noreboot'}])).toBe('a b')
    expect(editWords('noreboot a', verbatim, [{kind: 'remove', match: (w) => w === 'noreboot'}])).toBe('a')
    expect(editWords('a noreboot', verbatim, [{kind: 'remove', match: (w) => w === 'noreboot'}])).toBe('a')
    expect(editWords('noreboot', verbatim, [{kind: 'remove', match: (w) => w === 'noreboot'}])).toBe('')
    expect(editWords('a crashkernel=1 b crashkernel=2 c', verbatim, [setCk('crashkernel=9')])).toBe('a b crashkernel=9 c')
    expect(editWords('a b', verbatim, [setCk('crashkernel=9')])).toBe('a b crashkernel=9')
    expect(editWords('', verbatim, [setCk('crashkernel=9')])).toBe('crashkernel=9')
    expect(editWords('reboot=n,w x', verbatim, [{kind: 'map', match: (w) => withoutNoreboot(w) !== w, map: withoutNoreboot}])).toBe('reboot=w x')
  })

  const word = fc.stringMatching(/^[a-z0-9=,.:@-]{1,8}$/)
  const blank = fc.constantFrom(' ', '  ', '\t', ' \t ')
  const line = fc.array(fc.tuple(word, blank), {maxLength: 12}).map((ws) => ws.map(([w, b]) => w + b).join('').trimEnd())

  it('remove keeps exactly the other words in order, and is idempotent (fast-check)', () => {
    fc.assert(
      fc.property(line, word, (text, victim) => {
        const op: WordOp = {kind: 'remove', match: (w) => w === victim}
        const out = editWords(text, verbatim, [op])
        expect(out.split(/[ \t]+/).filter(Boolean)).toEqual(text.split(/[ \t]+/).filter((w) => w !== '' && w !== victim))
        expect(editWords(out, verbatim, [op])).toBe(out)
      }),
    )
  })

  it('set leaves one matching word, the others untouched, and is idempotent (fast-check)', () => {
    fc.assert(
      fc.property(line, fc.stringMatching(/^[0-9MG,@<a-z=]{1,10}$/), (text, value) => {
        const op = setCk(`crashkernel=${value}`)
        const out = editWords(text, verbatim, [op])
        const words = out.split(/[ \t]+/).filter(Boolean)
        expect(words.filter(isCk)).toEqual([`crashkernel=${value}`])
        expect(words.filter((w) => !isCk(w))).toEqual(text.split(/[ \t]+/).filter((w) => w !== '' && !isCk(w)))
        expect(editWords(out, verbatim, [op])).toBe(out)
      }),
    )
  })
})

describe('shell assignments (/etc/default/grub, kdump-tools, sysconfig)', () => {
  const grubOps = (word: string): WordOp[] => [setCk(word)]
  const edit = (text: string, name: string, ops: WordOp[], grubLayer = true): string | undefined => {
    const site = assignmentSites(text, name).at(-1)!
    return editAssignmentWords(text, site, ops, {grubLayer})
  }

  it('keeps the quoting style, comments and other lines; a CRLF file stays CRLF', () => {
    const text = '# Xen\r\nGRUB_CMDLINE_XEN_DEFAULT=\'dom0_mem=4G noreboot\'  # inline\r\nOTHER="x"\r\n'
    const out = edit(text, 'GRUB_CMDLINE_XEN_DEFAULT', [{kind: 'remove', match: (w) => w === 'noreboot'}, ...grubOps('crashkernel=256M,below=4G')])!
    expect(out).toBe('# Xen\r\nGRUB_CMDLINE_XEN_DEFAULT=\'dom0_mem=4G crashkernel=256M,below=4G\'  # inline\r\nOTHER="x"\r\n')
  })

  it('writes grub2\'s `<` escaped for both sh and grub (\\\\< in double quotes, \\< in single)', () => {
    expect(edit('X="a"\n', 'X', grubOps('crashkernel=256M<4G'))).toBe('X="a crashkernel=256M\\\\<4G"\n')
    expect(edit("X='a'\n", 'X', grubOps('crashkernel=256M<4G'))).toBe("X='a crashkernel=256M\\<4G'\n")
    // and reads back, through sh and grub, as what Xen must see
    const files = [{path: '/etc/default/grub', text: edit('GRUB_CMDLINE_XEN_DEFAULT="a"\n', 'GRUB_CMDLINE_XEN_DEFAULT', grubOps('crashkernel=256M<4G'))!}]
    expect(updateGrubLines(files).xen.args).toBe('placeholder a crashkernel=256M<4G')
    expect(updateGrubLines(files).xen.dropped).toEqual([])
  })

  it('matches words through both layers: an escaped \\< is the same word', () => {
    expect(edit('X="crashkernel=256M\\\\<4G dom0_mem=1G"\n', 'X', grubOps('crashkernel=256M<4G'))).toBe('X="crashkernel=256M\\\\<4G dom0_mem=1G"\n')
  })

  it('leaves $VAR words alone and appends after them', () => {
    expect(edit('X="$X dom0_mem=1G"\n', 'X', grubOps('crashkernel=1G'))).toBe('X="$X dom0_mem=1G crashkernel=1G"\n')
  })

  it('quotes a bare value to add a word, keeps it bare when it stays one word, refuses a form it cannot rewrite', () => {
    expect(edit('X=dom0_mem=1G\n', 'X', grubOps('crashkernel=1G'))).toBe('X="dom0_mem=1G crashkernel=1G"\n')
    expect(edit('X=crashkernel=2G\n', 'X', grubOps('crashkernel=1G'))).toBe('X=crashkernel=1G\n')
    expect(edit('X=\n', 'X', grubOps('crashkernel=1G'))).toBe('X="crashkernel=1G"\n')
    expect(edit('X="a"\'b\'\n', 'X', grubOps('crashkernel=1G'))).toBeUndefined()
  })

  it('edits the assignment on the line asked for, with duplicates and `export`', () => {
    const text = 'USE_KDUMP=0\nexport USE_KDUMP=0 # again\n'
    const site = assignmentSites(text, 'USE_KDUMP').at(-1)!
    expect(setAssignmentValue(text, site, '1')).toBe('USE_KDUMP=0\nexport USE_KDUMP=1 # again\n')
  })

  it('adds a new assignment after its commented-out example, else at the end', () => {
    expect(addAssignment('#A=""\n#KDUMP_CMDLINE=""\n#B=1\n', 'KDUMP_CMDLINE', 'root=x ro')).toBe('#A=""\n#KDUMP_CMDLINE=""\nKDUMP_CMDLINE="root=x ro"\n#B=1\n')
    expect(addAssignment('A=1', 'B', 'x')).toBe('A=1\nB="x"\n')
    expect(addAssignment('A=1\r\n', 'B', 'x')).toBe('A=1\r\nB="x"\r\n')
  })

  const value = fc.string({unit: fc.constantFrom(...'ab =$"\'\\`<>;&|#{}()-:,.'.split('')), maxLength: 30})

  it('a value written with setAssignmentValue reads back exactly through sh (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom('X="old"', "X='old'", 'X=old', 'X='), value, (line, v) => {
        const text = `# c\n${line}\nY=1\n`
        const out = setAssignmentValue(text, assignmentSites(text, 'X')[0]!, v)
        const vars = parseShellVars(out)
        expect(vars.ok && vars.value.vars.X?.value).toBe(v)
        expect(out.startsWith('# c\n') && out.endsWith('\nY=1\n')).toBe(true)
        expect(setAssignmentValue(out, assignmentSites(out, 'X')[0]!, v)).toBe(out)
      }),
    )
  })

  it('a word added through the grub layer reaches Xen as written, once (fast-check)', () => {
    const xenWord = fc.stringMatching(/^[a-z0-9=,.:@<>;&|$#{}()'"\\-]{1,12}$/).filter((w) => !w.startsWith('crashkernel='))
    fc.assert(
      fc.property(fc.constantFrom('GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=1G"', "GRUB_CMDLINE_XEN_DEFAULT='dom0_mem=1G'", 'GRUB_CMDLINE_XEN_DEFAULT=dom0_mem=1G'), xenWord, (line, w) => {
        const text = `${line}\n`
        const out = edit(text, 'GRUB_CMDLINE_XEN_DEFAULT', grubOps(`crashkernel=${w}`))
        if (out === undefined) return
        const lines = updateGrubLines([{path: '/etc/default/grub', text: out}])
        expect(lines.xen.args).toBe(`placeholder dom0_mem=1G crashkernel=${w}`)
        expect(edit(out, 'GRUB_CMDLINE_XEN_DEFAULT', grubOps(`crashkernel=${w}`))).toBe(out)
      }),
    )
  })

  it('is total on hostile text (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 200}), (text) => {
        for (const site of assignmentSites(text, 'X')) {
          editAssignmentWords(text, site, grubOps('crashkernel=1G'), {grubLayer: true})
          setAssignmentValue(text, site, 'v')
        }
        addAssignment(text, 'X', 'v')
      }),
    )
  })
})

describe('grub script words', () => {
  it('grubEncode/grubLiteral are inverse for literal words (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({minLength: 1, maxLength: 20}).filter((s) => !/[\s\0]/.test(s)), (w) => {
        expect(grubLiteral(grubEncode(w)!)).toBe(w)
      }),
    )
  })

  it('grub.cfg: edits after the path and flags, before ${xen_rm_opts}; an unescaped < is one word with its target', () => {
    const cfg = 'menuentry X {\n\tmultiboot2\t/boot/xen.gz placeholder dom0_mem=1G crashkernel=256M<4G ${xen_rm_opts}\n\tmodule2 --nounzip /boot/initrd\n}\n'
    const out = editWords(cfg, (t) => grubCfgArgs(t, 2)!, [setCk('crashkernel=256M,below=4G')])
    expect(out).toBe(cfg.replace('crashkernel=256M<4G', 'crashkernel=256M,below=4G'))
    const added = editWords('m {\nmultiboot2 /xen.gz placeholder ${xen_rm_opts}\n}\n', (t) => grubCfgArgs(t, 2)!, [setCk('crashkernel=1G<4G')])
    expect(added).toBe('m {\nmultiboot2 /xen.gz placeholder crashkernel=1G\\<4G ${xen_rm_opts}\n}\n')
    expect(grubReads('multiboot2 /xen.gz placeholder crashkernel=1G\\<4G ${xen_rm_opts}', {xen_rm_opts: ''}).args).toBe('placeholder crashkernel=1G<4G')
  })

  it('grub legacy: only the arguments after the image path (kernel= form, --type flags), Xen words before a bare --', () => {
    const conf = 'title x\n\tkernel=--type=xen /xen.gz dom0_mem=1G -- quiet\n'
    expect(editWords(conf, (t) => grubLegacyArgs(t, 2, true)!, [setCk('crashkernel=1G')])).toBe('title x\n\tkernel=--type=xen /xen.gz dom0_mem=1G crashkernel=1G -- quiet\n')
  })

  it('extlinux: Xen\'s part ends at the first ---, dom0\'s at the second', () => {
    const conf = 'label xe\n  append /boot/xen.gz a noreboot --- /boot/vmlinuz root=x crashkernel=1 --- /boot/initrd\n'
    expect(editWords(conf, (t) => extlinuxAppendPart(t, 2, 0)!, [{kind: 'remove', match: (w) => w === 'noreboot'}, setCk('crashkernel=2')])).toBe(conf.replace('a noreboot ---', 'a crashkernel=2 ---'))
    expect(editWords(conf, (t) => extlinuxAppendPart(t, 2, 1)!, [{kind: 'remove', match: isCk}])).toBe(conf.replace(' crashkernel=1 ---', ' ---'))
  })
})

describe('what the fixers decide', () => {
  it('crashkernel= forms by Xen version, all accepted by the Xen they are for', () => {
    for (const [major, minor, want] of [[4, 17, '256M,below=4G'], [4, 10, '256M,below=4G'], [4, 9, '256M<4G'], [4, 8, '256M<4G'], [4, 7, '256M@64M'], [3, 1, '256M@64M']] as const) {
      const v = {major, minor}
      expect(xenCrashkernelValue(v, 256)).toBe(want)
      expect(xenAccepts(want, v, 64 * 2 ** 30), `${want} on ${major}.${minor}`).toBe(true)
    }
    expect(xenAccepts('256M,below=4G', {major: 4, minor: 8}, undefined)).toBe(false)
    expect(xenAccepts('256M<4G', {major: 4, minor: 6}, undefined)).toBe(false)
    expect(crashkernelSize(undefined, undefined)).toBe(256)
    expect(crashkernelSize(80 * 2 ** 20, 2 * 2 ** 40)).toBe(384)
  })

  it('the capture line: Xen\'s serial console, no Xen-only console, no crashkernel=, root= from fstab when missing', () => {
    expect(consolesFromXen('dom0_mem=1G com1=115200,8n1 console=com1,vga')).toEqual(['console=tty0', 'console=ttyS0,115200n8'])
    expect(consolesFromXen('com2=57600 console=com2')).toEqual(['console=ttyS1,57600n8'])
    expect(captureLine('placeholder root=UUID=a ro console=hvc0 earlyprintk=xen quiet crashkernel=384M-:128M', 'console=vga', undefined).line).toBe('root=UUID=a ro quiet console=tty0')
    expect(captureLine('console=hvc0 quiet', undefined, '/dev/sda1').line).toBe('root=/dev/sda1 quiet console=tty0')
  })

  it('noreboot in every spelling Xen halts on', () => {
    expect(['noreboot', 'noreboot=1', 'noreboot=true', 'no-noreboot=0', 'reboot=no', 'reboot=n'].map(withoutNoreboot)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined])
    expect(['noreboot=0', 'reboot=warm', 'dom0_mem=1G'].map(withoutNoreboot)).toEqual(['noreboot=0', 'reboot=warm', 'dom0_mem=1G'])
  })

  it('a unit\'s [Install] section, continuation lines and resets included', () => {
    expect(parseInstall('[Unit]\nWantedBy=wrong.target\n[Install]\nWantedBy=a.target \\\n b.target\nAlias=x.service\nWantedBy=\nWantedBy=basic.target\n')).toEqual({wantedBy: ['basic.target'], requiredBy: [], alias: ['x.service']})
  })

  it('the collector keeps the host\'s other options and drops -F for Debian', () => {
    const c = parseMakedumpfileArgs('-F -c --message-level 7 -d 31')
    expect(c.ok && collectorArgs(c.value, {elf: true, xen: true, level: 0}, ['F'])).toBe('-E -X --message-level=7 -d 0')
  })

  it('kdump.conf directives: replaced in place, else after the example, else at the end', () => {
    expect(setDirective('#path /x\npath /run/crash\ncore_collector cp\n', 'path', '/var/crash')).toBe('#path /x\npath /var/crash\ncore_collector cp\n')
    expect(setDirective('#core_collector makedumpfile\n#x\n', 'core_collector', 'makedumpfile -d 0')).toBe('#core_collector makedumpfile\ncore_collector makedumpfile -d 0\n#x\n')
    expect(setDirective('a', 'path', '/var/crash')).toBe('a\npath /var/crash\n')
  })
})

describe('text and diffs', () => {
  it('line splitting keeps every byte (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({unit: fc.constantFrom('a', '\n', '\r', ' ')}), (t) => {
        expect(joinLines(splitLines(t))).toBe(t)
      }),
    )
  })

  it('Myers diff reconstructs both sides (fast-check)', () => {
    const lines = fc.array(fc.constantFrom('a\n', 'b\n', 'c\r\n', 'd'), {maxLength: 30})
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const ops = diffLines(a, b)
        expect(ops.filter((o) => o.kind !== '+').map((o) => o.line)).toEqual(a)
        expect(ops.filter((o) => o.kind !== '-').map((o) => o.line)).toEqual(b)
      }),
    )
  })

  it('marks a last line without a newline, and a new file from /dev/null', () => {
    expect(fileDiff({path: '/etc/x', before: 'a\nb', after: 'a\nc'})).toBe('diff --git a/etc/x b/etc/x\n--- a/etc/x\n+++ b/etc/x\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n')
    expect(fileDiff({path: '/etc/y', before: undefined, after: 'k = 1\n'})).toBe('diff --git a/etc/y b/etc/y\nnew file mode 100644\n--- /dev/null\n+++ b/etc/y\n@@ -0,0 +1 @@\n+k = 1\n')
  })
})
