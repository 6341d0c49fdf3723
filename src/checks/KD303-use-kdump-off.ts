// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD303', title: 'USE_KDUMP is off (Debian kdump-tools)', severity: 'info', scope: 'static', stage: 'service', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
