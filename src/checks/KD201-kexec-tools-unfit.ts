import {kexecAtLeast} from '../parsers/versions.js'
import {xenAtLeast} from '../parsers/xen-version.js'
import {defineCheck, notApplicable, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD201',
    title: 'kexec-tools is too old or unfit for this dom0 and Xen',
    nativeTitle: 'kexec-tools is too old or unfit for this kernel',
    severity: 'error',
    scope: 'runtime',
    stage: 'capture',
    why: `Loading a capture kernel into Xen works two ways, and kexec-tools 2.0.5 switched between them. Before 2.0.5, kexec-tools used the kexec_load system call, which only a xenolinux dom0 kernel forwards to Xen; a pvops dom0 then loads the image into its own (non-existent) region. From 2.0.5, kexec-tools loads through libxenctrl and Xen's kexec hypercalls, which exist from Xen 4.4 on; the same release dropped the xenolinux system-call path. So a pvops dom0 needs kexec-tools >= 2.0.5 on Xen >= 4.4, and a xenolinux dom0 on Xen < 4.4 needs kexec-tools older than 2.0.5.`,
    fix: `Use a kexec-tools that matches the hypervisor: on Xen >= 4.4 install kexec-tools >= 2.0.5 built with Xen support (Debian's and Xen4CentOS' builds are); on a xenolinux dom0 with Xen < 4.4 keep the distribution's own older kexec-tools (RHEL5: 1.102pre). Then restart the kdump service and confirm with \`kexec -p -S; echo $?\` (1 = loaded) on Xen >= 4.9.`,
    references: ['https://git.kernel.org/pub/scm/utils/kernel/kexec/kexec-tools.git/log/kexec/kexec-xen.c', 'https://wiki.xenproject.org/wiki/Kexec_and_Kdump'],
  },
  (facts) => {
    if (!facts.xenPvDom0 || !facts.role.known || facts.role.value.kind !== 'xen-dom0') {
      return notApplicable('Outside a Xen PV dom0 any kexec-tools that supports -p will do.')
    }
    if (facts.captureLoaded.known && facts.captureLoaded.value.loaded) return pass('A capture kernel is loaded into Xen, so this kexec-tools can load one.', facts.captureLoaded.evidence)
    const tools = facts.kexecTools
    if (!tools.known || !tools.value.installed) return notApplicable('kexec-tools is missing or unknown (KD200).')
    const modern = kexecAtLeast(tools.value.version, '2.0.5')
    const version = facts.xenVersion
    const evidence = [...tools.evidence, ...version.evidence]
    if (modern === undefined) {
      const why = tools.value.versionUnknown ?? `the kexec-tools version "${tools.value.version ?? ''}" cannot be compared`
      return {status: 'unknown', message: `Whether this kexec-tools can load into Xen is unknown: ${why}.`, evidence: tools.evidence, verify: 'command -v kexec; kexec --version'}
    }
    if (!version.known) return {status: 'unknown', message: `The Xen version is unknown: ${version.reason}.`, evidence, verify: 'xl info | grep xen_version'}
    const newXen = xenAtLeast(version.value, 4, 4)
    const kernel = facts.role.value.kernel
    if (kernel === 'pvops' && !modern) {
      return {status: 'problem', message: `kexec-tools ${tools.value.version} predates 2.0.5: on a pvops dom0 it cannot load a capture kernel into Xen.`, evidence}
    }
    if (kernel === 'unknown' && !modern) {
      return {
        status: 'unknown',
        message: `kexec-tools ${tools.value.version} predates 2.0.5: it can load into Xen from a xenolinux dom0 (through its kernel), not from a pvops one, and this dom0's kernel flavour is unknown${facts.role.value.flavourUnknown ? ` (${facts.role.value.flavourUnknown})` : ''}.`,
        evidence,
        verify: 'grep -E "CONFIG_XEN_DOM0=|CONFIG_XEN_PRIVILEGED_GUEST=" /boot/config-$(uname -r)   (XEN_DOM0 = pvops); grep -i hypervisor /proc/iomem   (xenolinux)',
      }
    }
    if (modern && !newXen) {
      return {status: 'problem', message: `kexec-tools ${tools.value.version} loads through Xen's kexec hypercalls, which Xen ${version.value.text} (< 4.4) does not have${kernel === 'xenolinux' ? "; and it no longer uses the xenolinux kernel's kexec_load path" : ''}.`, evidence}
    }
    return pass(`kexec-tools ${tools.value.version} can load into Xen ${version.value.text} from a ${kernel === 'unknown' ? 'dom0 of either kernel flavour' : `${kernel} dom0`}.`, evidence)
  },
)
