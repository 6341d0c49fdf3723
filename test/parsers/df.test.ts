import {describe, expect, it} from 'vitest'
import {mountFor, parseDf} from '../../src/parsers/df.js'
import {neverThrows, value} from './never-throws.js'

// CentOS 5 Xen dom0, `df -Pk` (coreutils 5.97): a long LVM name stays on its line with -P.
const CENTOS5_DF = `Filesystem         1024-blocks      Used Available Capacity Mounted on
/dev/mapper/VolGroup00-LogVol00  37235144   3161164  32152108      9% /
/dev/sda1               101086     24478     71389      26% /boot
tmpfs                   1029784         0   1029784       0% /dev/shm
`

// CentOS 7 dom0, `df -Pk` (coreutils 8.22).
const CENTOS7_DF = `Filesystem              1024-blocks    Used Available Capacity Mounted on
/dev/mapper/centos-root    52403200 4814652  47588548      10% /
devtmpfs                    8121520       0   8121520       0% /dev
tmpfs                       8133604       0   8133604       0% /dev/shm
tmpfs                       8133604    9120   8124484       1% /run
tmpfs                       8133604       0   8133604       0% /sys/fs/cgroup
/dev/sda1                   1038336  233148    805188      23% /boot
/dev/mapper/centos-var     20961280 1245184  19716096       6% /var
/dev/sdb1                 103081248   61464  97760520       1% /srv/crash dumps
tmpfs                       1626724       0   1626724       0% /run/user/0
`

// XenServer 7.6 control domain: the 4 GiB /var/log and a tmpfs for xenstored.
const XENSERVER7_DF = `Filesystem     1024-blocks    Used Available Capacity Mounted on
/dev/sda1         18512744 2481068  15085112      15% /
devtmpfs           2012260      28   2012232       1% /dev
tmpfs              2021572     192   2021380       1% /dev/shm
tmpfs              2021572    9468   2012104       1% /run
tmpfs              2021572       0   2021572       0% /sys/fs/cgroup
xenstore           2021572       0   2021572       0% /var/lib/xenstored
/dev/sda5          3997376  513396   3257884      14% /var/log
`

// busybox 1.35 `df -Pk` (a capture initramfs or an embedded dom0).
const BUSYBOX_DF = `Filesystem           1024-blocks    Used Available Capacity Mounted on
/dev/root              8191416   2412348   5340356  31% /
tmpfs                   253104        0    253104   0% /dev/shm
/dev/vda1              2031440    160248   1766232   8% /var/crash
`

// GNU df without -P wraps a long device name; coreutils 8.32 prints '-' for a pseudo filesystem with -a.
const WRAPPED_DF = `Filesystem                                 1K-blocks    Used Available Use% Mounted on
/dev/mapper/XSLocalEXT--5d1f4bbb--e0c1--0fcb--3c42--bd0e54d82b0e-5d1f4bbb--e0c1--0fcb--3c42--bd0e54d82b0e
                                           487097328 1052688 461264880   1% /run/sr-mount/5d1f4bbb-e0c1-0fcb-3c42-bd0e54d82b0e
proc                                               -       -         -    - /proc
`

describe('parseDf', () => {
  it('reads CentOS 5 with a long LVM device name', () => {
    const rows = value(parseDf(CENTOS5_DF))
    expect(rows).toHaveLength(3)
    expect(rows[0]).toEqual({filesystem: '/dev/mapper/VolGroup00-LogVol00', sizeKiB: 37235144, usedKiB: 3161164, availKiB: 32152108, capacity: 9, mountpoint: '/', line: 2})
    expect(mountFor(rows, '/var/crash')?.filesystem).toBe('/dev/mapper/VolGroup00-LogVol00')
    expect(mountFor(rows, '/boot')?.availKiB).toBe(71389)
  })

  it('reads CentOS 7, a mount point with a space, and resolves path segments', () => {
    const rows = value(parseDf(CENTOS7_DF))
    expect(rows).toHaveLength(9)
    expect(rows[7]).toMatchObject({filesystem: '/dev/sdb1', mountpoint: '/srv/crash dumps', availKiB: 97760520, line: 9})
    expect(mountFor(rows, '/var/crash')).toMatchObject({filesystem: '/dev/mapper/centos-var', availKiB: 19716096})
    expect(mountFor(rows, '/srv/crash dumps/127.0.0.1-2024-01-01/vmcore')?.filesystem).toBe('/dev/sdb1')
    expect(mountFor(rows, '/srv/crash')?.filesystem).toBe('/dev/mapper/centos-root')
    expect(mountFor(rows, '/variable')?.mountpoint).toBe('/')
    expect(mountFor(rows, '/run/user/0/x')?.mountpoint).toBe('/run/user/0')
  })

  it('reads XenServer 7: /var/crash lives on the root disk, not the log partition', () => {
    const rows = value(parseDf(XENSERVER7_DF))
    expect(mountFor(rows, '/var/crash')).toMatchObject({filesystem: '/dev/sda1', availKiB: 15085112, capacity: 15})
    expect(mountFor(rows, '/var/log/xensource.log')?.filesystem).toBe('/dev/sda5')
  })

  it('reads busybox output', () => {
    const rows = value(parseDf(BUSYBOX_DF))
    expect(rows.map((r) => [r.filesystem, r.capacity, r.mountpoint])).toEqual([
      ['/dev/root', 31, '/'],
      ['tmpfs', 0, '/dev/shm'],
      ['/dev/vda1', 8, '/var/crash'],
    ])
    expect(mountFor(rows, '/var/crash/')?.availKiB).toBe(1766232)
  })

  it('joins a wrapped device name and reads "-" as unknown', () => {
    const rows = value(parseDf(WRAPPED_DF))
    expect(rows[0]).toMatchObject({filesystem: expect.stringMatching(/^\/dev\/mapper\/XSLocalEXT--5d1f/), sizeKiB: 487097328, capacity: 1, line: 2})
    expect(rows[1]).toEqual({filesystem: 'proc', sizeKiB: null, usedKiB: null, availKiB: null, capacity: null, mountpoint: '/proc', line: 4})
  })

  it('reports what it cannot read and has nothing to find for an empty listing', () => {
    const r = parseDf('df: /mnt/nfs: Stale file handle\n' + CENTOS5_DF)
    expect(r.ok && r.value).toHaveLength(3)
    expect(r.problems).toEqual([{line: 1, message: 'unrecognised df line: df: /mnt/nfs: Stale file handle'}, {line: 2, message: 'df header in the middle of the output'}])
    expect(mountFor([], '/var/crash')).toBeUndefined()
  })

  it('never throws', () => neverThrows([CENTOS5_DF, CENTOS7_DF, XENSERVER7_DF, BUSYBOX_DF, WRAPPED_DF], parseDf))
})
