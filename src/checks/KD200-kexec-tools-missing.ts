import {defineCheck, pass} from './types.js'

export default defineCheck(
  {
    id: 'KD200',
    title: 'kexec-tools is not installed',
    severity: 'error',
    scope: 'static',
    stage: 'capture',
    why: `A capture kernel gets into the crash region only through \`kexec -p\` from kexec-tools (on Xen, kexec-tools loads it into the hypervisor through libxenctrl). Without it nothing can be loaded, whatever the region and the service say.`,
    fix: `Install it: \`yum install kexec-tools\` (RHEL/CentOS; on RHEL 9.x also kdump-utils), \`apt-get install kexec-tools kdump-tools\` (Debian/Ubuntu), \`zypper install kexec-tools kdump\` (SUSE). XenServer/XCP-ng ship it in dom0.`,
    references: ['https://git.kernel.org/pub/scm/utils/kernel/kexec/kexec-tools.git'],
  },
  (facts) => {
    if (facts.captureLoaded.known && facts.captureLoaded.value.loaded) return pass('A capture kernel is loaded, so kexec-tools did its job.', facts.captureLoaded.evidence)
    const tools = facts.kexecTools
    if (!tools.known) return {status: 'unknown', message: `Whether kexec-tools is installed is unknown: ${tools.reason}.`, evidence: tools.evidence, verify: 'kexec --version; rpm -q kexec-tools || dpkg -l kexec-tools'}
    if (tools.value.installed) return pass(`kexec-tools${tools.value.version ? ` ${tools.value.version}` : ''} is installed.`, tools.evidence)
    return {status: 'problem', message: 'kexec-tools is not installed: nothing can load a capture kernel.', evidence: tools.evidence}
  },
)
