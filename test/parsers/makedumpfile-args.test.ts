import {describe, expect, it} from 'vitest'
import {parseCoreCollector, parseMakedumpfileArgs} from '../../src/parsers/makedumpfile-args.js'
import {neverThrows, value} from './never-throws.js'

// core_collector lines as shipped in /etc/kdump.conf, and Debian's MAKEDUMP_ARGS default.
const SHIPPED = [
  'makedumpfile -c', // RHEL 5 example
  'makedumpfile -c --message-level 1 -d 31', // RHEL 6
  'makedumpfile -l --message-level 1 -d 31', // RHEL 7 and 8
  'makedumpfile -l --message-level 7 -d 31', // RHEL 9
  'makedumpfile -c --message-level 7 -d 31', // RHEL 9 s390x
  'cp --sparse=always', // RHEL 5/6 example
  'scp',
]

describe('parseCoreCollector', () => {
  it('reads the RHEL 9 default', () => {
    expect(value(parseCoreCollector('makedumpfile -l --message-level 7 -d 31'))).toEqual({
      program: 'makedumpfile',
      path: 'makedumpfile',
      kind: 'makedumpfile',
      args: ['-l', '--message-level', '7', '-d', '31'],
      dumpLevel: 31,
      dumpLevels: [31],
      compression: 'lzo',
      elf: false,
      flat: false,
      xenFilter: false,
      messageLevel: 7,
      split: false,
      nonCyclic: false,
      positional: [],
      options: [
        {name: 'l', raw: '-l'},
        {name: 'message-level', value: '7', raw: '--message-level 7'},
        {name: 'd', value: '31', raw: '-d 31'},
      ],
    })
  })

  it('reads every shipped default', () => {
    const summary = SHIPPED.map((s) => {
      const c = value(parseCoreCollector(s))
      return [c.program, c.kind, c.dumpLevel, c.compression, c.messageLevel, c.elf]
    })
    expect(summary).toEqual([
      ['makedumpfile', 'makedumpfile', undefined, 'zlib', undefined, false],
      ['makedumpfile', 'makedumpfile', 31, 'zlib', 1, false],
      ['makedumpfile', 'makedumpfile', 31, 'lzo', 1, false],
      ['makedumpfile', 'makedumpfile', 31, 'lzo', 7, false],
      ['makedumpfile', 'makedumpfile', 31, 'zlib', 7, false],
      ['cp', 'copy', undefined, 'none', undefined, true],
      ['scp', 'copy', undefined, 'none', undefined, true],
    ])
  })

  it('reads the collector that works on a Xen vmcore (lab: -E -X)', () => {
    const c = value(parseCoreCollector('/usr/sbin/makedumpfile -E -X -d 0 /proc/vmcore /var/crash/vmcore'))
    expect(c).toMatchObject({program: 'makedumpfile', path: '/usr/sbin/makedumpfile', elf: true, xenFilter: true, dumpLevel: 0, compression: 'none'})
    expect(c.positional).toEqual(['/proc/vmcore', '/var/crash/vmcore'])
  })

  it('reads -x, -i and the Xen symbol options', () => {
    const x = value(parseCoreCollector('makedumpfile -F -l --message-level 7 -d 31 -x /usr/lib/debug/lib/modules/4.18.0-553.el8_10.x86_64/vmlinux'))
    expect(x).toMatchObject({flat: true, vmlinux: '/usr/lib/debug/lib/modules/4.18.0-553.el8_10.x86_64/vmlinux', dumpLevel: 31})
    const i = value(parseCoreCollector('makedumpfile -c -d 31 -i /var/lib/kdump/vmcoreinfo --xen-syms=/boot/xen-syms-4.17 --xen-vmcoreinfo /var/lib/kdump/xen-vmcoreinfo'))
    expect(i).toMatchObject({vmcoreinfo: '/var/lib/kdump/vmcoreinfo', xenSyms: '/boot/xen-syms-4.17', xenVmcoreinfo: '/var/lib/kdump/xen-vmcoreinfo'})
    expect(i.vmlinux).toBeUndefined()
  })

  it('follows getopt_long: attached values, combined flags, =values, prefixes, last compression wins', () => {
    expect(value(parseCoreCollector('makedumpfile -d31 -c'))).toMatchObject({dumpLevel: 31, compression: 'zlib'})
    expect(value(parseCoreCollector('makedumpfile -cd31'))).toMatchObject({dumpLevel: 31, compression: 'zlib'})
    expect(value(parseCoreCollector('makedumpfile -Fcd 31'))).toMatchObject({dumpLevel: 31, compression: 'zlib', flat: true})
    expect(value(parseCoreCollector('makedumpfile --message-level=7 -d 1'))).toMatchObject({messageLevel: 7, dumpLevel: 1})
    expect(value(parseCoreCollector('makedumpfile --mess 4 -c -l -z'))).toMatchObject({messageLevel: 4, compression: 'zstd'})
    expect(value(parseCoreCollector('makedumpfile -p --split --cyclic-buffer 1024 --num-threads=4 --non-cyclic'))).toMatchObject({
      compression: 'snappy',
      split: true,
      cyclicBufferSize: 1024,
      numThreads: 4,
      nonCyclic: true,
    })
    expect(value(parseCoreCollector('makedumpfile -d 11,31,1'))).toMatchObject({dumpLevel: 11, dumpLevels: [11, 31, 1]})
    const ended = value(parseCoreCollector('makedumpfile -c -- -d 31'))
    expect(ended.dumpLevel).toBeUndefined()
    expect(ended.positional).toEqual(['-d', '31'])
  })

  it('reports what makedumpfile would refuse', () => {
    const bad = (s: string): string[] => parseCoreCollector(s).problems.map((p) => p.message)
    expect(bad('makedumpfile -E -c -d 31')).toEqual(['makedumpfile refuses -E with compression (-c): "Commandline parameter is invalid"'])
    expect(bad('makedumpfile -x /vmlinux -i /vmcoreinfo -d 31')).toEqual(['makedumpfile refuses -x together with -i'])
    expect(bad('makedumpfile -d')).toEqual(['option -d needs a value'])
    expect(bad('makedumpfile -d 32')).toEqual(['dump level must be numbers from 0 to 31: -d 32'])
    expect(bad('makedumpfile -Q -d 1')).toEqual(['unknown makedumpfile option -Q in -Q'])
    expect(bad('makedumpfile --xen 1')).toEqual(['ambiguous makedumpfile option --xen (xen-syms, xen-vmcoreinfo, xen_phys_start)'])
    expect(bad('makedumpfile --message-level x')).toEqual(['message level must be a number from 0 to 31: --message-level x'])
    expect(bad('makedumpfile --split=1')).toEqual(['option --split takes no value: --split=1'])
  })

  it('keeps other collectors as written and refuses an empty one', () => {
    expect(value(parseCoreCollector('cp --sparse=always'))).toMatchObject({program: 'cp', kind: 'copy', args: ['--sparse=always'], elf: true, options: []})
    expect(value(parseCoreCollector('/usr/local/bin/mycollector -z'))).toMatchObject({program: 'mycollector', kind: 'other', compression: 'none', elf: false})
    expect(parseCoreCollector('   ').ok).toBe(false)
  })

  it('never throws', () => neverThrows(SHIPPED, parseCoreCollector))
})

describe('parseMakedumpfileArgs', () => {
  it("reads Debian's MAKEDUMP_ARGS default", () => {
    expect(value(parseMakedumpfileArgs('-F -c -d 31'))).toMatchObject({program: 'makedumpfile', flat: true, compression: 'zlib', dumpLevel: 31, xenFilter: false})
    expect(value(parseMakedumpfileArgs(''))).toMatchObject({program: 'makedumpfile', dumpLevels: [], options: []})
  })

  it('never throws', () => neverThrows(['-F -c -d 31', '-c -d 31 -X -x /usr/lib/debug/boot/vmlinux-6.1.0-18-amd64'], parseMakedumpfileArgs))
})
