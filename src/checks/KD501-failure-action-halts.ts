// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD501', title: 'Kdump failure action halts or drops to a shell', severity: 'info', scope: 'static', stage: 'after-crash', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
