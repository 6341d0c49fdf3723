/**
 * File names cannot forge a listing (issue 12, item 3): with `ls -q` a newline is a `?` and cannot
 * start a line; a symlink whose name or target holds ` -> ` is split where its size says the target
 * starts; a name ls could not print is marked, and an unsplittable line matches no service.
 */
import {describe, expect, it} from 'vitest'
import {kdumpEnablement, parseLsServices} from '../../src/parsers/chkconfig.js'
import {parseLsBoot} from '../../src/parsers/ls-boot.js'

describe('ls listings against hostile file names', () => {
  it('a name with a newline, listed with -q, is one entry holding ?, not a second entry', () => {
    const out = [
      '/etc/systemd/system/multi-user.target.wants:',
      'total 0',
      '-rw-r--r-- 1 root root 0 Dec  7 17:36 x?lrwxrwxrwx 1 root root 19 Jan  1  2024 kdump-tools.service -> kdump-tools.service',
      '',
    ].join('\n')
    const listing = parseLsBoot(out)
    expect(listing.ok && listing.value.entries).toHaveLength(1)
    const links = parseLsServices(out)
    expect(links.ok && kdumpEnablement(links.value).systemd).toEqual([])
  })

  it('a symlink named "kdump.service -> x" is split where its size (the target length) says', () => {
    const out = [
      '/etc/systemd/system/multi-user.target.wants:',
      'lrwxrwxrwx 1 root root 8 Mar  3 10:00 kdump.service -> /dev/null -> /nowhere',
      '',
    ].join('\n')
    const listing = parseLsBoot(out)
    const e = listing.ok ? listing.value.entries[0]! : undefined
    expect(e).toMatchObject({name: 'kdump.service -> /dev/null', linkTarget: '/nowhere'})
    expect(e?.ambiguous).toBeUndefined()
    const links = parseLsServices(out)
    expect(links.ok && kdumpEnablement(links.value).systemd).toEqual([])
  })

  it('the real link still reads, and a target holding " -> " is kept whole', () => {
    const out = [
      '/etc/rc.d/rc3.d:',
      'lrwxrwxrwx 1 root root 15 Mar  3  2015 S22kdump -> ../init.d/kdump',
      'lrwxrwxrwx 1 root root 10 Mar  3  2015 S23other -> a -> b/c/d',
      '',
    ].join('\n')
    const listing = parseLsBoot(out)
    expect(listing.ok && listing.value.entries.map((e) => [e.name, e.linkTarget])).toEqual([
      ['S22kdump', '../init.d/kdump'],
      ['S23other', 'a -> b/c/d'],
    ])
  })

  it('when the size cannot settle it, a line with two arrows is ambiguous, a problem, and no boot link', () => {
    // An old listing in a UTF-8 locale: the size counts bytes the line does not show one for one.
    const out = ['/etc/systemd/system/multi-user.target.wants:', 'lrwxrwxrwx 1 root root 99 Mar  3 10:00 kdump.service -> x -> y', ''].join('\n')
    const listing = parseLsBoot(out)
    expect(listing.ok && listing.value.entries[0]?.ambiguous).toBe(true)
    expect(listing.problems.map((p) => p.message).join('\n')).toMatch(/where the name ends is not known/)
    const links = parseLsServices(out)
    expect(links.ok && kdumpEnablement(links.value).systemd).toEqual([])
  })

  it('a name holding ? is marked: ls -q may have printed unprintable bytes that way', () => {
    const listing = parseLsBoot('/boot:\n-rw-r--r-- 1 0 0 0 Jan  1  2024 initrd.img-6.1.0?x\n')
    expect(listing.ok && listing.value.entries[0]?.masked).toBe(true)
  })

  it('a plain ls -ln listing from before -q still reads as it did', () => {
    const listing = parseLsBoot('/boot:\ntotal 4\n-rw-r--r-- 1 0 0 83 Feb  1  2024 System.map-6.1.0-18-amd64\nlrwxrwxrwx 1 0 0 29 Dec 30 23:50 vmlinuz -> /boot/vmlinuz-6.1.0-18-amd64\n')
    expect(listing.ok && listing.value.entries.map((e) => [e.name, e.linkTarget ?? null, e.masked ?? false])).toEqual([
      ['System.map-6.1.0-18-amd64', null, false],
      ['vmlinuz', '/boot/vmlinuz-6.1.0-18-amd64', false],
    ])
  })
})
