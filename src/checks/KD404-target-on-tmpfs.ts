// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD404', title: 'Dump target on tmpfs or ramfs', severity: 'info', scope: 'static', stage: 'target', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
