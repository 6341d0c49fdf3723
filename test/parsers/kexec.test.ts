import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {interpretKexecStatus, parseKexecVersion, type KexecExit, type KexecVersion} from '../../src/parsers/kexec.js'
import {kexecAtLeast} from '../../src/parsers/versions.js'
import {anyText, expectWellFormed, neverThrows} from './never-throws.js'

// The first lines of kexec-tools' usage(), which starts by printing the version.
const USAGE_2_0_14 = `kexec-tools 2.0.14
Usage: kexec [OPTION]... [kernel]
Directly reboot into a new kernel

 -h, --help           Print this help.
 -v, --version        Print the version of kexec.
 -f, --force          Force an immediate kexec,
                      don't call shutdown.
`
const USAGE_RHEL5 = `kexec-tools-testing 20070330 released 30th March 2007
Usage: kexec [OPTION]... [kernel]
Directly reboot into a new kernel
`

function version(text: string): KexecVersion {
  const result = parseKexecVersion(text)
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '))
  return result.value
}

const exited = (code: number): KexecExit => ({kind: 'exited', code})

describe('parseKexecVersion', () => {
  it('reads releases, git builds, old releases and testing snapshots', () => {
    expect(version('kexec-tools 2.0.25\n')).toEqual({package: 'kexec-tools', text: '2.0.25', release: [2, 0, 25], suffix: ''})
    expect(version('kexec-tools 2.0.15.git\n')).toMatchObject({release: [2, 0, 15], suffix: '.git'})
    expect(version('kexec-tools 2.0.20-git20200313\n')).toMatchObject({release: [2, 0, 20], suffix: '-git20200313'})
    expect(version('kexec-tools 1.101 released 15 February 2005\n')).toMatchObject({release: [1, 101, 0], text: '1.101'})
    expect(version(USAGE_RHEL5)).toEqual({package: 'kexec-tools-testing', text: '20070330', suffix: '', snapshot: '20070330'})
  })

  it('is unparsable on other text', () => {
    expect(parseKexecVersion('bash: kexec: command not found\n').ok).toBe(false)
    expect(parseKexecVersion('').ok).toBe(false)
  })

  it('compares the versions it reads for the gates that matter (2.0.5 pvops load, 2.0.15 -S)', () => {
    const text = (raw: string): string | undefined => version(raw).text
    expect(kexecAtLeast(text('kexec-tools 2.0.25'), '2.0.15')).toBe(true)
    expect(kexecAtLeast(text('kexec-tools 2.0.14'), '2.0.15')).toBe(false)
    expect(kexecAtLeast(text('kexec-tools 2.0.15'), '2.0.15')).toBe(true)
    expect(kexecAtLeast(text('kexec-tools 2.0.15-rc1'), '2.0.15')).toBe(false)
    expect(kexecAtLeast(text('kexec-tools 2.0.14.git'), '2.0.15')).toBe(false)
    expect(kexecAtLeast(text('kexec-tools 2.0.15.git'), '2.0.15')).toBe(true)
    expect(kexecAtLeast(text('kexec-tools 1.101'), '2.0.5')).toBe(false)
    expect(kexecAtLeast(text(USAGE_RHEL5), '2.0.0')).toBe(false)
    expect(kexecAtLeast(text(USAGE_RHEL5), '1.101')).toBe(true)
    expect(kexecAtLeast(text('kexec-tools 10.0'), '2.0.15')).toBe(true)
  })
})

describe('interpretKexecStatus', () => {
  it('reads the lab: exit 0 before the load, 1 after (Xen 4.17, kexec-tools 2.0.25)', () => {
    const xen = {major: 4, minor: 17}
    expect(interpretKexecStatus({out: '', err: '', exit: exited(0)}, {xen})).toEqual({
      ok: true,
      value: {status: 'not-loaded', reason: 'kexec -S exited 0: no capture kernel is loaded'},
      problems: [],
    })
    const after = interpretKexecStatus({out: '', err: '', exit: exited(1)}, {xen})
    expect(after.ok && after.value.status).toBe('loaded')
  })

  it('never reads an old kexec-tools usage error as loaded', () => {
    const debian9 = interpretKexecStatus({out: USAGE_2_0_14, err: "kexec: invalid option -- 'S'\n", exit: exited(1)})
    expect(debian9.ok && debian9.value).toEqual({
      status: 'unsupported',
      reason: 'this kexec-tools (kexec-tools 2.0.14) does not know -S (added in 2.0.15); its exit status 1 does not mean "loaded"',
    })
    const rhel5 = interpretKexecStatus({out: USAGE_RHEL5, err: 'kexec: invalid option -- S\n', exit: exited(1)})
    expect(rhel5.ok && rhel5.value.status).toBe('unsupported')
    const stderrOnly = interpretKexecStatus({out: '', err: 'kexec: invalid option -- S\n', exit: exited(1)})
    expect(stderrOnly.ok && stderrOnly.value.status).toBe('unsupported')
    const usageOnly = interpretKexecStatus({out: USAGE_2_0_14, err: '', exit: exited(1)})
    expect(usageOnly.ok && usageOnly.value.status).toBe('unsupported')
  })

  it('distrusts exit 1 with unexpected output', () => {
    const odd = interpretKexecStatus({out: 'something\n', err: '', exit: exited(1)})
    expect(odd.ok && odd.value.status).toBe('unknown')
  })

  it('reports errors with the first stderr line', () => {
    const err = interpretKexecStatus({out: '', err: 'xencall: error: Could not obtain handle on privileged command interface: No such file or directory\n', exit: exited(255)})
    expect(err.ok && err.value).toEqual({status: 'error', reason: 'kexec -S failed: xencall: error: Could not obtain handle on privileged command interface: No such file or directory'})
    const quiet = interpretKexecStatus({out: '', err: '', exit: exited(255)})
    expect(quiet.ok && quiet.value.reason).toMatch(/Xen 4.9 status support/)
  })

  it('does not believe "not loaded" from a Xen without the status operation', () => {
    const old = interpretKexecStatus({out: '', err: '', exit: exited(0)}, {xen: {major: 4, minor: 8}})
    expect(old.ok && old.value.status).toBe('unknown')
    expect(old.ok && old.value.reason).toMatch(/Xen 4.8 has no kexec status operation/)
  })

  it('is unknown when kexec is missing, timed out, unrecorded or exits oddly', () => {
    const status = (exit: KexecExit): string | false => {
      const result = interpretKexecStatus({out: '', err: '', exit})
      return result.ok && result.value.status
    }
    expect(status({kind: 'missing'})).toBe('unknown')
    expect(status({kind: 'timeout'})).toBe('unknown')
    expect(status({kind: 'unrecorded'})).toBe('unknown')
    expect(status(exited(2))).toBe('unknown')
  })

  it('never throws', () => {
    neverThrows(['kexec-tools 2.0.25\n', USAGE_2_0_14, USAGE_RHEL5], parseKexecVersion)
    const exits = fc.oneof(
      fc.integer({min: -1, max: 300}).map(exited),
      fc.constantFrom<KexecExit>({kind: 'timeout'}, {kind: 'missing'}, {kind: 'unrecorded'}),
    )
    const text = anyText([USAGE_2_0_14, "kexec: invalid option -- 'S'\n", ''])
    fc.assert(
      fc.property(text, text, exits, fc.nat({max: 30}), (out, err, exit, minor) => {
        expectWellFormed(interpretKexecStatus({out, err, exit}, {xen: {major: 4, minor}}))
      }),
      {numRuns: 400},
    )
  })
})
