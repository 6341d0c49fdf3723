import {describe, expect, it} from 'vitest'
import {parseCrashListing, parseVmcoreCreationStatus} from '../../src/parsers/vmcore-status.js'
import {neverThrows, value} from './never-throws.js'

// What kdumpctl (kdump-utils 1.0.4x) writes, before and after the test crash.
const PENDING = 'pending kdump_test_id=1700000000-123456789\n'
const SUCCESS = 'success kdump_test_id=1700000000-123456789\n'

// ls -lR /var/crash on a Debian 12 dom0 after the lab's B-kdt run: kdump-config "saved" a 0-byte dump.
const DEBIAN_CRASH_LS = `/var/crash:
total 8
drwxr-xr-x 2 root root 4096 Nov 29 09:21 202611290921
-rw-r--r-- 1 root root  229 Nov 29 09:20 kexec_cmd

/var/crash/202611290921:
total 0
-rw-r--r-- 1 root root 0 Nov 29 09:21 dump.202611290921
`

// RHEL 8: one finished dump, one interrupted copy, and a kdumpctl test directory.
const RHEL8_CRASH_LS = `/var/crash:
total 0
drwxr-xr-x. 2 root root 67 May  1 10:02 127.0.0.1-2024-05-01-10:00:12
drwxr-xr-x. 2 root root 48 May  2 11:00 127.0.0.1-2024-05-02-10:59:40
drwxr-xr-x. 2 root root 91 May  3 09:15 kdump-test-1714727700-118273645

/var/crash/127.0.0.1-2024-05-01-10:00:12:
total 2245532
-rw-------. 1 root root      48211 May  1 10:00 kexec-dmesg.log
-rw-------. 1 root root 2299300181 May  1 10:02 vmcore
-rw-------. 1 root root      99421 May  1 10:00 vmcore-dmesg.txt

/var/crash/127.0.0.1-2024-05-02-10:59:40:
total 409600
-rw-------. 1 root root 419430400 May  2 11:00 vmcore-incomplete
-rw-------. 1 root root     99800 May  2 10:59 vmcore-dmesg.txt

/var/crash/kdump-test-1714727700-118273645:
total 1024
-rw-------. 1 root root 1048576000 May  3 09:15 vmcore
-rw-r--r--. 1 root root         52 May  3 09:15 vmcore-creation.status
`

describe('parseVmcoreCreationStatus', () => {
  it("reads kdumpctl's pending and success lines", () => {
    expect(value(parseVmcoreCreationStatus(PENDING))).toEqual({status: 'pending', word: 'pending', testId: '1700000000-123456789', time: 1700000000, line: 1})
    expect(value(parseVmcoreCreationStatus(SUCCESS))).toMatchObject({status: 'success', time: 1700000000})
    expect(value(parseVmcoreCreationStatus('fail kdump_test_id=1714727700-118273645\n'))).toMatchObject({status: 'fail', time: 1714727700})
    expect(value(parseVmcoreCreationStatus('manual kdump_test_id=1714727700-1\n')).status).toBe('manual')
  })

  it('reads SUCCESS <epoch> and SUCCESS <date> forms', () => {
    expect(value(parseVmcoreCreationStatus('SUCCESS 1700000000\n'))).toEqual({status: 'success', word: 'SUCCESS', time: 1700000000, line: 1})
    expect(value(parseVmcoreCreationStatus('FAIL 1700000000\n')).status).toBe('fail')
    expect(value(parseVmcoreCreationStatus('SUCCESS 2023-11-14T22:13:20+00:00\n')).time).toBe(1700000000)
    expect(value(parseVmcoreCreationStatus('\nSUCCESS 2023-11-14 22:13:20\n')).time).toBe(1700000000)
  })

  it('reads an empty file as no test, and reports the unreadable', () => {
    expect(value(parseVmcoreCreationStatus(''))).toEqual({status: 'none'})
    expect(value(parseVmcoreCreationStatus('\n  \n'))).toEqual({status: 'none'})
    const odd = parseVmcoreCreationStatus('maybe yesterday\nsuccess 1\n')
    expect(value(odd)).toMatchObject({status: 'unknown', word: 'maybe'})
    expect(odd.problems.map((p) => p.message)).toEqual(['more than one line; only the first counts', 'unknown vmcore creation test status: maybe', 'no test time in: yesterday'])
  })

  it('never throws', () => neverThrows([PENDING, SUCCESS, 'SUCCESS 2023-11-14 22:13:20'], parseVmcoreCreationStatus))
})

describe('parseCrashListing', () => {
  it("finds Debian's 0-byte dump", () => {
    const traces = value(parseCrashListing(DEBIAN_CRASH_LS, '', {referenceTime: '2026-11-29T10:00:00Z'}))
    expect(traces).toEqual([
      {
        dir: '/var/crash/202611290921',
        layout: 'debian',
        dump: {name: 'dump.202611290921', size: 0, mtime: {raw: 'Nov 29 09:21', value: Date.UTC(2026, 10, 29, 9, 21), precision: 'minute', yearInferred: true}, line: 8},
        complete: true,
        empty: true,
      },
    ])
  })

  it('reads RHEL dumps: finished, interrupted, and a kdumpctl test', () => {
    const traces = value(parseCrashListing(RHEL8_CRASH_LS))
    expect(traces.map((t) => [t.dir.slice('/var/crash/'.length), t.layout, t.dump?.name, t.dump?.size, t.complete, t.empty, t.dmesg?.name, t.testStatus?.name])).toEqual([
      ['127.0.0.1-2024-05-01-10:00:12', 'rhel', 'vmcore', 2299300181, true, false, 'vmcore-dmesg.txt', undefined],
      ['127.0.0.1-2024-05-02-10:59:40', 'rhel', 'vmcore-incomplete', 419430400, false, false, 'vmcore-dmesg.txt', undefined],
      ['kdump-test-1714727700-118273645', 'rhel', 'vmcore', 1048576000, true, false, undefined, 'vmcore-creation.status'],
    ])
  })

  it('has nothing to report for an empty crash directory', () => {
    expect(value(parseCrashListing('total 0\n', "ls: cannot access '/var/crash': No such file or directory\n"))).toEqual([])
  })

  it('never throws', () => neverThrows([DEBIAN_CRASH_LS, RHEL8_CRASH_LS], (t) => parseCrashListing(t)))
})
