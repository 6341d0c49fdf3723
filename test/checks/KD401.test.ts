/** KD401: dump disks found (or not) through /proc/mounts and fstab, remote and raw targets. (The site policy on target kinds: test/policy.test.ts.) */
import {describe, expect, it} from 'vitest'
import KD401 from '../../src/checks/KD401-dump-target-missing.js'
import {fixtureText} from '../helpers/fixture-edit.js'
import {judge, ruleTester} from './rule-tester.js'

const RHEL = 'baremetal-good-rhel9'
const UUID = '5e0c9a7d-2b41-4f6e-9d83-0a1c7b6e4f29'
const conf = (target: string): Record<string, string> => ({'/etc/kdump.conf': `${target}\npath /var/crash\ncore_collector makedumpfile -l --message-level 7 -d 31\n`})
const fstabWith = (line: string): string => `${fixtureText(RHEL, 'files/etc/fstab')}${line}\n`
const mountsWith = (line: string): string => `${fixtureText(RHEL, 'files/proc/mounts')}${line}\n`

describe('KD401 dump disks', () => {
  it('fails a UUID that neither /proc/mounts nor /etc/fstab names', async () => {
    const outcome = await judge(KD401, RHEL, {files: conf(`xfs UUID=${UUID}`)})
    expect((outcome).status).toBe('fail')
    expect(outcome.message).toContain('appears in neither /proc/mounts nor /etc/fstab')
  })

  it('finds a UUID in fstab that /proc/mounts shows under its kernel name, and names the host path', async () => {
    const outcome = await judge(KD401, RHEL, {
      files: {...conf(`xfs UUID=${UUID}`), '/etc/fstab': fstabWith(`UUID=${UUID} /data xfs defaults 0 0`), '/proc/mounts': mountsWith('/dev/sdc1 /data xfs rw,relatime 0 0')},
    })
    expect((outcome).status).toBe('pass')
    expect(outcome.message).toContain('/data/var/crash')
  })

  it('matches /dev/disk/by-uuid/ against UUID= (case-insensitively)', async () => {
    const outcome = await judge(KD401, RHEL, {files: {...conf(`ext4 /dev/disk/by-uuid/${UUID}`), '/etc/fstab': fstabWith(`UUID=${UUID.toUpperCase()} /data ext4 defaults 0 2`)}})
    expect((outcome).status).toBe('pass')
    expect(outcome.message).toContain('not mounted now')
  })

  it('finds a device path target mounted now', async () => {
    expect((await judge(KD401, RHEL, {files: {...conf('xfs /dev/sdc1'), '/proc/mounts': mountsWith('/dev/sdc1 /dumps xfs rw,relatime 0 0')}})).status).toBe('pass')
  })

  it('is unknown, not a failure, when a block device is mounted outside fstab and might be the UUID', async () => {
    const outcome = await judge(KD401, RHEL, {files: {...conf(`xfs UUID=${UUID}`), '/proc/mounts': mountsWith('/dev/sdc1 /mnt/lun7 xfs rw,relatime 0 0')}})
    expect(outcome.status).toBe('unknown')
    expect(outcome.message).toContain('/dev/sdc1 at /mnt/lun7')
  })

  it('is unknown when neither mount table was collected', async () => {
    const outcome = await judge(KD401, RHEL, {files: {...conf(`xfs UUID=${UUID}`), '/proc/mounts': null, '/etc/fstab': null}, probes: {df: null}})
    expect(outcome.status).toBe('unknown')
  })
})

describe('KD401 remote and raw targets', () => {
  it('cannot verify NFS: unknown, a warning, with showmount', async () => {
    const outcome = await judge(KD401, RHEL, {files: conf('nfs nfs01.example.com:/export/crash')})
    expect(outcome.status).toBe('unknown')
    expect(outcome.status === 'unknown' && outcome.severity).toBe('warning')
    expect(outcome.status === 'unknown' && outcome.verify).toContain('showmount -e nfs01.example.com')
  })

  it('cannot verify SSH: unknown, a warning, with a key login', async () => {
    const outcome = await judge(KD401, RHEL, {files: conf('ssh kdump@dumps.example.com')})
    expect(outcome.status === 'unknown' && outcome.verify).toContain('ssh -i /root/.ssh/kdump_id_rsa kdump@dumps.example.com true')
  })

  it('names Debian\'s NFS= target too', async () => {
    const outcome = await judge(KD401, 'good-pvops-debian12', {files: {'/etc/default/kdump-tools': 'USE_KDUMP=1\nNFS="nas1:/srv/crash"\n'}})
    expect(outcome.status === 'unknown' && outcome.verify).toContain('showmount -e nas1')
  })

  it('warns when the raw device holds a mounted filesystem, and is unknown otherwise', async () => {
    expect((await judge(KD401, RHEL, {files: conf('raw /dev/sda2')})).status).toBe('warn')
    expect((await judge(KD401, RHEL, {files: conf('raw /dev/sdd1')})).status).toBe('unknown')
  })
})

ruleTester(KD401, {
  valid: [
    {
      name: 'the aftercrash-debian12-tuned fixture',
      fixture: 'aftercrash-debian12-tuned',
      status: 'pass',
      message: 'The dump target exists',
      evidence: ['files/etc/default/kdump-tools:37', 'files/proc/mounts:6'],
    },
    {
      name: 'the aftercrash-rhel9-shell fixture',
      fixture: 'aftercrash-rhel9-shell',
      status: 'pass',
      message: 'The dump target exists',
      evidence: ['files/etc/kdump.conf:177', 'files/proc/mounts:3'],
    },
  ],
  invalid: [
    {
      name: 'the target-rhel9-dump-disk-missing fixture',
      fixture: 'target-rhel9-dump-disk-missing',
      status: 'fail',
      severity: 'error',
      message: 'The dump target cannot be found',
      evidence: ['files/etc/kdump.conf:177', 'files/etc/kdump.conf:178'],
    },
    {
      name: 'the kexec-missing-debian12 fixture',
      fixture: 'kexec-missing-debian12',
      status: 'unknown',
      severity: 'error',
      message: 'The dump target is unknown',
      evidence: [],
    },
    {
      name: 'the svc-kdumpconf-invalid-rhel9 fixture',
      fixture: 'svc-kdumpconf-invalid-rhel9',
      status: 'unknown',
      severity: 'warning',
      message: 'The dump goes to ssh kdump@backup01.corp.example.com',
      evidence: ['files/etc/kdump.conf:173', 'files/etc/kdump.conf:179'],
    },
  ],
})
