import {readdirSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {repoRoot, runCli} from '../helpers/cli.js'

const incidentLogs = readdirSync(path.join(repoRoot, 'fixtures/incident')).map((f) => `fixtures/incident/${f}`)

describe('kdumpcheck explain --snapshot', () => {
  it("joins the incident's story with the host's failing checks, confirming the causes from both sides", () => {
    const {status, stdout} = runCli(['explain', ...incidentLogs, '--snapshot', 'fixtures/hosts/incident-el5xen'])
    expect(status).toBe(1)
    expect(stdout).toContain('Host configuration (r7ae07353.cloud.cm9, judged by kdumpcheck check): NOT READY')
    expect(stdout).toMatch(/confirms cause "nothing-loaded": .*KD101/)
    expect(stdout).toMatch(/confirms cause "noreboot-halted": KD500/)
  })

  it('carries the configuration in JSON, and leaves it out without --snapshot', () => {
    const joined = JSON.parse(runCli(['explain', ...incidentLogs, '--snapshot', 'fixtures/hosts/incident-el5xen', '--json']).stdout)
    expect(joined.configuration).toMatchObject({verdict: 'NOT_READY', hostname: 'r7ae07353.cloud.cm9'})
    expect(joined.configuration.findings.map((f: {id: string}) => f.id)).toContain('KD101')
    const plain = JSON.parse(runCli(['explain', ...incidentLogs, '--json']).stdout)
    expect(plain.configuration).toBeUndefined()
  })

  it('refuses a bad snapshot with exit 2', () => {
    const {status, stderr} = runCli(['explain', ...incidentLogs, '--snapshot', 'fixtures/bad/broken-json'])
    expect(status).toBe(2)
    expect(stderr).toMatch(/not valid JSON/)
  })
})
