#!/usr/bin/env node
/**
 * Controller-side cost of one fleet pass: CPU seconds (user+sys, ssh clients included, sshd and the
 * simulated hosts excluded) of `kdumpcheck scan --concurrency 64` and of
 * `ansible all -m raw -a <collector> -f 64` over the same replay hosts behind one sshd. On this
 * shared 2-core machine both tools wait on the same sshd, so wall time understates what separates
 * them on a real fleet, where each host pays its own sshd and collector: the controller's CPU is
 * what runs out first. Appends to bench/RESULTS.md.
 *
 *   node bench/scan-controller-cpu.mjs [HOSTS]        (default 200; KDUMPCHECK_BENCH_CLI to pick a build)
 */
import {spawn} from 'node:child_process'
import {appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import path from 'node:path'
import {COLLECTOR, REPO, fleetPlan, startFleet} from '../test/helpers/fleet.mjs'

const HOSTS = Number(process.argv[2] ?? 200)
const CLI = process.env.KDUMPCHECK_BENCH_CLI ?? path.join(REPO, 'bin/run.js')

function timed(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%e %U %S %M', command, ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (status) => {
      const [wall, user, sys, rss] = stderr.trim().split('\n').at(-1).split(' ').map(Number)
      resolve({status, wall, cpu: user + sys, rssMiB: rss / 1024})
    })
  })
}

const work = mkdtempSync(path.join(tmpdir(), 'kdc-bench-cpu-'))
chmodSync(work, 0o755)
const fleet = await startFleet(fleetPlan(HOSTS, {kind: 'replay', fixtures: ['good-pvops-debian12', 'incident-el5xen', 'pvops-xen48-unprovable', 'xenserver-8']}), {tmp: work})
const inventory = fleet.writeAnsibleInventory(path.join(work, 'hosts.ini'))
const vars = path.join(work, 'collector-vars.yml')
writeFileSync(vars, `kdc_collector: !unsafe ${JSON.stringify(readFileSync(COLLECTOR, 'utf8'))}\n`)
const load = loadavg().map((l) => l.toFixed(2)).join(' ')
let ours
let theirs
try {
  ours = await timed(process.execPath, [CLI, 'scan', '-i', inventory, '--ssh-config', fleet.clientConfig, '--concurrency', '64', '--results', path.join(work, 'r.jsonl')])
  theirs = await timed('ansible', ['all', '-i', inventory, '-m', 'raw', '-a', '{{ kdc_collector }}', '-e', `@${vars}`, '-e', 'ansible_ssh_use_tty=false', '-f', '64', '-o'], {
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp'),
  })
} finally {
  await fleet.stop()
  rmSync(work, {recursive: true, force: true})
}
const row = (tool, r) => `| ${tool} | ${HOSTS} | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | ${((1000 * r.cpu) / HOSTS).toFixed(0)} | ${r.rssMiB.toFixed(0)} | ${r.status} |`
const section = [
  '',
  `### scan: controller CPU per host (bench/scan-controller-cpu.mjs, ${new Date().toISOString()}, load average ${load})`,
  '',
  '| tool (64 at once) | replay hosts | wall s | controller CPU s (incl. ssh clients) | CPU ms per host | peak RSS MiB | exit |',
  '|---|---:|---:|---:|---:|---:|---:|',
  row('kdumpcheck scan', ours),
  row('ansible -m raw', theirs),
  '',
  `Controller CPU ratio (ansible / kdumpcheck): ${(theirs.cpu / ours.cpu).toFixed(1)}x.`,
  '',
]
appendFileSync(path.join(REPO, 'bench/RESULTS.md'), section.join('\n'))
console.log(section.join('\n'))
