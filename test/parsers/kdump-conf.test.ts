import {describe, expect, it} from 'vitest'
import {kdumpDirective, parseKdumpConf, type KdumpConf} from '../../src/parsers/kdump-conf.js'
import {neverThrows, value} from './never-throws.js'

// RHEL 5 (kexec-tools 1.102pre): /etc/kdump.conf as shipped. Header comments shortened, directives verbatim.
const RHEL5_SHIPPED = `# Configures where to put the kdump /proc/vmcore files
#
# This file contains a series of commands to perform (in order) when a
# kernel crash has happened and the kdump kernel has been loaded.  Directives in
# this file are only applicable to the kdump initramfs, and have no effect if
# the root filesystem is mounted and the normal init scripts are processed
#
# Basics commands supported are:
# raw <partition>\t- Will dd /proc/vmcore into <partition>.
#
# net <nfs mount>\t- Will mount fs and copy /proc/vmcore to
#\t\t\t  <mnt>/var/crash/%HOST-%DATE/, supports DNS.
#
# net <user@server>\t- Will scp /proc/vmcore to
#\t\t\t  <user@server>:/var/crash/%HOST-%DATE/, supports DNS
#
# default <reboot | halt | shell>
#\t\t\t  NOTE: If no default action is specified, the initramfs
#\t\t\t\twill mount the root file system and run init.

#raw /dev/sda5
#ext3 /dev/sda3
#ext3 LABEL=/boot
#ext3 UUID=03138356-5e61-4ab3-b58e-27507ac41937
#net my.server.com:/export/tmp
#net user@my.server.com
#path /var/crash
#core_collector makedumpfile -c --message-level 1
#core_collector cp --sparse=always
#link_delay 60
#kdump_post /var/crash/scripts/kdump-post.sh
#extra_bins /usr/bin/lftp
#disk_timeout 30
#extra_modules gfs2
#options modulename options
#default shell
`

// A RHEL 5 Xen dom0 as an administrator set it up: NFS through the old 'net' directive.
const RHEL5_CONFIGURED = `${RHEL5_SHIPPED}
net nfs01.example.com:/export/crash
path /var/crash
core_collector makedumpfile -c --message-level 1 -d 31
link_delay 60
default shell
`

// RHEL 6.10 (kexec-tools 2.0.0-3xx.el6): the directives as shipped, header shortened.
const RHEL6_SHIPPED = `# Configures where to put the kdump /proc/vmcore files
#
# nfs4 <nfs mount>      - Will use NFSv4 instead of NFSv3
#
# default <reboot | halt | poweroff | shell | mount_root_run_init>
#\t\t\t- Action to preform in case dumping to intended target
#\t\t\t  fails. If no default action is specified, "reboot"
#\t\t\t  is assumed default.

#raw /dev/sda5
#ext4 /dev/sda3
#ext4 LABEL=/boot
#ext4 UUID=03138356-5e61-4ab3-b58e-27507ac41937
#net my.server.com:/export/tmp
#net user@my.server.com
path /var/crash
core_collector makedumpfile -c --message-level 1 -d 31
#core_collector scp
#core_collector cp --sparse=always
#extra_bins /bin/cp
#link_delay 60
#kdump_post /var/crash/scripts/kdump-post.sh
#extra_bins /usr/bin/lftp
#disk_timeout 30
#extra_modules gfs2
#options modulename options
#default shell
#debug_mem_level 0
#force_rebuild 1
#sshkey /root/.ssh/kdump_id_rsa
#fence_kdump_args -p 7410 -f auto -c 0 -i 10
#fence_kdump_nodes node1 node2
`

// RHEL 7 (kexec-tools 2.0.15-*.el7): shipped directives.
const RHEL7_SHIPPED = `# This file contains a series of commands to perform (in order) in the kdump
# kernel after a kernel crash in the crash kernel(1st kernel) has happened.
#
# default <reboot | halt | poweroff | shell | dump_to_rootfs>
#           - Action to perform in case dumping fails.

#raw /dev/vg/lv_kdump
#ext4 /dev/vg/lv_kdump
#ext4 LABEL=/boot
#ext4 UUID=03138356-5e61-4ab3-b58e-27507ac41937
#nfs my.server.com:/export/tmp
#ssh user@my.server.com
#sshkey /root/.ssh/kdump_id_rsa
path /var/crash
core_collector makedumpfile -l --message-level 1 -d 31
#core_collector scp
#kdump_post /var/crash/scripts/kdump-post.sh
#kdump_pre /var/crash/scripts/kdump-pre.sh
#extra_bins /usr/bin/lftp
#extra_modules gfs2
#default shell
#force_rebuild 1
#force_no_rebuild 1
#dracut_args --omit-drivers "cfg80211 snd" --add-drivers "ext2 ext3"
#fence_kdump_args -p 7410 -f auto -c 0 -i 10
#fence_kdump_nodes node1 node2
`

// RHEL 9 / kdump-utils (gen-kdump-conf.sh x86_64): shipped directives.
const RHEL9_SHIPPED = `# This file contains a series of commands to perform (in order) in the kdump
# kernel after a kernel crash in the crash kernel(1st kernel) has happened.
#
# failure_action <reboot | halt | poweroff | shell | dump_to_rootfs>
#           - Action to perform in case dumping fails.

#raw /dev/vg/lv_kdump
#ext4 /dev/vg/lv_kdump
#ext4 LABEL=/boot
#ext4 UUID=03138356-5e61-4ab3-b58e-27507ac41937
#virtiofs myfs
#nfs my.server.com:/export/tmp
#nfs [2001:db8::1:2:3:4]:/export/tmp
#ssh user@my.server.com
#ssh user@2001:db8::1:2:3:4
#sshkey /root/.ssh/kdump_id_rsa
auto_reset_crashkernel yes
path /var/crash
core_collector makedumpfile -l --message-level 7 -d 31
#core_collector scp
#kdump_post /var/crash/scripts/kdump-post.sh
#kdump_pre /var/crash/scripts/kdump-pre.sh
#extra_bins /usr/bin/lftp
#extra_modules gfs2
#failure_action shell
#force_rebuild 1
#force_no_rebuild 1
#dracut_args --omit-drivers "cfg80211 snd" --add-drivers "ext2 ext3"
#fence_kdump_args -p 7410 -f auto -c 0 -i 10
#fence_kdump_nodes node1 node2
`

function conf(text: string): KdumpConf {
  return value(parseKdumpConf(text))
}
const messages = (text: string): string[] => parseKdumpConf(text).problems.map((p) => `${p.line}: ${p.message}`)

describe('parseKdumpConf: files as shipped', () => {
  it('RHEL 5: everything commented out, so every default applies', () => {
    const c = conf(RHEL5_SHIPPED)
    expect(c.directives).toEqual([])
    expect(c.summary).toEqual({
      targets: [],
      path: {value: '/var/crash'},
      coreCollector: {value: 'makedumpfile -l --message-level 7 -d 31'},
      failureAction: {value: 'reboot'},
      finalAction: {value: 'reboot'},
      sshKey: {value: '/root/.ssh/kdump_id_rsa'},
      extraModules: [],
      extraBins: [],
    })
    expect(parseKdumpConf(RHEL5_SHIPPED).problems).toEqual([])
  })

  it('RHEL 6: path and a zlib collector', () => {
    const c = conf(RHEL6_SHIPPED)
    expect(c.directives.map((d) => [d.name, d.value, d.line])).toEqual([
      ['path', '/var/crash', 16],
      ['core_collector', 'makedumpfile -c --message-level 1 -d 31', 17],
    ])
    expect(c.summary.coreCollector).toEqual({value: 'makedumpfile -c --message-level 1 -d 31', line: 17})
    expect(c.summary.target).toBeUndefined()
  })

  it('RHEL 7: lzo collector, message level 1', () => {
    const c = conf(RHEL7_SHIPPED)
    expect(c.summary.path).toEqual({value: '/var/crash', line: 14})
    expect(c.summary.coreCollector).toEqual({value: 'makedumpfile -l --message-level 1 -d 31', line: 15})
    expect(parseKdumpConf(RHEL7_SHIPPED).problems).toEqual([])
  })

  it('RHEL 9: auto_reset_crashkernel and message level 7', () => {
    const c = conf(RHEL9_SHIPPED)
    expect(c.directives.map((d) => d.name)).toEqual(['auto_reset_crashkernel', 'path', 'core_collector'])
    expect(c.directives.every((d) => d.known && d.deprecated === undefined)).toBe(true)
    expect(c.summary.coreCollector.line).toBe(19)
    expect(parseKdumpConf(RHEL9_SHIPPED).problems).toEqual([])
  })
})

describe('parseKdumpConf: targets', () => {
  it('RHEL 5 net host:/export is an NFS target, with its deprecations flagged', () => {
    const c = conf(RHEL5_CONFIGURED)
    expect(c.summary.target).toEqual({
      kind: 'nfs',
      directive: 'net',
      spec: 'nfs01.example.com:/export/crash',
      line: 38,
      fstype: 'nfs',
      server: 'nfs01.example.com',
      exportPath: '/export/crash',
    })
    expect(c.summary.failureAction).toEqual({value: 'shell', line: 42})
    const deprecated = Object.fromEntries(c.directives.filter((d) => d.deprecated).map((d) => [d.name, d.deprecated]))
    expect(Object.keys(deprecated)).toEqual(['net', 'link_delay', 'default'])
    expect(deprecated.net).toMatch(/RHEL 5\/6 only.*refuses to start.*use nfs or ssh/)
    expect(deprecated.default).toMatch(/old name of failure_action/)
    expect(parseKdumpConf(RHEL5_CONFIGURED).problems).toEqual([])
  })

  it('net user@host is an ssh target', () => {
    expect(conf('net kdump@dumphost.example.com\n').summary.target).toMatchObject({kind: 'ssh', directive: 'net', user: 'kdump', host: 'dumphost.example.com'})
    expect(messages('net dumphost\n')).toEqual(['1: net target is neither host:/export nor user@host: dumphost'])
  })

  it('filesystem targets by device path, UUID= and LABEL=', () => {
    expect(conf('ext4 /dev/mapper/vg-kdump\n').summary.target).toEqual({
      kind: 'fs',
      directive: 'ext4',
      spec: '/dev/mapper/vg-kdump',
      line: 1,
      fstype: 'ext4',
      device: {kind: 'path', value: '/dev/mapper/vg-kdump'},
    })
    expect(conf('xfs UUID=03138356-5e61-4ab3-b58e-27507ac41937\n').summary.target?.device).toEqual({kind: 'uuid', value: '03138356-5e61-4ab3-b58e-27507ac41937'})
    expect(conf('ext3 LABEL=/boot\n').summary.target).toMatchObject({fstype: 'ext3', device: {kind: 'label', value: '/boot'}})
    for (const fs of ['ext2', 'btrfs', 'minix']) expect(conf(`${fs} /dev/sdb1\n`).summary.target?.fstype).toBe(fs)
    expect(conf('virtiofs myfs\n').summary.target).toMatchObject({kind: 'virtiofs', spec: 'myfs'})
  })

  it('raw targets get the flattened default collector', () => {
    const c = conf('raw /dev/sdb5\n')
    expect(c.summary.target).toMatchObject({kind: 'raw', device: {kind: 'path', value: '/dev/sdb5'}})
    expect(c.summary.coreCollector).toEqual({value: 'makedumpfile -F -l --message-level 7 -d 31'})
  })

  it('ssh with sshkey, IPv6 hosts, and nfs/nfs4 exports', () => {
    const c = conf('ssh kdump@[2001:db8::1]\nsshkey /root/.ssh/kdump_id_ed25519\npath /srv/dumps\n')
    expect(c.summary.target).toMatchObject({kind: 'ssh', user: 'kdump', host: '2001:db8::1'})
    expect(c.summary.sshKey).toEqual({value: '/root/.ssh/kdump_id_ed25519', line: 2})
    expect(c.summary.coreCollector.value).toBe('makedumpfile -F -l --message-level 7 -d 31')
    expect(conf('ssh user@2001:db8::1:2:3:4\n').summary.target).toMatchObject({user: 'user', host: '2001:db8::1:2:3:4'})
    expect(conf('nfs [2001:db8::1:2:3:4]:/export/tmp\n').summary.target).toMatchObject({server: '2001:db8::1:2:3:4', exportPath: '/export/tmp'})
    const v4 = conf('nfs4 filer:/vol/crash\n')
    expect(v4.summary.target).toMatchObject({kind: 'nfs', fstype: 'nfs4', server: 'filer', exportPath: '/vol/crash'})
    expect(v4.directives[0]!.deprecated).toMatch(/RHEL 6 only/)
  })

  it('dracut_args --mount counts as the target', () => {
    const c = conf(`dracut_args --mount "UUID=0b1e-77 /kdumproot ext4 defaults,nofail"\n`)
    expect(c.summary.target).toEqual({
      kind: 'fs',
      directive: 'dracut_args',
      spec: 'UUID=0b1e-77',
      line: 1,
      device: {kind: 'uuid', value: '0b1e-77'},
      mountpoint: '/kdumproot',
      fstype: 'ext4',
    })
    expect(conf('dracut_args --omit-drivers "cfg80211 snd"\n').summary.targets).toEqual([])
    expect(messages('dracut_args --mount "a /b ext4" --mount "c /d xfs"\n')).toEqual([
      '1: more than one --mount in dracut_args (kdumpctl: Multiple mount targets specified in one "dracut_args")',
    ])
  })
})

describe('parseKdumpConf: comments, values and problems', () => {
  it('drops trailing comments the way kdumpctl does and keeps them for the record', () => {
    const c = conf('  path   /var/crash/dumps   # big disk\ncore_collector makedumpfile -l  -d 31#no space before\nkdump_post /usr/local/bin/notify.sh\n')
    expect(c.directives[0]).toEqual({name: 'path', value: '/var/crash/dumps', line: 1, comment: 'big disk', known: true})
    expect(c.directives[1]).toMatchObject({value: 'makedumpfile -l  -d 31', comment: 'no space before'})
    expect(c.summary.kdumpPost).toEqual({value: '/usr/local/bin/notify.sh', line: 3})
    expect(kdumpDirective(c, 'path')?.line).toBe(1)
  })

  it('reads failure and final actions of every era', () => {
    expect(conf('failure_action dump_to_rootfs\nfinal_action poweroff\n').summary).toMatchObject({
      failureAction: {value: 'dump_to_rootfs', line: 1},
      finalAction: {value: 'poweroff', line: 2},
    })
    expect(conf('default halt\n').summary.failureAction).toEqual({value: 'halt', line: 1})
    const rhel6 = conf('default mount_root_run_init\n')
    expect(rhel6.summary.failureAction.value).toBe('mount_root_run_init')
    expect(rhel6.directives[0]!.deprecated).toMatch(/RHEL 6 only/)
  })

  it('reports what kdumpctl refuses', () => {
    expect(messages('foo bar\nnfs filer:/crash\next4 /dev/sdb1\n')).toEqual([
      "1: unknown directive 'foo' (kdumpctl: Invalid kdump config option foo)",
      "3: more than one dump target: 'ext4' here and 'nfs' on line 2 (kdumpctl: More than one dump targets specified)",
    ])
    expect(conf('nfs filer:/crash\next4 /dev/sdb1\n').summary.target?.directive).toBe('ext4')
    expect(messages('failure_action panic\nfinal_action shell\n')).toEqual([
      "1: failure_action 'panic' is not one of reboot|halt|poweroff|shell|dump_to_rootfs|mount_root_run_init",
      "2: final_action 'shell' is not one of reboot|halt|poweroff",
    ])
    expect(messages('default reboot\nfailure_action shell\n')).toEqual(["2: 'failure_action' and 'default' are both set; kdumpctl refuses both together"])
    expect(conf('default reboot\nfailure_action shell\n').summary.failureAction).toEqual({value: 'shell', line: 2})
    expect(messages('ssh dumphost.example.com\n')).toEqual([
      '1: ssh target is not user@host: dumphost.example.com (kdumpctl then skips the ssh checks and the capture kernel cannot log in)',
    ])
    expect(messages('nfs /export/crash\n')).toEqual(['1: nfs target is not host:/export: /export/crash'])
    expect(messages('path\nraw\n')).toEqual([
      "1: 'path' has no value (kdumpctl: Invalid kdump config value for option 'path')",
      "2: 'raw' has no value (kdumpctl: Invalid kdump config value for option 'raw')",
    ])
    expect(messages('path /a\npath /b\n')).toEqual(["2: 'path' repeats line 1: the last one counts, but kdumpctl (RHEL 8+) refuses a duplicate"])
    expect(conf('path /a\npath /b\n').summary.path).toEqual({value: '/b', line: 2})
    expect(messages('force_rebuild 1\nforce_no_rebuild 1\n')).toEqual(['2: force_rebuild and force_no_rebuild are both 1; kdumpctl refuses that'])
    expect(messages('force_rebuild yes\nauto_reset_crashkernel 1\n')).toEqual([
      "1: force_rebuild 'yes' is not one of 0|1",
      "2: auto_reset_crashkernel '1' is not one of yes|no",
    ])
    expect(messages('core_collector makedumpfile -E -c -d 31\n')).toEqual(['1: core_collector: makedumpfile refuses -E with compression (-c): "Commandline parameter is invalid"'])
    expect(messages('link_delay soon\n')).toEqual(['1: link_delay is not a number: soon'])
  })

  it('collects RHEL 6 module directives that may repeat', () => {
    const c = conf('extra_modules gfs2 dlm\nextra_modules bnx2x\nblacklist kvm\nblacklist kvm_intel\noptions bnx2x disable_tpa=1\noptions e1000e IntMode=1\n')
    expect(c.summary.extraModules).toEqual(['gfs2', 'dlm', 'bnx2x'])
    expect(parseKdumpConf('blacklist kvm\nblacklist kvm_intel\noptions a b=1\noptions c d=2\n').problems).toEqual([])
  })

  it('never throws, even on a lone CR inside a line', () => {
    expect(value(parseKdumpConf('\u0000\t\u0000\r\u0000')).directives[0]!.value).toBe('\u0000\r\u0000')
    neverThrows([RHEL5_CONFIGURED, RHEL6_SHIPPED, RHEL7_SHIPPED, RHEL9_SHIPPED, 'ssh a@b\nsshkey /k\nraw /dev/x\n'], parseKdumpConf, 1000)
  })
})
