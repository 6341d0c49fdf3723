/** The go/no-go before a deliberate crash, from the source flags: shared by `preflight` and `trigger`. */
import type {Config} from '../config/config.js'
import {InputError} from '../errors.js'
import {assess} from '../pipeline.js'
import {acquire, type SourceFlagValues} from '../sources/acquire.js'
import {preflight, type Preflight} from './story.js'

export async function runPreflight(flags: SourceFlagValues, config: Config): Promise<Preflight> {
  if (flags.root) throw new InputError('preflight judges a running host; for an image use `kdumpcheck check --root`')
  const {snapshot, warnings} = await acquire(flags)
  for (const warning of warnings) process.stderr.write(`kdumpcheck: warning: ${warning}\n`)
  if (snapshot.kind === 'static') throw new InputError(`${snapshot.origin}: a static snapshot (an image) cannot be crashed; preflight needs a running host`)
  const {facts, report} = assess(snapshot, config)
  return preflight(facts, report)
}
