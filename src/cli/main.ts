/**
 * The entry bin/run.js loads: oclif's execute, bundled with the commands into dist/ (scripts/bundle.mjs)
 * so that start-up loads a few chunks instead of ~150 CommonJS and ESM files.
 */
export {execute} from '@oclif/core'
