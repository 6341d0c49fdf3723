// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD403', title: 'Dump collector does not filter', severity: 'info', scope: 'static', stage: 'target', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
