import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/errors.js'
import {describeSshTarget, parseSshTarget, sshArgs} from '../../src/sources/ssh.js'

describe('ssh targets', () => {
  it.each([
    ['dom0-17', {host: 'dom0-17'}],
    ['root@dom0-17.example.net', {user: 'root', host: 'dom0-17.example.net'}],
    ['kdc@10.1.2.3:2222', {user: 'kdc', host: '10.1.2.3', port: 2222}],
    ['root@[::1]:2222', {user: 'root', host: '::1', port: 2222}],
    ['fe80::1', {host: 'fe80::1'}],
  ])('reads %s', (text, target) => {
    expect(parseSshTarget(text)).toEqual(target)
  })

  it.each([
    '-oProxyCommand=touch /tmp/pwned',
    'root@-oProxyCommand=x',
    '-p22 host',
    'host;reboot',
    'ro ot@host',
    'host:99999',
    'host:22:33x',
    'user@',
    '',
    '$(reboot)@host',
  ])('refuses %j, which ssh could read as an option or a shell could interpret', (text) => {
    expect(() => parseSshTarget(text)).toThrow(InputError)
  })

  it('never yields a host or user that starts with "-" (random input)', () => {
    fc.assert(
      fc.property(fc.string({maxLength: 40}), (text) => {
        try {
          const target = parseSshTarget(text)
          expect(target.host.startsWith('-')).toBe(false)
          expect(target.user?.startsWith('-') ?? false).toBe(false)
        } catch (error) {
          expect(error).toBeInstanceOf(InputError)
        }
      }),
    )
  })

  it('puts the host after "--" with BatchMode and a connect timeout, and the collector on sh -s', () => {
    const args = sshArgs({user: 'kdc', host: 'dom0-17', port: 2222}, {sshOptions: ['StrictHostKeyChecking=accept-new'], sudo: true, connectTimeout: 7, deadline: 60, probeTimeout: 10})
    expect(args).toEqual([
      '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=7', '-o', 'ServerAliveInterval=15', '-o', 'StrictHostKeyChecking=accept-new',
      '-p', '2222', '-l', 'kdc', '--', 'dom0-17', 'sudo -n sh -s -- --deadline 60 --probe-timeout 10',
    ])
    expect(() => sshArgs({host: 'h'}, {sshOptions: ['-oProxyCommand=x'], sudo: false, connectTimeout: 7, deadline: 60, probeTimeout: 10})).toThrow(InputError)
    expect(describeSshTarget({user: 'root', host: '::1', port: 22})).toBe('ssh:root@[::1]:22')
  })
})
