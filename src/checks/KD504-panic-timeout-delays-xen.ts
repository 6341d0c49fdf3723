// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD504', title: 'kernel.panic > 0 delays the hand-off to Xen', severity: 'info', scope: 'static', stage: 'after-crash', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
