import {kernelAtLeast} from '../parsers/versions.js'
import type {Evidence} from '../snapshot/evidence.js'
import {formatMiB as mib, MiB} from '../units.js'
import {defineCheck, notApplicable, pass} from './types.js'

/** Memory the capture kernel needs beyond its own images to boot and run the collector. */
function workingMemoryBytes(release: string | undefined, onXen: boolean): number {
  // 2.6-era capture kernels ran in ~64 MiB; current ones need ~128 MiB, and makedumpfile processes a
  // Xen vmcore non-cyclically, which needs more still.
  const base = release !== undefined && kernelAtLeast(release, 3, 0) ? 128 * MiB : 64 * MiB
  return onXen ? base + 32 * MiB : base
}

export default defineCheck(
  {
    id: 'KD105',
    title: 'The crash region is too small for the capture kernel',
    severity: 'error',
    scope: 'runtime',
    stage: 'region',
    why: `The region must hold the capture kernel and its initrd and leave enough memory for that kernel to boot and run the dump collector. A region smaller than the images cannot be loaded at all ("kexec_load failed: Cannot assign requested address" or "Not enough memory"); one with too little left over loads fine but the capture kernel runs out of memory (OOM, panics in the capture kernel) and writes no dump. On Xen the collector processes a whole-machine vmcore, which needs more memory than a native dump.`,
    fix: `Reserve more: raise the crashkernel= size on the Xen line (e.g. crashkernel=384M,below=4G; see KD101 for where) or natively on the kernel line, reboot, and reload the capture kernel. Shrinking the capture initrd also helps (RHEL: \`dracut_args --omit <modules>\` in /etc/kdump.conf; Debian: MODULES=dep in the kdump-tools initramfs configuration).`,
    references: ['https://docs.kernel.org/admin-guide/kdump/kdump.html', 'https://access.redhat.com/solutions/59432'],
  },
  (facts) => {
    const region = facts.crashRegion
    if (!region.known || !region.value.reserved) return notApplicable('No region is known to be reserved (KD104).')
    const size = region.value.sizeBytes
    const loaded = facts.captureLoaded.known && facts.captureLoaded.value.loaded
    const images = facts.captureImages
    const listing = facts.bootListing
    const release = images.known ? images.value.release ?? (facts.kernelRelease.known ? facts.kernelRelease.value : undefined) : facts.kernelRelease.known ? facts.kernelRelease.value : undefined
    const working = workingMemoryBytes(release, facts.xenPvDom0)
    const evidence: Evidence[] = [...region.evidence]
    let imageBytes: number | undefined
    if (images.known && listing.known) {
      const kernel = listing.value.lookup(images.value.kernelPath)
      const initrd = listing.value.lookup(images.value.initrdPath)
      if (kernel?.entry.size != null && initrd?.entry.size != null) {
        imageBytes = kernel.entry.size + initrd.entry.size
        evidence.push(kernel.evidence, initrd.evidence)
      }
    }
    if (imageBytes !== undefined && imageBytes >= size && !loaded) {
      return {status: 'problem', message: `The ${mib(size)} region cannot even hold the capture kernel and initrd (${mib(imageBytes)}).`, evidence}
    }
    const needed = (imageBytes ?? 0) + working
    if (size < needed) {
      // Below half the working memory the kernel cannot even decompress and boot: that is a certain
      // failure, not a risk.
      const hopeless = imageBytes !== undefined && size - imageBytes < working / 2
      return {
        status: 'problem',
        severity: hopeless ? 'error' : 'warning',
        message: `The ${mib(size)} region leaves ${imageBytes === undefined ? 'an unknown amount' : mib(size - imageBytes)} for the capture kernel to run in; about ${mib(working)} is needed${imageBytes === undefined ? ' beyond the images' : ''}: the capture kernel may run out of memory.`,
        evidence,
      }
    }
    if (imageBytes === undefined && !loaded) {
      return {status: 'unknown', severity: 'warning', message: `The ${mib(size)} region is reserved, but the capture kernel and initrd sizes are unknown.`, evidence, verify: 'ls -l the capture kernel and initrd the kdump service uses'}
    }
    return pass(`The ${mib(size)} region holds ${imageBytes === undefined ? 'the loaded capture kernel' : `the capture kernel and initrd (${mib(imageBytes)})`} and leaves enough to run.`, evidence)
  },
)
