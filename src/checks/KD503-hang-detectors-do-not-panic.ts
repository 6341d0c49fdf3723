// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD503', title: 'Hang detectors do not panic', severity: 'info', scope: 'static', stage: 'after-crash', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
