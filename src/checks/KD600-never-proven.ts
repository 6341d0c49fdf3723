// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD600', title: 'Never proven by a real test crash', severity: 'info', scope: 'static', stage: 'proof', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
