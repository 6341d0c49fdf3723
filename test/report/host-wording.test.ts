/**
 * Titles and fixes in the host's own words (issue 16). A host without Xen never reads Xen advice: every check is
 * walked over every native fixture (snapshots under fixtures/ whose role is known and is not Xen) and no title or
 * fix mentions Xen. A host whose distribution and boot loader are known gets only their commands; an unknown host
 * gets the whole list.
 */
import {existsSync, readdirSync, statSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {ALL_CHECKS} from '../../src/checks/index.js'
import {ANY_HOST, forHost, hostContext, tailorAdvice, type HostContext} from '../../src/checks/shared/host-wording.js'
import {buildFacts} from '../../src/facts/facts.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

/** Every snapshot directory under fixtures/ (a directory holding snapshot.json). */
function snapshotDirs(dir: string, depth = 0): string[] {
  if (depth > 3) return []
  if (existsSync(path.join(dir, 'snapshot.json'))) return [dir]
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .flatMap((name) => snapshotDirs(path.join(dir, name), depth + 1))
}

// fixtures/bad holds snapshots the reader must refuse.
const ALL = snapshotDirs(path.join(ROOT, 'fixtures')).filter((dir) => !dir.includes(`${path.sep}fixtures${path.sep}bad${path.sep}`))
const XEN = /\bxen|\bxl\b|\bxm\b|\bdom0\b/i

describe('wording chosen for the host', () => {
  it('finds native and Xen fixtures to walk', async () => {
    const kinds = await Promise.all(ALL.map(async (dir) => hostContext(buildFacts(await readSnapshot(dir))).xen))
    expect(kinds.filter((x) => x === false).length).toBeGreaterThanOrEqual(8)
    expect(kinds.filter((x) => x === true).length).toBeGreaterThanOrEqual(8)
  })

  it('no title or fix mentions Xen on a host without it (every check, every native fixture)', async () => {
    const offences: string[] = []
    let native = 0
    for (const dir of ALL) {
      const snapshot = await readSnapshot(dir)
      const host = hostContext(buildFacts(snapshot))
      if (host.xen !== false) continue
      native++
      const report = judgeSnapshot(snapshot)
      expect(report.findings).toHaveLength(ALL_CHECKS.length)
      for (const f of report.findings) {
        if (XEN.test(f.title)) offences.push(`${path.relative(ROOT, dir)} ${f.id} title: ${f.title}`)
        if (f.fix && XEN.test(f.fix)) offences.push(`${path.relative(ROOT, dir)} ${f.id} fix: ${f.fix.split('\n').find((l) => XEN.test(l))}`)
      }
      // Every check's generic fix, as the engine would word it on this host if the check failed here.
      for (const check of ALL_CHECKS) {
        const fix = tailorAdvice(check.meta.fixFor?.(host) ?? check.meta.fix, host)
        if (XEN.test(fix)) offences.push(`${path.relative(ROOT, dir)} ${check.meta.id} fixFor: ${fix.split('\n').find((l) => XEN.test(l))}`)
      }
    }
    expect(native).toBeGreaterThanOrEqual(8)
    expect(offences).toEqual([])
  })

  it('picks the variants for a known host, all of them for an unknown one', () => {
    const variants = [
      [{family: ['rhel'], legacyInit: true}, 'rhel5'],
      [{family: ['rhel'], legacyInit: false}, 'rhel7'],
      [{family: ['debian']}, 'debian'],
      [{image: true}, 'image'],
    ] as const
    const host = (over: Partial<HostContext>): HostContext => ({...ANY_HOST, ...over})
    expect(forHost(host({family: 'rhel', legacyInit: true}), variants as never)).toEqual(['rhel5'])
    expect(forHost(host({family: 'rhel'}), variants as never)).toEqual(['rhel5', 'rhel7'])
    expect(forHost(host({family: 'debian', legacyInit: false}), variants as never)).toEqual(['debian'])
    expect(forHost(ANY_HOST, variants as never)).toEqual(['rhel5', 'rhel7', 'debian'])
    expect(forHost(host({family: 'other'}), variants as never)).toEqual(['rhel5', 'rhel7', 'debian'])
    expect(forHost(host({family: 'debian', image: true}), variants as never)).toEqual(['debian', 'image'])
  })

  it('the incident host (RHEL 5, grub legacy, xm) gets its own commands only', async () => {
    const report = judgeSnapshot(await readSnapshot(path.join(ROOT, 'fixtures/hosts/incident-el5xen')))
    const fixes = report.findings.filter((f) => f.fix).map((f) => `${f.id}: ${f.fix}`).join('\n')
    expect(fixes).toContain('/boot/grub/grub.conf')
    expect(fixes).toContain('chkconfig kdump on && service kdump start')
    for (const foreign of ['GRUB_CMDLINE_XEN', 'update-grub', 'grub2-mkconfig', 'xen-cmdline', 'systemctl enable', 'kdump-config', 'RHEL 7+', 'below=4G', '`xl dmesg']) {
      expect(fixes, foreign).not.toContain(foreign)
    }
  })
})
