// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD601', title: 'Keyboard sysrq is masked', severity: 'info', scope: 'static', stage: 'proof', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
