// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD502', title: 'panic_on_oops=0: an Oops dumps nothing', severity: 'info', scope: 'static', stage: 'after-crash', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
