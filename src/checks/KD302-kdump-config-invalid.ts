// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD302', title: 'Kdump configuration is invalid', severity: 'info', scope: 'static', stage: 'service', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
