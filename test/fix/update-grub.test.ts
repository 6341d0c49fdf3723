/**
 * updateGrubLines (what Debian's update-grub writes for the default Xen entry) against grub.cfg files
 * update-grub really generated, before and after `fix`: the edited /etc/default/grub (+ grub.d) and the
 * edited grub.cfg must still say the same thing, or the image would change at the next update-grub.
 */
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {planFixes} from '../../src/fix/planner.js'
import {withChanges} from '../../src/fix/simulate.js'
import {updateGrubLines} from '../../src/fix/update-grub.js'
import {parseGrub2} from '../../src/parsers/grub2.js'
import type {Snapshot} from '../../src/snapshot/snapshot.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'
import {REPO} from './discover.js'

function compare(snapshot: Snapshot): {derived: {xen: string; dom0: string}; generated: {xen: string; dom0: string}} {
  const files = [snapshot.file('/etc/default/grub')!, ...snapshot.filesMatching(/^\/etc\/default\/grub\.d\/[^/]+\.cfg$/)].map((f) => ({path: f.path, text: f.text}))
  const cfg = parseGrub2(snapshot.file('/boot/grub/grub.cfg')!.text)
  const entry = cfg.ok ? cfg.value.default.entry : null
  const lines = updateGrubLines(files, {rootDevice: /root=(\S+)/.exec(entry?.linux?.args ?? '')?.[1]})
  return {
    derived: {xen: lines.xen.args.replace(/\s+/g, ' ').trim(), dom0: lines.dom0.args.replace(/\s+/g, ' ').trim()},
    generated: {xen: `placeholder ${entry?.xen?.args ?? ''}`.replace(/\s+/g, ' ').trim(), dom0: `placeholder ${entry?.linux?.args ?? ''}`.replace(/\s+/g, ' ').trim()},
  }
}

describe('the lines update-grub generates', () => {
  for (const name of ['image-debian12-xen-good', 'image-debian12-xen-generated-broken']) {
    it(`${name}: derived from the defaults = the generated grub.cfg, before and after fix`, async () => {
      const snapshot = await readSnapshot(path.join(REPO, 'fixtures/hosts', name))
      const before = compare(snapshot)
      expect(before.derived).toEqual(before.generated)
      const fixed = withChanges(snapshot, planFixes(snapshot).plan)
      const after = compare(fixed)
      expect(after.derived).toEqual(after.generated)
      expect(after.derived.xen).toMatch(/crashkernel=256M,below=4G/)
      expect(after.derived.xen).not.toMatch(/noreboot/)
    })
  }

  it('an EFI boot adds xen_rm_opts; an unescaped < is dropped by grub and reported', () => {
    const lines = updateGrubLines([{path: '/etc/default/grub', text: 'GRUB_CMDLINE_XEN_DEFAULT="crashkernel=256M<4G"\nGRUB_CMDLINE_LINUX="quiet"\n'}], {efi: true, rootDevice: '/dev/xvda1'})
    expect(lines.xen.args).toBe('placeholder crashkernel=256M no-real-mode edd=off')
    expect(lines.xen.dropped).toEqual(['<4G'])
    expect(lines.dom0.args).toBe('placeholder root=/dev/xvda1 ro quiet')
  })
})
