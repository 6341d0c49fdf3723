/**
 * A sysctl file or directory that could not be read makes every configured tunable unknown (issue
 * 12, item 4): a lower-priority file that was read must not decide, since the unread one may
 * override it.
 */
import {describe, expect, it} from 'vitest'
import {configuredSysctl} from '../../src/facts/sysctl.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {writeSnapshotDir} from '../helpers/snapshot-builder.js'

const meta = (errors: string[]) => ({format: 'kdumpcheck-snapshot/1', hostname: 'img', collected_at: '2026-11-29T10:00:00Z', kind: 'static', collector: 'test', errors})
const files = {'/usr/lib/sysctl.d/10-oops.conf': 'kernel.panic_on_oops = 1\n'}

describe('configuredSysctl with unreadable sysctl evidence', () => {
  it('reads the file that sets it when nothing was unreadable', async () => {
    const s = await readSnapshot(writeSnapshotDir({meta: meta([]), files}))
    expect(configuredSysctl(s, 'kernel.panic_on_oops')).toMatchObject({known: true, value: '1'})
  })

  it.each([
    '/etc/sysctl.d: could not be read: Permission denied',
    '/etc/sysctl.d/99-x.conf: could not be read: Input/output error',
    '/etc/sysctl.conf: could not be read: Permission denied',
    '/etc/sysctl.d/*.conf: too many matches, only the first 4096 were read',
  ])('is unknown when the source recorded %j', async (error) => {
    const s = await readSnapshot(writeSnapshotDir({meta: meta([error]), files}))
    const fact = configuredSysctl(s, 'kernel.panic_on_oops')
    expect(fact.known).toBe(false)
    expect(fact.known ? '' : fact.reason).toContain(error)
  })

  it('an unrelated unreadable file changes nothing', async () => {
    const s = await readSnapshot(writeSnapshotDir({meta: meta(['/etc/kdump.conf: could not be read: Permission denied']), files}))
    expect(configuredSysctl(s, 'kernel.panic_on_oops')).toMatchObject({known: true, value: '1'})
  })
})
