// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD603', title: "The distribution's own status disagrees with this verdict", severity: 'info', scope: 'static', stage: 'proof', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
