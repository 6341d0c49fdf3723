import {hostText} from './shared/host-wording.js'
import {defineCheck, notApplicable, pass} from './types.js'

const REBUILD_FIX = hostText(
  'Rebuild it and reload:',
  [
    [{family: ['rhel'], legacyInit: false}, 'RHEL 7+: `kdumpctl rebuild && kdumpctl restart`.'],
    [{family: ['rhel'], legacyInit: true}, 'RHEL 5/6: `touch /etc/kdump.conf && service kdump restart`.'],
    [{family: ['debian']}, 'Debian/Ubuntu: `kdump-config unload; kdump-config load` (it runs mkinitramfs).'],
  ],
  "Read the service's log if it fails.",
)

export default defineCheck(
  {
    id: 'KD204',
    title: 'The capture initrd is missing',
    severity: 'warning',
    scope: 'static',
    stage: 'capture',
    why: `The capture kernel needs its own initrd, the one that mounts the dump target and runs the collector (RHEL: /boot/initramfs-<release>kdump.img, /boot/initrd-<release>kdump.img on RHEL 5/6; Debian: /var/lib/kdump/initrd.img-<release>). The services build it when they start, but a build that fails (a full /boot, a missing module, an unreachable NFS or ssh target) leaves no capture kernel loaded at the next boot. An image already loaded is not affected, which is why this is a warning: it predicts the next load, not the current one.`,
    fix: REBUILD_FIX.full,
    fixFor: REBUILD_FIX.for,
    references: ['https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU cannot load a capture kernel (KD100).')
    if (facts.captureLoaded.known && facts.captureLoaded.value.loaded) return pass('A capture kernel and its initrd are already loaded.', facts.captureLoaded.evidence)
    const images = facts.captureImages
    if (!images.known) return {status: 'unknown', message: `Which capture initrd the service loads is unknown: ${images.reason}.`, evidence: images.evidence}
    const listing = facts.bootListing
    if (!listing.known) return {status: 'unknown', message: `The capture initrd ${images.value.initrdPath} could not be looked for: ${listing.reason}.`, evidence: images.value.evidence}
    const found = listing.value.lookup(images.value.initrdPath)
    if (found) return pass(`The capture initrd ${images.value.initrdPath} exists (${found.entry.size ?? '?'} bytes).`, [found.evidence])
    if (!listing.value.covers(images.value.initrdPath)) return {status: 'unknown', message: `${images.value.initrdPath} is outside the collected listing.`, evidence: images.value.evidence}
    return {
      status: 'problem',
      message: `The capture initrd ${images.value.initrdPath} does not exist${images.value.rebuiltOnStart ? '; the kdump service builds it when it starts, and nothing is loaded until that succeeds' : ''}.`,
      evidence: [...images.value.evidence, listing.value.evidence],
    }
  },
)
