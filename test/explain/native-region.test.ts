/**
 * Natively, RHEL's kdumpctl ("No memory reserved for crash kernel.") and Debian's kdump-config ("no crashkernel=
 * parameter in the kernel cmdline") read the running kernel's own reservation: their word breaks the region link.
 * Under Xen they read dom0's kernel, which reserves nothing whatever Xen has: there it is not evidence.
 * Real artifact: fixtures/real-world/centos7-kdumpctl-no-memory-cncf-143 (cncf/demo#143).
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {explainInputs} from '../../src/explain/explain.js'

const log = path.resolve(import.meta.dirname, '../../fixtures/real-world/centos7-kdumpctl-no-memory-cncf-143/log/systemctl-status.txt')
const work = mkdtempSync(path.join(tmpdir(), 'kdc-native-region-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

describe("the kdump service's own 'no crash region'", () => {
  it('breaks the region link on a native host (CentOS 7, cncf/demo#143), and the outcome stays unknown: nothing crashed', async () => {
    const r = await explainInputs([log])
    expect(r.chain.find((l) => l.link === 'region')).toMatchObject({status: 'broken'})
    expect(r.causes.map((c) => c.id)).toContain('region-not-reserved')
    expect(r.verdict.outcome).toBe('unknown')
  })

  it('is not evidence under Xen (dom0 reserves nothing, whatever Xen has)', async () => {
    const file = path.join(work, 'dom0.txt')
    writeFileSync(file, `(XEN) Xen version 4.4.1 (mockbuild@centos.org)\n${readFileSync(log, 'utf8')}`)
    const r = await explainInputs([file])
    expect(r.chain.find((l) => l.link === 'region')?.status).not.toBe('broken')
    expect(r.causes.map((c) => c.id)).not.toContain('region-not-reserved')
  })
})
