// PLACEHOLDER: being written; replaced by the real check.
import {defineCheck, notApplicable} from './types.js'

export default defineCheck(
  {id: 'KD304', title: 'XenServer/XCP-ng keeps no vmcore (CRASH_COREDUMP)', severity: 'info', scope: 'static', stage: 'service', why: '', fix: '', references: []},
  () => notApplicable('not implemented yet'),
)
