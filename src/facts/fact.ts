/**
 * A fact is either known, with the evidence it rests on, or unknown, with the reason. There is no
 * third state: a check that gets an unknown fact must report unknown, never pass.
 */
import type {Evidence} from '../snapshot/evidence.js'

export type Fact<T> =
  | {known: true; value: T; evidence: Evidence[]}
  | {known: false; reason: string; evidence: Evidence[]}

export function known<T>(value: T, evidence: Evidence[] = []): Fact<T> {
  return {known: true, value, evidence}
}

export function unknown<T>(reason: string, evidence: Evidence[] = []): Fact<T> {
  return {known: false, reason, evidence}
}

/** The first known fact in order of trust, or the first one's unknown reason. */
export function firstKnown<T>(...facts: Array<Fact<T>>): Fact<T> {
  for (const fact of facts) if (fact.known) return fact
  const reasons = facts.map((f) => (f.known ? '' : f.reason)).filter(Boolean)
  return unknown(reasons.join('; ') || 'no evidence', facts.flatMap((f) => f.evidence))
}

export function mapFact<T, U>(fact: Fact<T>, map: (value: T) => U): Fact<U> {
  return fact.known ? known(map(fact.value), fact.evidence) : fact
}
