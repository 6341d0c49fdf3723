// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD401', title: 'Dump target missing', severity: 'info', scope: 'static', stage: 'target', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
