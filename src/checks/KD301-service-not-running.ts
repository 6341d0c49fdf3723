// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD301', title: 'Kdump service not running', severity: 'info', scope: 'static', stage: 'service', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
