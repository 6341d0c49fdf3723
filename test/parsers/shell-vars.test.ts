import {describe, expect, it} from 'vitest'
import {parseShellVars, shellValue} from '../../src/parsers/shell-vars.js'
import {neverThrows, value} from './never-throws.js'
import {DEBIAN12_XEN_CFG} from './config-samples.js'

describe('parseShellVars', () => {
  it('reads plain, single- and double-quoted values with their lines', () => {
    const v = value(parseShellVars(`A=plain\nB='it''s'\nC="x \\"y\\" \\$z"\n# D=no\nexport E="e"\n`))
    expect(shellValue(v, 'A')).toBe('plain')
    expect(shellValue(v, 'B')).toBe('its')
    expect(shellValue(v, 'C')).toBe('x "y" $z')
    expect(shellValue(v, 'D')).toBeUndefined()
    expect(v.vars.E!.exported).toBe(true)
    expect(v.vars.C!.line).toBe(3)
    expect(v.vars.C!.raw).toBe('"x \\"y\\" \\$z"')
  })

  it('expands self-references the way kdump-tools.cfg appends crashkernel=', () => {
    const v = value(
      parseShellVars(`GRUB_CMDLINE_LINUX_DEFAULT="quiet"\nGRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M"\n`),
    )
    expect(shellValue(v, 'GRUB_CMDLINE_LINUX_DEFAULT')).toBe('quiet crashkernel=384M-:128M')
    expect(v.assignments).toHaveLength(2)
    expect(v.vars.GRUB_CMDLINE_LINUX_DEFAULT!.refs).toEqual(['GRUB_CMDLINE_LINUX_DEFAULT'])
    expect(v.vars.GRUB_CMDLINE_LINUX_DEFAULT!.line).toBe(2)
  })

  it('honours ${X:-default}, ${X-default}, ${X:+alt} and an env passed in', () => {
    const first = value(parseShellVars('E=\n'))
    const v = value(parseShellVars('A=${E:-fallback}\nB=${E-kept}\nC=${U:-"two words"}\nD=${A:+yes}\n', {env: first.vars}))
    expect(shellValue(v, 'A')).toBe('fallback')
    expect(shellValue(v, 'B')).toBe('')
    expect(shellValue(v, 'C')).toBe('two words')
    expect(shellValue(v, 'D')).toBe('yes')
  })

  it('marks command substitution as unevaluated and keeps it as written', () => {
    const v = value(parseShellVars('GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\nX="$GRUB_DISTRIBUTOR GNU/Linux"\n'))
    expect(v.vars.GRUB_DISTRIBUTOR!.unevaluated).toBe(true)
    expect(v.vars.GRUB_DISTRIBUTOR!.value).toBe('`lsb_release -i -s 2> /dev/null || echo Debian`')
    expect(v.vars.X!.unevaluated).toBe(true)
  })

  it("decides Debian's xen.cfg: GRUB_DEFAULT is set, from a command substitution", () => {
    const v = value(parseShellVars(DEBIAN12_XEN_CFG, {source: '/etc/default/grub.d/xen.cfg'}))
    expect(shellValue(v, 'XEN_OVERRIDE_GRUB_DEFAULT')).toBe('1')
    expect(v.vars.XEN_OVERRIDE_GRUB_DEFAULT!.conditional).toBe(false)
    expect(v.vars.GRUB_DEFAULT!.unevaluated).toBe(true)
    expect(v.vars.GRUB_DEFAULT!.conditional).toBe(false)
    expect(v.vars.GRUB_DEFAULT!.line).toBe(21)
    expect(v.vars.GRUB_DEFAULT!.source).toBe('/etc/default/grub.d/xen.cfg')
    expect(v.commands.map((c) => c.line)).toEqual([5, 16])
  })

  it('skips a false branch and the else of a true one', () => {
    const v = value(parseShellVars('X=0\nif [ "$X" = 1 ]; then A=one; elif [ -z "$Y" ]; then A=two; else A=three; fi\n'))
    expect(shellValue(v, 'A')).toBe('two')
    expect(v.assignments.map((a) => a.value)).toEqual(['0', 'two'])
  })

  it('runs both branches of an undecidable condition, marking them conditional', () => {
    const v = value(parseShellVars('if [ -f /etc/foo ]; then\n  A=1\nelse\n  A=2\nfi\nB=3\n'))
    expect(v.assignments.map((a) => [a.name, a.value, a.conditional])).toEqual([
      ['A', '1', true],
      ['A', '2', true],
      ['B', '3', false],
    ])
  })

  it('evaluates `[ test ] && X=...` chains', () => {
    const v = value(parseShellVars('[ -z "$A" ] && A=set\n[ -n "$A" ] || B=never\n[ -e /x ] && C=maybe\n'))
    expect(shellValue(v, 'A')).toBe('set')
    expect(shellValue(v, 'B')).toBeUndefined()
    expect(v.vars.C!.conditional).toBe(true)
  })

  it('does not run function bodies and keeps multi-line quoted values', () => {
    const v = value(parseShellVars('f() {\n  A=inside\n}\nfunction g {\n B=inside\n}\nC="line1\nline2"\nD=after\n'))
    expect(shellValue(v, 'A')).toBeUndefined()
    expect(shellValue(v, 'B')).toBeUndefined()
    expect(shellValue(v, 'C')).toBe('line1\nline2')
    expect(v.vars.D!.line).toBe(9)
  })

  it('treats `;` inside quotes as text, and a `VAR=x cmd` prefix as a command', () => {
    const v = value(parseShellVars('A="a;b" # trailing comment\nLANG=C grub-mkconfig\n'))
    expect(shellValue(v, 'A')).toBe('a;b')
    expect(shellValue(v, 'LANG')).toBeUndefined()
    expect(v.commands).toEqual([{line: 2, text: 'LANG=C grub-mkconfig'}])
  })

  it('reports unterminated quotes as problems', () => {
    const r = parseShellVars('A="never closed\nB=1\n')
    expect(r.ok).toBe(true)
    expect(r.problems.map((p) => p.message)).toContain('unterminated double quote')
  })

  it('a variable named __proto__ is an ordinary variable', () => {
    const v = value(parseShellVars('__proto__=x\n'))
    expect(shellValue(v, '__proto__')).toBe('x')
  })

  it('bounds keyword and ${...} nesting instead of overflowing the stack', () => {
    const deep = parseShellVars('then '.repeat(5000) + 'A=1\n')
    expect(deep.problems.map((p) => p.message)).toContain('too many keywords on one line; rest of the line ignored')
    const nested = value(parseShellVars('A=' + '${B:-'.repeat(3000) + 'x' + '}'.repeat(3000) + '\n'))
    expect(nested.vars.A!.unevaluated).toBe(true)
  })

  it('never throws', () => {
    neverThrows([DEBIAN12_XEN_CFG, 'A=1\nif [ "$A" = 1 ]; then B="$A x"; fi\ncase $x in a) C=1;; esac\nf() { :; }\n'], (t) => parseShellVars(t))
  })
})
