/**
 * The golden test: for every committed runtime fixture, a root and fake probe programs are built
 * from the fixture itself, the collector runs under dash, busybox sh and bash --posix, and the
 * snapshot it writes must equal the fixture: every file and probe byte for byte, snapshot.json
 * equal except `collector`.
 *
 * The three runs use three userlands: dash with GNU coreutils and GNU timeout; busybox sh with
 * busybox applets only; bash --posix with GNU tools but neither `timeout` nor `mktemp`, as on a
 * RHEL 5 dom0 (the collector's own watchdog and its mkdir fallback).
 */
import {readdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {
  IN_CI,
  SHELLS,
  expectReproduces,
  freshTmp,
  makeTools,
  removeWorkDirs,
  runCollector,
  runtimeFixtures,
  scenarioFromFixture,
  workDir,
  type ShellSpec,
} from './harness.js'

const fixtures = runtimeFixtures()
const timings: string[] = []

function toolsFor(shell: ShellSpec, work: string): string {
  return makeTools(path.join(work, 'tools'), {
    flavour: shell.flavour,
    timeout: shell.id !== 'bash',
    mktemp: shell.id !== 'bash',
  })
}

describe('collector golden snapshots', () => {
  it('covers at least the incident and the good pvops fixtures', () => {
    const names = fixtures.map((f) => f.name)
    expect(names).toContain('incident-el5xen')
    expect(names).toContain('good-pvops-debian12')
  })

  for (const shell of SHELLS) {
    describe(shell.id, () => {
      it.skipIf(!shell.available && !IN_CI)(`${shell.id} is installed`, () => {
        expect(shell.available, `${shell.argv[0]} missing: apt-get install -y dash busybox`).toBe(true)
      })

      for (const fixture of fixtures) {
        it.skipIf(!shell.available && !IN_CI)(`reproduces ${fixture.name}`, async () => {
          const work = workDir(`golden-${shell.id}`)
          const scenario = scenarioFromFixture(fixture, work)
          expect(scenario.inconsistencies, `${fixture.name} cannot come from a real collector`).toEqual([])
          const tmp = freshTmp(work)
          const hostnameRan = scenario.replays.get('hostname')?.exit === '0'
          const result = await runCollector({
            shell,
            scenario,
            tools: toolsFor(shell, work),
            tmp,
            env: {
              KDUMPCHECK_TEST_COLLECTED_AT: fixture.meta.collected_at,
              // The hostname comes from the hostname probe unless the fixture has none.
              ...(hostnameRan ? {} : {KDUMPCHECK_TEST_HOSTNAME: fixture.meta.hostname}),
            },
          })
          timings.push(`${fixture.name.padEnd(32)} ${shell.id.padEnd(8)} ${Math.round(result.ms)} ms`)
          expect(result.stderr).toBe('')
          expect(result.code).toBe(0)
          expect(readdirSync(tmp), 'leftovers in TMPDIR').toEqual([])

          await expectReproduces(result.stdout, fixture, scenario, work)
          rmSync(work, {recursive: true, force: true})
        })
      }
    })
  }

  afterAll(() => {
    removeWorkDirs()
    if (timings.length > 0) console.log(`collector run times:\n  ${timings.join('\n  ')}`)
  })
})
