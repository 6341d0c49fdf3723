import {mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {ALL_CHECKS} from '../src/checks/index.js'
import {renderRuleDoc, renderRuleIndex} from '../src/report/rule-doc.js'
import {mayUpdate} from './helpers/golden.js'

const dir = path.resolve(import.meta.dirname, '../docs/rules')

// `npm run docs` regenerates the pages from the checks (one source of truth), then these tests hold them.
if (mayUpdate('UPDATE_DOCS')) {
  mkdirSync(dir, {recursive: true})
  for (const name of readdirSync(dir)) if (/^KD\d+\.md$/.test(name)) rmSync(path.join(dir, name))
  for (const check of ALL_CHECKS) writeFileSync(path.join(dir, `${check.meta.id}.md`), renderRuleDoc(check.meta))
  writeFileSync(path.join(dir, 'README.md'), renderRuleIndex(ALL_CHECKS.map((c) => c.meta)))
}

describe('rule documentation', () => {
  it.each(ALL_CHECKS.map((c) => [c.meta.id, c]))('%s has a current page in docs/rules (run `npm run docs` after editing a check)', (id, check) => {
    expect(readFileSync(path.join(dir, `${id}.md`), 'utf8')).toBe(renderRuleDoc(check.meta))
  })

  it('has no page for a check that no longer exists, and a current index', () => {
    const pages = readdirSync(dir).filter((n) => /^KD\d+\.md$/.test(n)).map((n) => n.replace('.md', ''))
    expect(pages.sort()).toEqual(ALL_CHECKS.map((c) => c.meta.id).sort())
    expect(readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(renderRuleIndex(ALL_CHECKS.map((c) => c.meta)))
  })

  it('documents every check fully, with a stable unique ID', () => {
    const ids = ALL_CHECKS.map((c) => c.meta.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const {meta} of ALL_CHECKS) {
      expect(meta.id).toMatch(/^KD\d{3}$/)
      expect(meta.why.length, `${meta.id} why`).toBeGreaterThan(80)
      expect(meta.fix.length, `${meta.id} fix`).toBeGreaterThan(40)
      expect(meta.references.length, `${meta.id} references`).toBeGreaterThan(0)
    }
  })
})
