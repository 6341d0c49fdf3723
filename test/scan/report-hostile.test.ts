/**
 * `kdumpcheck report` on a hostile results file: its name and its lines are data. A file named with a
 * newline, holding a line that is no JSON and a host named with terminal controls: every message on
 * stderr stays one line with the name escaped, and no control reaches the terminal from the text.
 */
import {appendFileSync, copyFileSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {repoRoot, runCli} from '../helpers/cli.js'

const work = mkdtempSync(path.join(tmpdir(), 'kdc-report-hostile-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

describe('report: a hostile results file', () => {
  it('names it escaped, one line per message, and shows no control from its hosts', () => {
    const results = path.join(work, 'fleet.jsonl')
    const scan = runCli(['scan', '--snapshots', path.join(repoRoot, 'fixtures/hosts'), '--limit', 'good-pvops-debian12', '--results', results])
    expect(scan.status, scan.stderr).toBe(0)
    const hostile = path.join(work, 'r\nkdumpcheck: all hosts READY\n.jsonl')
    copyFileSync(results, hostile)
    appendFileSync(hostile, 'garbage\n{"schema": "kdumpcheck-scan-result/1", "host": "x\\u001b]0;owned\\u0007", "status": "judged"}\n')
    const r = runCli(['report', hostile])
    expect(r.status).toBe(3)
    const lines = r.stderr.split('\n').filter(Boolean)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain('r\\nkdumpcheck: all hosts READY\\n.jsonl: skipped 2 unusable lines')
    expect(r.stdout + r.stderr).not.toMatch(/[\u001b\u0007]/)
  }, 120_000)
})
