// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD500', title: 'Xen noreboot: a failed dump leaves the host halted', severity: 'info', scope: 'static', stage: 'after-crash', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
