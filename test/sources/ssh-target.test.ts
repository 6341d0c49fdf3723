import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {hostname, tmpdir} from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {InputError} from '../../src/errors.js'
import {remoteTriggerScript} from '../../src/preflight/trigger.js'
import {shellCommand} from '../../src/sources/shell-quote.js'
import {describeSshTarget, hostDeadline, parseSshTarget, sshArgs} from '../../src/sources/ssh.js'

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

  it('puts any remote command last, quoted word by word, without overwriting what ssh needs', () => {
    const args = sshArgs({host: 'dom0-17'}, {sshOptions: [], sudo: false, connectTimeout: 7, deadline: 60, probeTimeout: 10}, ['sh', '-c', "echo 'it''s' $HOME"])
    expect(args.slice(-3)).toEqual(['--', 'dom0-17', `sh -c 'echo '\\''it'\\'''\\''s'\\'' $HOME'`])
  })

  it('quotes any word so that a POSIX shell gets it back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.string({unit: 'binary'}).map((s) => s.replace(/\0/g, '')), {maxLength: 6}), (words) => {
        const back = spawnSync('/bin/sh', ['-c', `for w in ${shellCommand(['x', ...words])}; do printf '%s\\0' "$w"; done`], {encoding: 'utf8'})
        expect(back.stdout.split('\0').slice(1, -1)).toEqual(words)
      }),
      {numRuns: 50},
    )
  })

  it('runs the remote trigger script with every value as one word: the wrong host writes nothing, the right one writes "c"', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kdc-trigger-script-'))
    const bin = path.join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(path.join(bin, 'logger'), `#!/bin/sh\nfor a in "$@"; do printf '[%s]' "$a"; done >> '${dir}/logger.calls'\n`, {mode: 0o755})
    for (const tool of ['sync', 'sleep']) writeFileSync(path.join(bin, tool), '#!/bin/sh\n', {mode: 0o755})
    const file = path.join(dir, 'sysrq trigger')
    writeFileSync(file, '')
    const message = `it's $(touch ${dir}/pwned) \`touch ${dir}/pwned\``
    const env = {PATH: `${bin}:/usr/bin:/bin`}
    const wrong = spawnSync('/bin/sh', ['-c', remoteTriggerScript(`${hostname()}; touch ${dir}/pwned`, file, message)], {encoding: 'utf8', env})
    expect(wrong.status).toBe(97)
    expect(wrong.stdout).toBe(`kdumpcheck-trigger: host=${hostname()}\n`)
    expect(readFileSync(file, 'utf8')).toBe('')
    const right = spawnSync('/bin/sh', ['-c', remoteTriggerScript(hostname(), file, message)], {encoding: 'utf8', env})
    expect(right.status, right.stderr).toBe(0)
    expect(readFileSync(file, 'utf8')).toBe('c')
    expect(readFileSync(path.join(dir, 'logger.calls'), 'utf8')).toBe(`[-t][kdumpcheck][-p][user.crit][${message}]`)
    expect(existsSync(path.join(dir, 'pwned'))).toBe(false)
    const full = spawnSync('/bin/sh', ['-c', remoteTriggerScript(hostname(), file, message)], {encoding: 'utf8', env})
    expect([full.status, full.stdout]).toEqual([96, 'kdumpcheck-trigger: not-a-trigger\n'])
  })

  it('has one per-host deadline: connection, the collector\'s own deadline, and 15 s', () => {
    expect(hostDeadline({connectTimeout: 10, deadline: 60})).toBe(85)
  })
})
