// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD405', title: 'core_pattern looks like a dump location, but only governs user-space cores', severity: 'info', scope: 'static', stage: 'target', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
