// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD300', title: 'Kdump service not enabled at boot', severity: 'info', scope: 'static', stage: 'service', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
