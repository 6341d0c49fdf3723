/** Results files for the HTML report's tests: the fixtures' fleet scanned offline, and hostile variants of it. */
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {findConfig} from '../../src/config/config.js'
import {listSnapshots} from '../../src/scan/offline.js'
import {NO_PROGRESS} from '../../src/scan/progress.js'
import type {ScanOutput} from '../../src/scan/render.js'
import type {HostResult} from '../../src/scan/result.js'
import {runScan} from '../../src/scan/scan.js'

export const REPO = path.resolve(import.meta.dirname, '../..')
export const FIXTURE_HOSTS = 'fixtures/hosts'
/** A waiver in force and one expired, so that the page shows both. */
export const WAIVERS = 'test/golden/fleet-waivers.yaml'

/** `kdumpcheck scan --snapshots fixtures/hosts -c test/golden/fleet-waivers.yaml --results FILE`, in process. */
export async function scanFixtures(resultsFile?: string, configFile = WAIVERS): Promise<ScanOutput> {
  const cwd = process.cwd()
  process.chdir(REPO)
  try {
    const entries = await listSnapshots(FIXTURE_HOSTS)
    const config = await findConfig(configFile)
    return await runScan(
      {mode: 'offline', source: FIXTURE_HOSTS, entries, config},
      {concurrency: 4, resume: false, retryUnreachable: false, progress: NO_PROGRESS, top: 10, notify: () => {}, handleSignals: false, ...(resultsFile ? {resultsFile} : {})},
    )
  } finally {
    process.chdir(cwd)
  }
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(tmpdir(), prefix))
}

export function writeResults(file: string, results: readonly unknown[], raw: string[] = []): string {
  writeFileSync(file, [...results.map((r) => JSON.stringify(r)), ...raw].map((l) => `${l}\n`).join(''))
  return file
}

export function readResults(file: string): HostResult[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as HostResult)
}

/** Strings a hostile host (or a hostile results file) could put in every text field. */
export const HOSTILE = [
  '<script>window.__pwned = "script"</script>',
  '"><img src=x onerror="window.__pwned=\'img\'">',
  "'><svg onload=window.__pwned='svg'>",
  '</script><script>window.__pwned="breakout"</script>',
  '<!--<script>window.__pwned="comment"</script>-->',
  'javascript:window.__pwned="href"',
  'ctl\u0000\u0007\u001b[31mred\u001b[0m\r\nnext line',
  'sep\u2028line\u2029para',
  'bidi \u202eevil\u202c \u2066x\u2069',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '${window.__pwned=1}',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '<style>body{display:none}</style>',
  '<a href="https://example.invalid/x">link</a>',
  '\ud800 lone surrogate',
]

/** A results line for `host` whose every free-text field carries `text`. */
export function hostileResult(base: HostResult, host: string, text: string): HostResult {
  const report = base.report!
  return {
    ...base,
    host,
    target: `ssh:${text}`,
    groups: ['all', text],
    distribution: text,
    xen_version: text,
    report: {
      ...report,
      host: {...report.host, hostname: text, role: text, origin: text, collected_at: text},
      findings: report.findings.map((f) => ({
        ...f,
        message: `${text} ${f.message}`,
        evidence: [...f.evidence.map((e) => ({...e, source: text, text: `${text} ${e.text ?? ''}`})), {source: text, line: 1, text}],
        ...(f.fix !== undefined ? {fix: `${text}\n- \`${text}\`\n${f.fix}`} : {}),
        ...(f.status === 'fail' ? {waiver: {reason: text, expires: text, source: text}} : {}),
      })),
      snapshot_errors: [text],
      timed_out_probes: [text],
      policy: {...report.policy, expired_waivers: [{id: 'KD101', reason: text, expires: text}]},
    },
  }
}
