import {defineCheck, notApplicable, pass} from './types.js'

function when(at: number | string | undefined): string {
  if (at === undefined) return ''
  return typeof at === 'number' ? ` (started ${new Date(at * 1000).toISOString().replace('.000Z', 'Z')})` : ` (${at})`
}

const TEST_FIRST = `Before a deliberate crash, run \`kdumpcheck preflight\` on the host: it says step by step what will happen if you trigger now, and refuses when the dump cannot work.`

export default defineCheck(
  {
    id: 'KD600',
    title: 'kdump has never been proven by a real test crash',
    severity: 'info',
    scope: 'runtime',
    stage: 'proof',
    why: `Every other check reads configuration and state; only a real crash walks the whole chain (Xen hands over, the capture kernel boots on bare metal, its initrd finds the target, the collector reads the vmcore, the file lands). Too many links can only be seen working: the capture kernel's console and drivers, the dump target from inside the capture initrd, makedumpfile on a Xen vmcore (KD406). RHEL's kdump-utils (RHEL 9.5+, Fedora) records such a test: \`kdumpctl test\` writes "pending" to /var/lib/kdump/vmcore-creation.status, crashes the host, and the next \`kdumpctl start\` turns it into "success" or "fail"; \`kdumpctl status\` repeats it as "Last successful vmcore creation test". Other distributions record nothing, so on them this stays advice: plan a test crash in a maintenance window.`,
    fix: `Prove it in a maintenance window, with the workload moved off the host (the host really crashes and reboots):
1. \`kdumpcheck preflight\` first: it must be READY.
2. RHEL 9.5+ / Fedora: \`kdumpctl test\` (it asks for confirmation, records the test and crashes the host); after the reboot \`kdumpctl status\` must say "Last successful vmcore creation test".
3. Elsewhere (RHEL 5-9.4, Debian, Ubuntu, SUSE, XenServer/XCP-ng): \`sync; echo c > /proc/sysrq-trigger\` as root (the proc trigger works whatever kernel.sysrq says, KD601); after the reboot look for the new vmcore under the dump path (KD400) and open it with \`crash\` (on Xen: \`crash xen-syms-<version> vmcore\` for the hypervisor, dom0's debug vmlinux for dom0).
Repeat after every kernel, kexec-tools, kdump configuration or Xen upgrade.`,
    references: [
      'https://docs.kernel.org/admin-guide/kdump/kdump.html',
      'https://github.com/rhkdump/kdump-utils',
      'https://access.redhat.com/documentation/en-us/red_hat_enterprise_linux/9/html/managing_monitoring_and_updating_the_kernel/configuring-kdump-on-the-command-line_managing-monitoring-and-updating-the-kernel',
      'https://docs.kernel.org/admin-guide/sysrq.html',
    ],
  },
  (facts) => {
    if (facts.role.known && facts.role.value.kind === 'xen-domu-pv') return notApplicable('A PV domU is dumped from dom0 (KD100).')
    const test = facts.distroReport.vmcoreTest
    if (!test.known) {
      return {status: 'unknown', severity: 'info', message: `The record of the last test crash could not be read: ${test.reason}.`, evidence: test.evidence, verify: 'cat /var/lib/kdump/vmcore-creation.status; kdumpctl status'}
    }
    const record = test.value
    if (record === null) {
      return {
        status: 'problem',
        message: `Nothing on this host records a successful test crash (no /var/lib/kdump/vmcore-creation.status, no "vmcore creation test" notice from kdumpctl): the chain is judged from configuration only. ${TEST_FIRST}`,
        evidence: test.evidence,
      }
    }
    const at = when(record.when)
    switch (record.status) {
      case 'success':
        return pass(`The last test crash wrote a vmcore: ${record.by} says success${at}. Repeat it after kernel, kexec-tools, kdump or Xen upgrades.`, record.evidence)
      case 'fail':
        return {status: 'problem', message: `The last test crash did NOT write a vmcore: ${record.by} says fail${at}. Find out why before trusting this host to dump (the capture kernel's console log, \`journalctl -b -1 -u kdump\`). ${TEST_FIRST}`, evidence: record.evidence}
      case 'pending':
        return {status: 'problem', message: `A test crash was started${at} but its result was never recorded (${record.by} says pending): either the host did not crash, or no vmcore appeared where kdumpctl looks. ${TEST_FIRST}`, evidence: record.evidence}
      case 'manual':
        return {status: 'problem', message: `A test crash ran${at}, but kdumpctl cannot check its target (a raw device or an unreachable remote): ${record.by} asks for a manual check that the vmcore exists.`, evidence: record.evidence}
      case 'none':
        return {status: 'problem', message: `No test crash was ever recorded (${record.by}: no vmcore creation test performed). ${TEST_FIRST}`, evidence: record.evidence}
      default:
        return {status: 'unknown', severity: 'info', message: `${record.by} holds a word this tool does not know (${record.status}).`, evidence: record.evidence, verify: 'cat /var/lib/kdump/vmcore-creation.status; kdumpctl status'}
    }
  },
)
