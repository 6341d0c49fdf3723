import {describe, expect, it} from 'vitest'
import KD303 from '../../src/checks/KD303-use-kdump-off.js'
import KD304 from '../../src/checks/KD304-xenserver-keeps-no-vmcore.js'
import {outcome, text} from './snapshot-edit.js'

describe('KD303', () => {
  it('fails on USE_KDUMP=0, unset or empty, and passes on 1', async () => {
    const file = await text('good-pvops-debian12', {file: '/etc/default/kdump-tools'})
    expect((await outcome(KD303, 'svc-use-kdump-off-debian12')).status).toBe('problem')
    const unset = await outcome(KD303, 'good-pvops-debian12', {files: {'/etc/default/kdump-tools': file.replace(/^USE_KDUMP=1$/m, '#USE_KDUMP=1')}})
    expect(unset.status).toBe('problem')
    expect(unset.message).toContain('not set')
    const empty = await outcome(KD303, 'good-pvops-debian12', {files: {'/etc/default/kdump-tools': file.replace(/^USE_KDUMP=1$/m, 'USE_KDUMP=')}})
    expect(empty.message).toContain('empty')
    expect((await outcome(KD303, 'good-pvops-debian12')).status).toBe('pass')
  })

  it('is n/a off Debian and unknown when the file is unreadable', async () => {
    expect((await outcome(KD303, 'baremetal-good-rhel9')).status).toBe('n/a')
    expect((await outcome(KD303, 'kexec-missing-debian12', {files: {'/etc/default/kdump-tools': null}, errors: ['/etc/default/kdump-tools: could not be read: Permission denied']})).status).toBe('unknown')
  })
})

describe('KD304', () => {
  it('fails when CRASH_COREDUMP is "no" or unset (the default), passes on "yes"', async () => {
    expect((await outcome(KD304, 'svc-xcpng-no-coredump')).status).toBe('problem')
    const file = await text('xenserver-8', {file: '/etc/sysconfig/kdump'})
    const unset = await outcome(KD304, 'xenserver-8', {files: {'/etc/sysconfig/kdump': file.replace(/^CRASH_COREDUMP=.*$/m, '')}})
    expect(unset.status).toBe('problem')
    expect(unset.message).toContain('default "no"')
    expect((await outcome(KD304, 'xenserver-8')).status).toBe('pass')
  })

  it('is unknown when /etc/sysconfig/kdump could not be read, n/a elsewhere', async () => {
    expect((await outcome(KD304, 'xenserver-8', {files: {'/etc/sysconfig/kdump': null}, errors: ['/etc/sysconfig/kdump: could not be read: Permission denied']})).status).toBe('unknown')
    expect((await outcome(KD304, 'good-pvops-debian12')).status).toBe('n/a')
  })
})
