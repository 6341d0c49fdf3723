// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD602', title: 'What an out-of-band NMI would do', severity: 'info', scope: 'static', stage: 'proof', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
