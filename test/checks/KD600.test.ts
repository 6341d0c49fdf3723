import {describe, expect, it} from 'vitest'
import KD600 from '../../src/checks/KD600-never-proven.js'
import {judge, ruleTester, RUNTIME_ON_AN_IMAGE} from './rule-tester.js'

const FILE = '/var/lib/kdump/vmcore-creation.status'

describe('KD600', () => {
  it('passes on a recorded successful kdumpctl test and names its time', async () => {
    const o = await judge(KD600, 'proof-tested-rhel9')
    expect(o.status).toBe('pass')
    expect(o.message).toContain('2026-05-27T20:14:05Z')
    expect(o.evidence[0]).toMatchObject({source: `files${FILE}`, line: 1})
  })

  it('takes kdumpctl\'s notice when the file itself was not collected', async () => {
    const o = await judge(KD600, 'proof-tested-rhel9', {files: {[FILE]: null}})
    expect(o.status).toBe('pass')
    expect(o.message).toContain('kdumpctl status')
  })

  it('is info for a failed, pending, manual or absent test, and for a host that records none', async () => {
    for (const body of ['fail kdump_test_id=1779912845-483920117\n', 'pending kdump_test_id=1779912845-483920117\n', 'manual kdump_test_id=1779912845-1\n', '']) {
      const o = await judge(KD600, 'proof-tested-rhel9', {files: {[FILE]: body}})
      expect(o.status, body).toBe('info')
    }
    const never = await judge(KD600, 'good-pvops-debian12')
    expect(never.status).toBe('info')
    expect(never.message).toContain('kdumpcheck preflight')
  })

  it('is unknown, never pass, when the file exists but could not be read', async () => {
    const o = await judge(KD600, 'proof-tested-rhel9', {files: {[FILE]: null}, errors: [`${FILE}: could not be read: Permission denied`], probes: {'kdumpctl-status': null}})
    expect(o.status).toBe('unknown')
  })
})

ruleTester(KD600, {
  valid: [
    {
      name: 'the proof-tested-rhel9 fixture',
      fixture: 'proof-tested-rhel9',
      status: 'pass',
      message: 'The last test crash wrote a vmcore',
      evidence: ['files/var/lib/kdump/vmcore-creation.status:1'],
    },
    RUNTIME_ON_AN_IMAGE,
  ],
  invalid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'info',
      severity: 'info',
      message: 'Nothing on this host records a successful',
      evidence: ['files/var/lib/kdump/vmcore-creation.status'],
    },
  ],
})
