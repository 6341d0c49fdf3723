import {describe, expect, it} from 'vitest'
import {parseKernelConfig} from '../../src/parsers/kernel-config.js'
import {neverThrows} from './never-throws.js'

// Lines from Debian 12's /boot/config-6.1.0-50-amd64 and RHEL 9's /boot/config-5.14.0-427.el9.x86_64.
const DEBIAN = [
  '#',
  '# Automatically generated file; DO NOT EDIT.',
  '# Linux/x86 6.1.0-50-amd64 Kernel Configuration',
  '#',
  'CONFIG_CC_VERSION_TEXT="gcc-12 (Debian 12.2.0-14) 12.2.0"',
  'CONFIG_MAGIC_SYSRQ=y',
  'CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE=0x01b6',
  '# CONFIG_PANIC_ON_OOPS is not set',
  'CONFIG_PANIC_ON_OOPS_VALUE=0',
  'CONFIG_PANIC_TIMEOUT=0',
  '',
].join('\n')
const RHEL = 'CONFIG_PANIC_ON_OOPS=y\r\nCONFIG_PANIC_ON_OOPS_VALUE=1\r\nCONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE=0x0\r\n'

describe('parseKernelConfig', () => {
  it('keeps values as written, with their lines, and records what is not set', () => {
    const r = parseKernelConfig(DEBIAN)
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.options.get('CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE')).toEqual({value: '0x01b6', line: 7})
    expect(r.value.options.get('CONFIG_CC_VERSION_TEXT')?.value).toBe('"gcc-12 (Debian 12.2.0-14) 12.2.0"')
    expect(r.value.options.has('CONFIG_PANIC_ON_OOPS')).toBe(false)
    expect(r.value.unset.get('CONFIG_PANIC_ON_OOPS')).toBe(8)
  })

  it('reads CRLF files and lets a later line win', () => {
    const r = parseKernelConfig(`${RHEL}# CONFIG_PANIC_ON_OOPS is not set\nCONFIG_PANIC_ON_OOPS_VALUE=0\n`)
    expect(r.ok && r.value.options.get('CONFIG_PANIC_ON_OOPS_VALUE')).toEqual({value: '0', line: 5})
    expect(r.ok && r.value.options.get('CONFIG_MAGIC_SYSRQ_DEFAULT_ENABLE')?.value).toBe('0x0')
    expect(r.ok && r.value.options.has('CONFIG_PANIC_ON_OOPS')).toBe(false)
  })

  it('never throws', () => neverThrows([DEBIAN, RHEL], parseKernelConfig))
})
