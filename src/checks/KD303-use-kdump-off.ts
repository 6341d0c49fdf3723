import {defineCheck, notApplicable, pass} from './types.js'

const FILE = '/etc/default/kdump-tools' as const

export default defineCheck(
  {
    id: 'KD303',
    title: 'USE_KDUMP is off in /etc/default/kdump-tools',
    severity: 'error',
    scope: 'static',
    stage: 'service',
    why: `Debian's and Ubuntu's kdump-tools do nothing unless USE_KDUMP=1 in /etc/default/kdump-tools: the init script that kdump-tools.service runs exits 0 before loading anything unless USE_KDUMP is a non-zero number (\`[ "$USE_KDUMP" -ne 0 ] || exit 0\`), and kdump-config itself refuses with "USE_KDUMP is not set or zero". The package's debconf question sets it at install time, and a non-interactive install (DEBIAN_FRONTEND=noninteractive, preseeding, images) answers with the default, which is "no" on Debian. The treacherous part: kdump-tools.service is then enabled and "active (exited)", every service check is green, and no capture kernel is loaded.`,
    fix: `Set it and reload:
- \`sed -i 's/^USE_KDUMP=.*/USE_KDUMP=1/' ${FILE}\` (or \`dpkg-reconfigure kdump-tools\` and answer yes; for unattended installs preseed \`kdump-tools kdump-tools/use_kdump boolean true\`),
- then \`systemctl restart kdump-tools\` (sysvinit: \`service kdump-tools restart\`) and check with \`kdump-config show\`; on a Xen dom0 check the load with \`kexec -p -S; echo $?\` (1 = loaded), not with \`kdump-config status\`.`,
    references: [
      'https://manpages.debian.org/bookworm/kdump-tools/kdump-config.8.en.html',
      'https://salsa.debian.org/debian/kdump-tools',
      'https://ubuntu.com/server/docs/kernel-crash-dump',
    ],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const state = facts.kdumpConfigFiles[FILE]
    if (state.state === 'unreadable') {
      return {status: 'unknown', message: `${FILE} exists but could not be read (${state.reason}), so USE_KDUMP is unknown.`, evidence: [{source: `files${FILE}`, text: 'unreadable'}], verify: `grep ^USE_KDUMP ${FILE}`}
    }
    const service = facts.kdumpService
    if (!service.known || service.value.family !== 'debian') return notApplicable(`Only Debian's and Ubuntu's kdump-tools read USE_KDUMP (no ${FILE} here).`)
    const plan = facts.dumpPlan
    const useKdump = plan.known ? plan.value.useKdump : undefined
    if (!useKdump) return {status: 'unknown', message: `USE_KDUMP could not be read from ${FILE}${plan.known ? '' : `: ${plan.reason}`}.`, evidence: service.evidence, verify: `grep ^USE_KDUMP ${FILE}`}
    const setting = service.value.config.useKdumpSetting
    if (useKdump.value) return pass(`USE_KDUMP=${setting?.value ?? '1'}: kdump-tools will load a capture kernel.`, useKdump.evidence)
    const how = setting === undefined ? 'USE_KDUMP is not set' : setting.value === '' ? 'USE_KDUMP is empty' : `USE_KDUMP=${setting.value}`
    return {
      status: 'problem',
      message: `${how} in ${FILE}: kdump-tools loads no capture kernel (kdump-tools.service still shows "active"), so a crash leaves no vmcore.`,
      evidence: useKdump.evidence.length > 0 ? useKdump.evidence : service.evidence,
    }
  },
)
