/** The catalogue, in ID order. IDs are stable and never reused (ARCHITECTURE.md). */
import KD100 from './KD100-host-role.js'
import KD101 from './KD101-xen-line-lacks-crashkernel.js'
import KD102 from './KD102-crashkernel-on-dom0-line.js'
import KD103 from './KD103-xen-crashkernel-invalid.js'
import KD104 from './KD104-region-not-reserved.js'
import KD105 from './KD105-region-too-small.js'
import KD106 from './KD106-next-boot-differs.js'
import KD107 from './KD107-default-entry-lacks-crashkernel.js'
import KD200 from './KD200-kexec-tools-missing.js'
import KD201 from './KD201-kexec-tools-unfit.js'
import KD202 from './KD202-capture-kernel-not-loaded.js'
import KD203 from './KD203-capture-kernel-xen-only.js'
import KD204 from './KD204-capture-initrd-missing.js'
import KD205 from './KD205-kexec-load-disabled.js'
import KD206 from './KD206-xen-only-console.js'
import type {Check} from './types.js'

export const ALL_CHECKS: readonly Check[] = [KD100, KD101, KD102, KD103, KD104, KD105, KD106, KD107, KD200, KD201, KD202, KD203, KD204, KD205, KD206]
