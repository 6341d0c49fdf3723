/**
 * How the dump-target checks (KD400-KD406) describe a collector. The facts they judge (where the dump
 * lands, which collector runs, how large the dump can be) live in facts/dump-landing.ts and
 * facts/dump-collector.ts.
 */
import type {EffectiveCollector} from '../../facts/dump-collector.js'
import type {DumpPlan} from '../../facts/dump-plan.js'

export function describeCollector(c: EffectiveCollector, family: DumpPlan['family']): string {
  const where =
    c.origin === 'configured'
      ? ''
      : family === 'debian'
        ? ' (kdump-tools default: MAKEDUMP_ARGS is not set)'
        : family === 'rhel'
          ? ' (kdump.conf default: core_collector is not set)'
          : family === 'suse'
            ? ' (SUSE default: KDUMP_DUMPLEVEL/KDUMP_DUMPFORMAT not set)'
            : ' (default)'
  return `\`${c.text}\`${where}${c.note ? `, ${c.note}` : ''}`
}
