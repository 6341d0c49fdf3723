#!/usr/bin/env node
// Bundles the compiled entry (dist/cli/main.js: oclif's execute) and commands (dist/commands/*.js) with
// everything they import, @oclif/core included, into a few chunks, replacing dist/ in place. Start-up is
// dominated by module loading (oclif alone is ~100 CommonJS files); one copy of oclif serves bin/run.js
// and the commands alike. Packages that are only loaded on demand stay external.
import {readdirSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'rolldown'

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
  output: {dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js'},
})
rmSync(dist, {recursive: true, force: true})
renameSync(out, dist)
console.log(`bundled ${commands.length} commands and oclif into dist/`)
