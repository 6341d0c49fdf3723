import fc from 'fast-check'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseDpkgStatus} from '../../src/parsers/dpkg-status.js'

const sample = readFileSync(path.resolve(import.meta.dirname, '../../fixtures/hosts/image-debian12-xen-good/files/var/lib/dpkg/status'), 'utf8')

describe('parseDpkgStatus', () => {
  it('reads every stanza with its version and install state', () => {
    const result = parseDpkgStatus(sample)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    const kexec = result.value.packages.find((p) => p.name === 'kexec-tools')
    expect(kexec).toMatchObject({epoch: 1, version: '2.0.25', release: '3+deb12u3', raw: '1:2.0.25-3+deb12u3', installed: true, line: 18})
    expect(result.value.packages.map((p) => p.name)).toEqual(['kdump-tools', 'kexec-tools', 'makedumpfile', 'xen-hypervisor-4.17-amd64'])
    expect(result.problems).toEqual([])
  })

  it('does not count a removed package whose configuration files remain', () => {
    const result = parseDpkgStatus('Package: kexec-tools\nStatus: deinstall ok config-files\nVersion: 1:2.0.25-3\n')
    expect(result.ok && result.value.packages[0]?.installed).toBe(false)
  })

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({maxLength: 400}), (text) => {
      expect(() => parseDpkgStatus(text)).not.toThrow()
      expect(parseDpkgStatus(text).ok).toBe(true)
    }))
  })
})
