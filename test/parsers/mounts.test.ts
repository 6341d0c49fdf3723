import {describe, expect, it} from 'vitest'
import {deviceSpec, mountsOfDevice, normalizePath, parseFstab, parseProcMounts, resolveMount, unescapeOctal} from '../../src/parsers/mounts.js'
import {neverThrows, value} from './never-throws.js'

// CentOS 5 Xen dom0 (2.6.18-406.el5xen): /proc/mounts
const CENTOS5_PROC_MOUNTS = `rootfs / rootfs rw 0 0
/dev/root / ext3 rw,data=ordered 0 0
/dev /dev tmpfs rw 0 0
/proc /proc proc rw 0 0
/sys /sys sysfs rw 0 0
/proc/bus/usb /proc/bus/usb usbfs rw 0 0
devpts /dev/pts devpts rw 0 0
/dev/sda1 /boot ext3 rw,data=ordered 0 0
tmpfs /dev/shm tmpfs rw 0 0
none /proc/sys/fs/binfmt_misc binfmt_misc rw 0 0
sunrpc /var/lib/nfs/rpc_pipefs rpc_pipefs rw 0 0
xenfs /proc/xen xenfs rw 0 0
`

// CentOS 7 / Xen4CentOS dom0: /proc/mounts, with a dump disk whose mount point has a space.
const CENTOS7_PROC_MOUNTS = `sysfs /sys sysfs rw,seclabel,nosuid,nodev,noexec,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
devtmpfs /dev devtmpfs rw,seclabel,nosuid,size=2012260k,nr_inodes=503065,mode=755 0 0
tmpfs /run tmpfs rw,seclabel,nosuid,nodev,mode=755 0 0
/dev/mapper/centos-root / xfs rw,seclabel,relatime,attr2,inode64,noquota 0 0
xenfs /proc/xen xenfs rw,relatime 0 0
/dev/sda1 /boot xfs rw,seclabel,relatime,attr2,inode64,noquota 0 0
/dev/mapper/centos-var /var xfs rw,seclabel,relatime,attr2,inode64,noquota 0 0
/dev/sdb1 /srv/crash\\040dumps ext4 rw,seclabel,relatime,data=ordered 0 0
tmpfs /run/user/0 tmpfs rw,seclabel,nosuid,nodev,relatime,size=404316k,mode=700 0 0
`

// XenServer 7.x dom0 /proc/mounts (CentOS 7 based control domain).
const XENSERVER7_PROC_MOUNTS = `/dev/sda1 / ext3 rw,relatime,errors=continue,user_xattr,acl,barrier=1,data=ordered 0 0
devtmpfs /dev devtmpfs rw,nosuid,size=2012260k,nr_inodes=503065,mode=755 0 0
xenstore /var/lib/xenstored tmpfs rw,relatime,mode=755 0 0
/dev/sda5 /var/log ext3 rw,relatime,errors=continue,user_xattr,acl,barrier=1,data=ordered 0 0
xenfs /proc/xen xenfs rw,relatime 0 0
/dev/mapper/XSLocalEXT--5d1f4bbb--e0c1--0fcb--3c42--bd0e54d82b0e-5d1f4bbb--e0c1--0fcb--3c42--bd0e54d82b0e /run/sr-mount/5d1f4bbb-e0c1-0fcb-3c42-bd0e54d82b0e ext3 rw,relatime 0 0
`

// RHEL 5 /etc/fstab as anaconda wrote it.
const RHEL5_FSTAB = `/dev/VolGroup00/LogVol00 /                       ext3    defaults        1 1
LABEL=/boot             /boot                   ext3    defaults        1 2
tmpfs                   /dev/shm                tmpfs   defaults        0 0
devpts                  /dev/pts                devpts  gid=5,mode=620  0 0
sysfs                   /sys                    sysfs   defaults        0 0
proc                    /proc                   proc    defaults        0 0
/dev/VolGroup00/LogVol01 swap                    swap    defaults        0 0
`

// RHEL 8 /etc/fstab as anaconda wrote it.
const RHEL8_FSTAB = `
#
# /etc/fstab
# Created by anaconda on Tue Mar  3 10:12:56 2020
#
# Accessible filesystems, by reference, are maintained under '/dev/disk/'.
# See man pages fstab(5), findfs(8), mount(8) and/or blkid(8) for more info.
#
# After editing this file, run 'systemctl daemon-reload' to update systemd
# units generated from this file.
#
/dev/mapper/rhel-root   /                       xfs     defaults        0 0
UUID=7c7b3b5b-1e9f-4f83-a8f6-34a1a5ef6b8f /boot                   xfs     defaults        0 0
/dev/mapper/rhel-swap   none                    swap    defaults        0 0
UUID=03138356-5E61-4AB3-B58E-27507AC41937 /var/crash ext4 defaults,noauto 0 2
`

// Debian 12 /etc/fstab as the installer wrote it.
const DEBIAN12_FSTAB = `# /etc/fstab: static file system information.
#
# Use 'blkid' to print the universally unique identifier for a
# device; this may be used with UUID= as a more robust way to name devices
# that works even if disks are added and removed. See fstab(5).
#
# systemd generates mount units based on this file, see systemd.mount(5).
# Please run 'systemctl daemon-reload' after you make changes here.
#
# <file system> <mount point>   <type>  <options>       <dump>  <pass>
# / was on /dev/vda1 during installation
UUID=2f0a4a4c-55e8-4c47-9a43-6b5b7d3f0c11 /               ext4    errors=remount-ro 0       1
# swap was on /dev/vda5 during installation
UUID=9b1c5c1e-04a3-4b8b-8d3e-0e8d8e0f7a21 none            swap    sw              0       0
/dev/sr0        /media/cdrom0   udf,iso9660 user,noauto     0       0
`

// XenServer 8 control domain /etc/fstab.
const XENSERVER8_FSTAB = `LABEL=root-ygrtdh    /         ext4     defaults   1  1
LABEL=swap-ygrtdh          swap      swap   defaults   0  0
LABEL=logs-ygrtdh    /var/log         ext4     defaults   0  2
/opt/xensource/packages/iso/XenCenter.iso   /var/xen/xc-install   iso9660   loop,ro   0  0
`

describe('parseProcMounts', () => {
  it('reads a CentOS 5 dom0, rootfs and /dev/root included', () => {
    const t = value(parseProcMounts(CENTOS5_PROC_MOUNTS))
    expect(t.source).toBe('proc-mounts')
    expect(t.entries).toHaveLength(12)
    expect(t.entries[1]).toEqual({
      spec: '/dev/root',
      device: {kind: 'path', value: '/dev/root'},
      mountpoint: '/',
      fstype: 'ext3',
      options: ['rw', 'data=ordered'],
      dump: 0,
      pass: 0,
      line: 2,
    })
    expect(resolveMount(t.entries, '/var/crash')?.entry.spec).toBe('/dev/root')
    expect(resolveMount(t.entries, '/boot/grub/grub.conf')).toMatchObject({entry: {spec: '/dev/sda1'}, relative: '/grub/grub.conf'})
  })

  it('decodes \\040 in a mount point and resolves paths below it', () => {
    const t = value(parseProcMounts(CENTOS7_PROC_MOUNTS))
    const dumps = t.entries.find((e) => e.spec === '/dev/sdb1')!
    expect(dumps.mountpoint).toBe('/srv/crash dumps')
    expect(dumps.line).toBe(9)
    expect(resolveMount(t.entries, '/srv/crash dumps/127.0.0.1-2024-01-01')).toMatchObject({entry: {spec: '/dev/sdb1'}, relative: '/127.0.0.1-2024-01-01'})
    expect(resolveMount(t.entries, '/var/crash')).toMatchObject({entry: {spec: '/dev/mapper/centos-var', fstype: 'xfs'}, relative: '/crash'})
    // Segment-aware: /variable is not under /var.
    expect(resolveMount(t.entries, '/variable/x')?.entry.spec).toBe('/dev/mapper/centos-root')
    expect(resolveMount(t.entries, '/var/../boot/./x//y/')).toMatchObject({entry: {spec: '/dev/sda1'}, relative: '/x/y'})
  })

  it('reads a XenServer 7 control domain: /var/log is its own small disk, xenstored on tmpfs', () => {
    const t = value(parseProcMounts(XENSERVER7_PROC_MOUNTS))
    expect(t.entries.map((e) => e.mountpoint)).toEqual(['/', '/dev', '/var/lib/xenstored', '/var/log', '/proc/xen', '/run/sr-mount/5d1f4bbb-e0c1-0fcb-3c42-bd0e54d82b0e'])
    expect(resolveMount(t.entries, '/var/crash')?.entry.spec).toBe('/dev/sda1')
    expect(resolveMount(t.entries, '/var/lib/xenstored/tdb')?.entry.fstype).toBe('tmpfs')
  })

  it('lets a later mount on the same directory shadow an earlier one', () => {
    const t = value(parseProcMounts('/dev/sda2 /var/crash ext4 rw 0 0\ntmpfs /var/crash tmpfs rw 0 0\n'))
    expect(resolveMount(t.entries, '/var/crash/x')?.entry.fstype).toBe('tmpfs')
  })

  it('reports malformed lines and keeps the rest', () => {
    const r = parseProcMounts('/dev/sda1 /\nproc /proc proc rw 0 0 extra\n')
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.value.entries).toHaveLength(1)
    expect(r.problems.map((p) => p.line)).toEqual([1, 2])
  })

  it('never throws', () => neverThrows([CENTOS5_PROC_MOUNTS, CENTOS7_PROC_MOUNTS, XENSERVER7_PROC_MOUNTS], parseProcMounts))
})

describe('parseFstab', () => {
  it('reads RHEL 5: LVM paths, LABEL=/boot, swap', () => {
    const t = value(parseFstab(RHEL5_FSTAB))
    expect(t.entries).toHaveLength(7)
    expect(t.entries[1]).toMatchObject({spec: 'LABEL=/boot', device: {kind: 'label', value: '/boot'}, mountpoint: '/boot', dump: 1, pass: 2, line: 2})
    expect(t.entries[6]).toMatchObject({mountpoint: 'swap', fstype: 'swap'})
    expect(resolveMount(t.entries, '/var/crash')?.entry.spec).toBe('/dev/VolGroup00/LogVol00')
  })

  it('reads RHEL 8: comments, UUID=, none swap, a noauto dump disk', () => {
    const t = value(parseFstab(RHEL8_FSTAB))
    expect(t.entries.map((e) => e.line)).toEqual([12, 13, 14, 15])
    expect(t.entries[1]!.device).toEqual({kind: 'uuid', value: '7c7b3b5b-1e9f-4f83-a8f6-34a1a5ef6b8f'})
    const crash = resolveMount(t.entries, '/var/crash/127.0.0.1-2024-05-01-10:00:00')!
    expect(crash.entry.options).toEqual(['defaults', 'noauto'])
    expect(crash.relative).toBe('/127.0.0.1-2024-05-01-10:00:00')
    // The kdump.conf target names the UUID in lower case; the comparison ignores case.
    expect(mountsOfDevice(t.entries, 'UUID=03138356-5e61-4ab3-b58e-27507ac41937').map((e) => e.mountpoint)).toEqual(['/var/crash'])
    expect(mountsOfDevice(t.entries, 'LABEL=/boot')).toEqual([])
  })

  it('reads Debian 12: a missing dump/pass means 0, multi-type fields kept', () => {
    const t = value(parseFstab(DEBIAN12_FSTAB + '/dev/vdb1 /srv/dumps xfs defaults\n'))
    expect(t.entries).toHaveLength(4)
    expect(t.entries[0]).toMatchObject({mountpoint: '/', options: ['errors=remount-ro'], pass: 1, line: 12})
    expect(t.entries[2]).toMatchObject({fstype: 'udf,iso9660', options: ['user', 'noauto']})
    expect(t.entries[3]).toMatchObject({spec: '/dev/vdb1', dump: 0, pass: 0, line: 16})
  })

  it('reads XenServer 8: LABEL=root-*, logs on their own partition, an ISO loop mount', () => {
    const t = value(parseFstab(XENSERVER8_FSTAB))
    expect(t.entries.map((e) => e.device)).toEqual([
      {kind: 'label', value: 'root-ygrtdh'},
      {kind: 'label', value: 'swap-ygrtdh'},
      {kind: 'label', value: 'logs-ygrtdh'},
      {kind: 'path', value: '/opt/xensource/packages/iso/XenCenter.iso'},
    ])
    expect(resolveMount(t.entries, '/var/crash')?.entry.spec).toBe('LABEL=root-ygrtdh')
    expect(resolveMount(t.entries, '/var/log/kdump')?.entry.spec).toBe('LABEL=logs-ygrtdh')
  })

  it('never throws', () => neverThrows([RHEL5_FSTAB, RHEL8_FSTAB, DEBIAN12_FSTAB, XENSERVER8_FSTAB], parseFstab))
})

describe('helpers', () => {
  it('decode escapes and device specs', () => {
    expect(unescapeOctal('a\\040b\\011c\\134d\\x')).toBe('a b\tc\\d\\x')
    expect(deviceSpec('UUID="abc"')).toEqual({kind: 'uuid', value: 'abc'})
    expect(deviceSpec('PARTUUID=1234-01')).toEqual({kind: 'partuuid', value: '1234-01'})
    expect(deviceSpec('nfs.example.com:/export')).toEqual({kind: 'other', value: 'nfs.example.com:/export'})
    expect(normalizePath('')).toBe('/')
    expect(normalizePath('var//crash/')).toBe('/var/crash')
    expect(normalizePath('/../..')).toBe('/')
  })
})
