#!/usr/bin/env node
// Bundles the compiled entry (dist/cli/main.js: oclif's execute) and commands (dist/commands/*.js) with
// everything they import, @oclif/core included, into a few chunks, replacing dist/ in place. Start-up is
// dominated by module loading (oclif alone is ~100 CommonJS files); one copy of oclif serves bin/run.js
// and the commands alike. Packages that are only loaded on demand stay external.
import {readdirSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'rolldown'

// oclif sorts the manifest's command ids with String#localeCompare on every start, and the first localeCompare
// in a process builds an ICU collator: ~10 ms, a tenth of bare `node -e 0` (bench/RESULTS.md). Command ids are
// ASCII, where code-unit order is the same; the build fails if oclif's line changes, so the patch never silently
// stops applying (or applies to something else).
const oclifPatches = [
  {
    file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));',
  },
]
const applied = new Set()
const patchOclif = {
  name: 'kdumpcheck-oclif-patches',
  transform(code, id) {
    for (const patch of oclifPatches) {
      if (!patch.file.test(id)) continue
      if (code.split(patch.from).length !== 2) throw new Error(`bundle: oclif changed, patch no longer applies to ${id}: ${patch.from}`)
      applied.add(patch)
      code = code.replace(patch.from, patch.to)
    }
    return code
  },
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const out = path.join(root, 'dist.bundle')
const commands = readdirSync(path.join(dist, 'commands')).filter((f) => f.endsWith('.js'))
rmSync(out, {recursive: true, force: true})
await build({
  input: {
    main: path.join(dist, 'cli', 'main.js'),
    // Loaded first and alone by bin/run.js, before the cache it enables can serve anything else.
    'compile-cache': path.join(dist, 'cli', 'compile-cache.js'),
    ...Object.fromEntries(commands.map((f) => [`commands/${f.replace(/\.js$/, '')}`, path.join(dist, 'commands', f)])),
  },
  platform: 'node',
  external: ['execa', 'tar', 'yaml', /^node:/],
  logLevel: 'warn',
  plugins: [patchOclif],
  output: {dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js'},
})
for (const patch of oclifPatches) if (!applied.has(patch)) throw new Error(`bundle: oclif patch not applied (file not bundled?): ${patch.from}`)
rmSync(dist, {recursive: true, force: true})
renameSync(out, dist)
console.log(`bundled ${commands.length} commands and oclif into dist/`)
