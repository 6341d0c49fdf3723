import {describe, expect, it} from 'vitest'
import KD303 from '../../src/checks/KD303-use-kdump-off.js'
import KD304 from '../../src/checks/KD304-xenserver-keeps-no-vmcore.js'
import {text} from '../helpers/fixture-edit.js'
import {judge, ruleTester} from './rule-tester.js'

describe('KD303', () => {
  it('fails on USE_KDUMP=0, unset or empty, and passes on 1', async () => {
    const file = await text('good-pvops-debian12', {file: '/etc/default/kdump-tools'})
    expect((await judge(KD303, 'svc-use-kdump-off-debian12')).status).toBe('fail')
    const unset = await judge(KD303, 'good-pvops-debian12', {files: {'/etc/default/kdump-tools': file.replace(/^USE_KDUMP=1$/m, '#USE_KDUMP=1')}})
    expect(unset.status).toBe('fail')
    expect(unset.message).toContain('not set')
    const empty = await judge(KD303, 'good-pvops-debian12', {files: {'/etc/default/kdump-tools': file.replace(/^USE_KDUMP=1$/m, 'USE_KDUMP=')}})
    expect(empty.message).toContain('empty')
    expect((await judge(KD303, 'good-pvops-debian12')).status).toBe('pass')
  })

  it('is n/a off Debian and unknown when the file is unreadable', async () => {
    expect((await judge(KD303, 'baremetal-good-rhel9')).status).toBe('n/a')
    expect((await judge(KD303, 'kexec-missing-debian12', {files: {'/etc/default/kdump-tools': null}, errors: ['/etc/default/kdump-tools: could not be read: Permission denied']})).status).toBe('unknown')
  })
})

describe('KD304', () => {
  it('fails when CRASH_COREDUMP is "no" or unset (the default), passes on "yes"', async () => {
    expect((await judge(KD304, 'svc-xcpng-no-coredump')).status).toBe('fail')
    const file = await text('xenserver-8', {file: '/etc/sysconfig/kdump'})
    const unset = await judge(KD304, 'xenserver-8', {files: {'/etc/sysconfig/kdump': file.replace(/^CRASH_COREDUMP=.*$/m, '')}})
    expect(unset.status).toBe('fail')
    expect(unset.message).toContain('default "no"')
    expect((await judge(KD304, 'xenserver-8')).status).toBe('pass')
  })

  it('is unknown when /etc/sysconfig/kdump could not be read, n/a elsewhere', async () => {
    expect((await judge(KD304, 'xenserver-8', {files: {'/etc/sysconfig/kdump': null}, errors: ['/etc/sysconfig/kdump: could not be read: Permission denied']})).status).toBe('unknown')
    expect((await judge(KD304, 'good-pvops-debian12')).status).toBe('n/a')
  })
})

ruleTester(KD303, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'USE_KDUMP=1',
      evidence: ['files/etc/default/kdump-tools:7'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'n/a',
      message: 'Only Debian\'s and Ubuntu\'s kdump-tools read USE_KDUMP',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the image-debian12-xen-generated-broken fixture',
      fixture: 'image-debian12-xen-generated-broken',
      status: 'fail',
      severity: 'error',
      message: 'USE_KDUMP=0 in /etc/default/kdump-tools',
      evidence: ['files/etc/default/kdump-tools:7'],
    },
  ],
})

ruleTester(KD304, {
  valid: [
    {
      name: 'the xenserver-8 fixture',
      fixture: 'xenserver-8',
      status: 'pass',
      message: 'CRASH_COREDUMP=yes',
      evidence: ['files/etc/sysconfig/kdump:25'],
    },
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'n/a',
      message: 'Only XenServer and XCP-ng keep their dump',
      evidence: [],
    },
  ],
  invalid: [
    {
      name: 'the image-xenserver65-extlinux fixture',
      fixture: 'image-xenserver65-extlinux',
      status: 'fail',
      severity: 'error',
      message: 'CRASH_COREDUMP is not set',
      evidence: ['files/etc/xensource-inventory:1'],
    },
    {
      name: 'the svc-xcpng-no-coredump fixture',
      fixture: 'svc-xcpng-no-coredump',
      status: 'fail',
      severity: 'error',
      message: 'CRASH_COREDUMP="no"',
      evidence: ['files/etc/sysconfig/kdump:25'],
    },
  ],
})
