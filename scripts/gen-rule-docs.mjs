#!/usr/bin/env node
// Writes docs/rules/<ID>.md and docs/rules/README.md from the built checks (run `npm run build` first).
// test/rule-docs.test.ts fails when the committed pages differ from what this writes.
import {mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const {ALL_CHECKS} = await import(path.join(root, 'dist/checks/index.js'))
const {renderRuleDoc, renderRuleIndex} = await import(path.join(root, 'dist/report/rule-doc.js'))
const dir = path.join(root, 'docs/rules')
mkdirSync(dir, {recursive: true})
for (const name of readdirSync(dir)) if (/^KD\d+\.md$/.test(name)) rmSync(path.join(dir, name))
for (const check of ALL_CHECKS) writeFileSync(path.join(dir, `${check.meta.id}.md`), renderRuleDoc(check.meta))
writeFileSync(path.join(dir, 'README.md'), renderRuleIndex(ALL_CHECKS.map((c) => c.meta)))
console.log(`wrote ${ALL_CHECKS.length} rule pages to docs/rules/`)
