/** The Xen line that matters for this evidence: the running one on a live host, the next boot's in an image. */
import type {CommandLine} from '../../facts/command-lines.js'
import type {Fact} from '../../facts/fact.js'
import {known, unknown} from '../../facts/fact.js'
import type {Facts} from '../../facts/facts.js'

export function xenLineInForce(facts: Facts): Fact<CommandLine> {
  if (facts.kind === 'runtime') return facts.runningXenLine
  const boot = facts.nextBoot
  if (!boot.known) return unknown(boot.reason)
  return boot.value.xenLine ? known(boot.value.xenLine, [boot.value.xenLine.evidence]) : unknown('the default boot entry has no Xen line')
}
