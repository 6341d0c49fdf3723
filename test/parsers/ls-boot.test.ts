import {describe, expect, it} from 'vitest'
import {entriesIn, parseLsBoot} from '../../src/parsers/ls-boot.js'
import {neverThrows, value} from './never-throws.js'

// CentOS 5.11 kernel-xen host: ls -ln /boot /var/lib/kdump (coreutils 5.97); /var/lib/kdump absent.
const CENTOS5_OUT = `/boot:
total 32420
-rw-r--r-- 1 0 0   68663 Aug 13  2014 config-2.6.18-406.el5
-rw-r--r-- 1 0 0   67357 Aug 13  2014 config-2.6.18-406.el5xen
drwxr-xr-x 2 0 0    1024 Sep  3  2015 grub
-rw------- 1 0 0 4172431 Sep  3  2015 initrd-2.6.18-406.el5.img
-rw------- 1 0 0 3848153 Jan 12  2016 initrd-2.6.18-406.el5kdump.img
-rw------- 1 0 0 4135298 Sep  3  2015 initrd-2.6.18-406.el5xen.img
drwx------ 2 0 0   12288 Sep  3  2015 lost+found
-rw-r--r-- 1 0 0 1973315 Aug 13  2014 System.map-2.6.18-406.el5
-rwxr-xr-x 1 0 0 2143836 Aug 13  2014 vmlinuz-2.6.18-406.el5
-rwxr-xr-x 1 0 0 2447152 Aug 13  2014 vmlinuz-2.6.18-406.el5xen
-rw-r--r-- 1 0 0  681424 Aug 13  2014 xen.gz-2.6.18-406.el5
-rw-r--r-- 1 0 0  909212 Aug 13  2014 xen-syms-2.6.18-406.el5
`
const CENTOS5_ERR = 'ls: /var/lib/kdump: No such file or directory\n'

// Debian 12 with Xen 4.17 and kdump-tools, collected 2026-11-29.
const DEBIAN12_OUT = `/boot:
total 84720
-rw-r--r-- 1 0 0   256868 Feb  1  2024 config-6.1.0-18-amd64
drwxr-xr-x 5 0 0     4096 Nov 29 09:21 grub
-rw-r--r-- 1 0 0 36507834 Nov 29 09:21 initrd.img-6.1.0-18-amd64
-rw-r--r-- 1 0 0       83 Feb  1  2024 System.map-6.1.0-18-amd64
-rw-r--r-- 1 0 0  8190912 Feb  1  2024 vmlinuz-6.1.0-18-amd64
-rw-r--r-- 1 0 0   922404 Jan 28  2024 xen-4.17-amd64.config
-rw-r--r-- 1 0 0  1183368 Jan 28  2024 xen-4.17-amd64.efi
-rw-r--r-- 1 0 0  1138592 Jan 28  2024 xen-4.17-amd64.gz

/var/lib/kdump:
total 36176
lrwxrwxrwx 1 0 0       40 Nov 29 09:22 initrd.img -> /var/lib/kdump/initrd.img-6.1.0-18-amd64
-rw-r--r-- 1 0 0 37035566 Nov 29 09:22 initrd.img-6.1.0-18-amd64
lrwxrwxrwx 1 0 0       29 Dec 30 23:50 vmlinuz -> /boot/vmlinuz-6.1.0-18-amd64
`

// RHEL 8 (SELinux dot after the mode) with --time-style=long-iso, and coreutils 8.4's unquoted missing message.
const RHEL8_LONG_ISO = `/boot:
total 12
-rw-------. 1 0 0 4573576 2023-10-04 13:41 System.map-4.18.0-513.5.1.el8_9.x86_64
drwx------. 4 0 0      83 2023-10-04 13:41 efi
-rw-------. 1 0 0 47269888 2023-12-01 08:05 initramfs-4.18.0-513.5.1.el8_9.x86_64kdump.img
-rwxr-xr-x. 1 0 0 10540040 2023-10-04 13:41 vmlinuz-4.18.0-513.5.1.el8_9.x86_64
ls: cannot access /var/lib/kdump: No such file or directory
`

// busybox ls -ln, single directory, with a device node.
const BUSYBOX = `total 20484
-rw-r--r--    1 0        0           216532 Dec 17  2016 config-4.9.65
-rw-r--r--    1 0        0         10485760 Nov 29 09:21 initramfs-lts
lrwxrwxrwx    1 0        0               14 Nov 29 09:21 vmlinuz -> vmlinuz-4.9.65
brw-rw----    1 0        6           8,   0 Nov 29 09:20 sda
`

describe('parseLsBoot', () => {
  it('reads CentOS 5: entries under /boot, old-style dates, missing /var/lib/kdump from stderr', () => {
    const l = value(parseLsBoot(CENTOS5_OUT, CENTOS5_ERR, {referenceTime: '2016-02-01T10:00:00Z'}))
    expect(l.dirs).toEqual([{path: '/boot', line: 1, total: 32420}])
    expect(l.entries).toHaveLength(12)
    expect(l.entries[4]).toEqual({
      dir: '/boot',
      name: 'initrd-2.6.18-406.el5kdump.img',
      type: 'file',
      mode: '-rw-------',
      links: 1,
      uid: '0',
      gid: '0',
      size: 3848153,
      mtime: {raw: 'Jan 12  2016', value: Date.UTC(2016, 0, 12), precision: 'day', yearInferred: false},
      line: 7,
    })
    expect(l.entries.find((e) => e.name === 'grub')!.type).toBe('dir')
    expect(l.missing).toEqual([{path: '/var/lib/kdump', line: 1, stream: 'stderr'}])
  })

  it('reads a listing whose lines a paste padded with blanks exactly as the clean one (issue 11: formatting never matters)', () => {
    const clean = value(parseLsBoot(DEBIAN12_OUT, '', {referenceTime: '2026-11-29T10:00:00Z'}))
    const padded = value(parseLsBoot(DEBIAN12_OUT.replace(/\n/g, '  \n'), '', {referenceTime: '2026-11-29T10:00:00Z'}))
    expect(padded).toEqual(clean)
    expect(padded.dirs.map((d) => d.path)).toEqual(['/boot', '/var/lib/kdump'])
  })

  it('reads Debian 12: two sections, symlink targets, year-less times placed by the reference time', () => {
    const l = value(parseLsBoot(DEBIAN12_OUT, '', {referenceTime: '2026-11-29T10:00:00Z'}))
    expect(l.dirs.map((d) => [d.path, d.line, d.total])).toEqual([
      ['/boot', 1, 84720],
      ['/var/lib/kdump', 12, 36176],
    ])
    const kdump = entriesIn(l, '/var/lib/kdump/')
    expect(kdump.map((e) => [e.name, e.type, e.linkTarget])).toEqual([
      ['initrd.img', 'symlink', '/var/lib/kdump/initrd.img-6.1.0-18-amd64'],
      ['initrd.img-6.1.0-18-amd64', 'file', undefined],
      ['vmlinuz', 'symlink', '/boot/vmlinuz-6.1.0-18-amd64'],
    ])
    expect(kdump[1]!.mtime).toEqual({raw: 'Nov 29 09:22', value: Date.UTC(2026, 10, 29, 9, 22), precision: 'minute', yearInferred: true})
    // "Dec 30" would be in the future in 2026, so ls printed a time from the year before.
    expect(kdump[2]!.mtime.value).toBe(Date.UTC(2025, 11, 30, 23, 50))
    const bootInitrd = entriesIn(l, '/boot').find((e) => e.name === 'initrd.img-6.1.0-18-amd64')!
    expect(bootInitrd.mtime.value! < kdump[1]!.mtime.value!).toBe(true)
    expect(entriesIn(l, '/boot').find((e) => e.name === 'config-6.1.0-18-amd64')!.mtime.value).toBe(Date.UTC(2024, 1, 1))
  })

  it('leaves year-less times without a value when no reference time is given', () => {
    const l = value(parseLsBoot(DEBIAN12_OUT))
    expect(l.entries[1]!.mtime).toEqual({raw: 'Nov 29 09:21', value: null, precision: 'minute', yearInferred: true})
  })

  it('reads long-iso times, SELinux markers, and a missing path printed on stdout', () => {
    const l = value(parseLsBoot(RHEL8_LONG_ISO))
    expect(l.entries[2]).toMatchObject({name: 'initramfs-4.18.0-513.5.1.el8_9.x86_64kdump.img', mode: '-rw-------', size: 47269888})
    expect(l.entries[2]!.mtime).toEqual({raw: '2023-12-01 08:05', value: Date.UTC(2023, 11, 1, 8, 5), precision: 'minute', yearInferred: false})
    expect(l.missing).toEqual([{path: '/var/lib/kdump', line: 7, stream: 'stdout'}])
  })

  it('reads full-iso with a zone, iso, and a date-only form', () => {
    const l = value(
      parseLsBoot(
        '-rw-r--r-- 1 0 0 5 2016-12-17 09:21:33.123456789 +0100 a\n-rw-r--r-- 1 0 0 5 2016-12-17 b c\n-rw-r--r-- 1 0 0 5 12-17 09:21 d\n',
        '',
        {referenceTime: '2017-01-10T00:00:00Z', defaultDir: '/boot'},
      ),
    )
    expect(l.entries.map((e) => [e.dir, e.name, e.mtime.value, e.mtime.precision])).toEqual([
      ['/boot', 'a', Date.UTC(2016, 11, 17, 8, 21, 33), 'second'],
      ['/boot', 'b c', Date.UTC(2016, 11, 17), 'day'],
      ['/boot', 'd', Date.UTC(2016, 11, 17, 9, 21), 'minute'],
    ])
  })

  it('reads busybox output with no header, device numbers instead of a size', () => {
    const l = value(parseLsBoot(BUSYBOX, '', {defaultDir: '/boot', referenceTime: new Date(Date.UTC(2026, 10, 29, 12))}))
    expect(l.entries).toHaveLength(4)
    expect(l.entries[2]).toMatchObject({dir: '/boot', name: 'vmlinuz', linkTarget: 'vmlinuz-4.9.65', size: 14})
    expect(l.entries[3]).toMatchObject({name: 'sda', type: 'block', size: null, gid: '6'})
    expect(l.entries[0]!.mtime.value).toBe(Date.UTC(2016, 11, 17))
  })

  it('reports unrecognised lines and keeps going', () => {
    const r = parseLsBoot('/boot:\ngarbage here\n-rw-r--r-- 1 0 0 1 Jan  1  2020 ok\n')
    expect(r.problems).toEqual([{line: 2, message: 'unrecognised ls line: garbage here'}])
    expect(value(r).entries.map((e) => e.name)).toEqual(['ok'])
  })

  it('never throws', () => {
    neverThrows([CENTOS5_OUT, DEBIAN12_OUT, RHEL8_LONG_ISO, BUSYBOX], (t) => parseLsBoot(t, t, {referenceTime: '2026-11-29T10:00:00Z'}))
    neverThrows([DEBIAN12_OUT], (t) => parseLsBoot(t, '', {referenceTime: t}), 100)
  })
})
