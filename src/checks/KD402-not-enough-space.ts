// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD402', title: 'Not enough free space for the expected dump', severity: 'info', scope: 'static', stage: 'target', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
