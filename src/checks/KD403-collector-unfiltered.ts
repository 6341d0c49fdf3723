import {dumpSize, effectiveCollector, maxDumpLevel} from '../facts/dump-collector.js'
import {formatBytes as size} from '../units.js'
import {describeCollector} from './shared/dump-target.js'
import {defineCheck, notApplicable, pass, type Outcome} from './types.js'

export default defineCheck(
  {
    id: 'KD403',
    title: 'The dump collector does not filter: the dump holds all memory',
    severity: 'warning',
    scope: 'static',
    stage: 'target',
    why: `Without page filtering (makedumpfile without -d, or -d 0, or a plain copy of /proc/vmcore with cp/dd/scp) the vmcore is as large as all the memory the capture kernel sees. On a Xen host that is the whole machine, every guest's memory included, unless makedumpfile's -X drops the guests' pages (leaving dom0 and Xen): tens or hundreds of gigabytes written by a capture kernel with little memory, taking long enough to keep the host down for a long time, and needing that much space on the target (KD402). It also copies the guests' memory, customer data, into a file on dom0. A dump still gets written when it fits, so this is a warning. (On Xen, -d above 1 additionally needs -x or -i: KD406.)`,
    fix: `Filter the dump:\n- Xen dom0: drop the guests' pages with -X and keep the rest unfiltered, which works without the dom0 kernel's debug info: Debian/Ubuntu \`MAKEDUMP_ARGS="-E -X -d 0"\` in /etc/default/kdump-tools; RHEL/CentOS \`core_collector makedumpfile -E -X -d 0\` in /etc/kdump.conf.\n- Native hosts: RHEL \`core_collector makedumpfile -l --message-level 7 -d 31\`; Debian \`MAKEDUMP_ARGS="-c -d 31"\`; SUSE \`KDUMP_DUMPLEVEL="31"\` in /etc/sysconfig/kdump.\nThen restart the kdump service (\`kdumpctl restart\`, \`systemctl restart kdump-tools\`, \`systemctl restart kdump\`).`,
    references: ['https://github.com/makedumpfile/makedumpfile', 'https://wiki.xenproject.org/wiki/Kexec_and_Kdump', 'https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts): Outcome => {
    const plan = facts.dumpPlan
    if (!plan.known) return {status: 'unknown', message: `The dump collector is unknown: ${plan.reason}.`, evidence: plan.evidence, verify: 'RHEL: grep core_collector /etc/kdump.conf; Debian: grep MAKEDUMP_ARGS /etc/default/kdump-tools'}
    const p = plan.value
    if (p.family === 'xenserver') return notApplicable("XenServer's capture side does not run a configurable collector; whether it keeps a vmcore at all is KD304.")
    const collector = effectiveCollector(p, facts.xenPvDom0)
    if (!collector) {
      return {status: 'unknown', message: `The dump collector is unknown: ${p.collectorUnknown ?? 'it could not be read (see KD302)'}.`, evidence: p.target.evidence, verify: 'RHEL: grep core_collector /etc/kdump.conf; Debian: grep MAKEDUMP_ARGS /etc/default/kdump-tools'}
    }
    const c = collector.collector
    const said = describeCollector(collector, p.family)
    if (c.kind === 'other') {
      return {status: 'unknown', message: `The collector ${said} is neither makedumpfile nor a plain copy: what it keeps cannot be told.`, evidence: collector.evidence, verify: `Read what ${c.program} writes, e.g. run it by hand on a test vmcore.`}
    }
    const sized = dumpSize(facts, c)
    const level = c.kind === 'makedumpfile' ? maxDumpLevel(c) : 0
    const xenFiltered = facts.xenPvDom0 && c.kind === 'makedumpfile' && c.xenFilter
    if (c.kind === 'makedumpfile' && level > 0) {
      const guests = facts.xenPvDom0 && !c.xenFilter ? " On Xen without -X, -d filters only dom0's own pages: the guests' memory is still dumped whole (KD402 weighs its size)." : ''
      return pass(`${said} filters pages (-d ${level})${xenFiltered ? ' and drops the guests\' pages (-X)' : ''}.${guests}`, collector.evidence)
    }
    if (xenFiltered) {
      const left = sized.known ? `; about ${size(sized.value.worstBytes)} remains` : ''
      return pass(`${said} drops the guests' pages (-X): the dump holds dom0 and Xen only${left}, unfiltered inside them.`, collector.evidence)
    }
    const how = c.kind === 'copy' ? `copies /proc/vmcore whole (${c.program})` : c.dumpLevels.length === 0 ? 'gives makedumpfile no -d' : 'uses -d 0'
    const expected = sized.known ? `${size(sized.value.worstBytes)}: ${sized.value.basis}` : `as large as all memory (${sized.reason})`
    return {
      status: 'problem',
      message: `${said} ${how}${facts.xenPvDom0 ? ' and no -X' : ''}: the dump holds every page the capture kernel sees, ${expected}.`,
      evidence: [...collector.evidence, ...(sized.known ? sized.value.evidence : sized.evidence)],
    }
  },
)
