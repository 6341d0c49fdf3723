#!/usr/bin/env node
/**
 * `kdumpcheck scan` over many simulated hosts behind ONE real sshd on 127.0.0.1 (test/helpers/fleet.mjs),
 * against `ansible all -m raw -a '<collector>' -f 64` over the same hosts in the same run.
 *
 *   node bench/scan-fleet.mjs                 # 200 and 1000 hosts, concurrency 32 and 64
 *   node bench/scan-fleet.mjs --sizes 200 --concurrency 64 --collector-hosts 200 --no-ansible
 *
 * Two kinds of simulated host:
 *   replay     prints a snapshot the real collector made once (from a fixture): what is measured is
 *              kdumpcheck's side (ssh, transfer, judging, results file) and sshd;
 *   collector  runs the real collector against a fixture root on every connection. On this machine
 *              that costs ~0.4 s of CPU per host on the SAME 2 cores that run kdumpcheck (a real
 *              fleet spends it on each host), so it bounds throughput here, not kdumpcheck.
 * ssh uses curve25519 key exchange (both ends are on this machine; the default sntrup761 hybrid
 * costs ~0.15 s of CPU per end); --default-kex measures ssh's default too.
 * Ansible runs the collector with ansible_ssh_use_tty=false: through a terminal (-tt) the collector
 * refuses to write its binary stream.
 *
 * Needs root, openssh-server, and Debian's ansible for the comparison. Appends a section to
 * bench/RESULTS.md and writes bench/out/scan-fleet.json. Runs the built CLI (npm run build first),
 * or KDUMPCHECK_BENCH_CLI.
 */
import {spawn, spawnSync} from 'node:child_process'
import {appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, tmpdir} from 'node:os'
import path from 'node:path'
import {COLLECTOR, REPO, fleetAvailable, fleetPlan, startFleet} from '../test/helpers/fleet.mjs'

const argv = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? argv[i + 1] : fallback
}
const SIZES = opt('sizes', '200,1000').split(',').map(Number)
const CONCURRENCY = opt('concurrency', '32,64').split(',').map(Number)
const COLLECTOR_HOSTS = Number(opt('collector-hosts', '200'))
const ANSIBLE = !argv.includes('--no-ansible') && spawnSync('sh', ['-c', 'command -v ansible']).status === 0
const DEFAULT_KEX = argv.includes('--default-kex')
const CLI = process.env.KDUMPCHECK_BENCH_CLI ?? path.join(REPO, 'bin/run.js')
const FIXTURES = ['good-pvops-debian12', 'incident-el5xen', 'pvops-xen48-unprovable', 'xenserver-8', 'kdump-disabled']

if (!fleetAvailable()) {
  console.error('bench/scan-fleet.mjs needs root and /usr/sbin/sshd')
  process.exit(2)
}

function timed(command, args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn('/usr/bin/time', ['-f', '%M', command, ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('close', (status) => {
      const lines = stderr.trim().split('\n')
      resolve({status, seconds: (performance.now() - started) / 1000, peakKiB: Number(lines.at(-1)), stdout, stderr: lines.slice(0, -1).join('\n')})
    })
  })
}

async function scanRun(fleet, inventory, hosts, concurrency, work) {
  const results = path.join(work, `scan-${hosts}-${concurrency}-${Date.now()}.jsonl`)
  // The text summary, as a person runs it; every host's full result goes to the results file.
  const run = await timed(process.execPath, [CLI, 'scan', '-i', inventory, '--ssh-config', fleet.clientConfig, '--concurrency', String(concurrency), '--results', results, '--host-timeout', '120'])
  if (![0, 1, 3].includes(run.status) || !existsSync(results)) throw new Error(`scan failed (exit ${run.status}): ${run.stderr.slice(0, 2000)}`)
  const lines = readFileSync(results, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  const judged = lines.filter((l) => l.status === 'judged').length
  return {tool: 'kdumpcheck scan', hosts, concurrency, seconds: run.seconds, hostsPerSecond: hosts / run.seconds, peakRssMiB: run.peakKiB / 1024, judged, unreachable: lines.length - judged, exit: run.status}
}

async function ansibleRun(fleet, inventory, hosts, forks, work) {
  // The collector is the raw command. Ansible would split and template it if given literally in -a,
  // so it travels as an !unsafe variable (a JSON string is a valid YAML double-quoted scalar).
  const vars = path.join(work, 'collector-vars.yml')
  writeFileSync(vars, `kdc_collector: !unsafe ${JSON.stringify(readFileSync(COLLECTOR, 'utf8'))}\n`)
  const run = await timed('ansible', ['all', '-i', inventory, '-m', 'raw', '-a', '{{ kdc_collector }}', '-e', `@${vars}`, '-e', 'ansible_ssh_use_tty=false', '-f', String(forks), '-o'], {
    ANSIBLE_HOST_KEY_CHECKING: 'False',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCAL_TEMP: path.join(work, 'ansible-tmp'),
  })
  const ok = (run.stdout.match(/\| (CHANGED|SUCCESS) \|/g) ?? []).length
  return {tool: 'ansible -m raw', hosts, concurrency: forks, seconds: run.seconds, hostsPerSecond: hosts / run.seconds, peakRssMiB: run.peakKiB / 1024, judged: ok, unreachable: hosts - ok, exit: run.status}
}

const rows = []
const work = mkdtempSync(path.join(tmpdir(), 'kdc-bench-scan-'))
// The fleet's login user must reach the fleet directory inside.
chmodSync(work, 0o755)
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ')
const startedAt = new Date().toISOString()
const loadBefore = load()

async function measure(kind, hosts, concurrencies, withAnsible) {
  const plan = fleetPlan(hosts, {kind: kind === 'collector' ? 'ok' : 'replay', fixtures: FIXTURES})
  const fleet = await startFleet(plan, {tmp: work, ...(DEFAULT_KEX ? {kex: null} : {})})
  const inventory = fleet.writeAnsibleInventory(path.join(work, `hosts-${kind}-${hosts}.ini`))
  try {
    for (const c of concurrencies) {
      const row = {kind, load: load(), ...(await scanRun(fleet, inventory, hosts, c, work))}
      rows.push(row)
      console.log(JSON.stringify(row))
    }
    if (withAnsible) {
      const row = {kind, load: load(), ...(await ansibleRun(fleet, inventory, hosts, 64, work))}
      rows.push(row)
      console.log(JSON.stringify(row))
    }
  } finally {
    await fleet.stop()
    fleet.remove()
  }
}

for (const size of SIZES) await measure('replay', size, CONCURRENCY, ANSIBLE)
if (COLLECTOR_HOSTS > 0) await measure('collector', COLLECTOR_HOSTS, [64], ANSIBLE)

const ratio = (kind, hosts) => {
  const ours = rows.filter((r) => r.kind === kind && r.hosts === hosts && r.tool === 'kdumpcheck scan' && r.concurrency === 64)[0]
  const theirs = rows.find((r) => r.kind === kind && r.hosts === hosts && r.tool === 'ansible -m raw')
  return ours && theirs ? (theirs.seconds / ours.seconds).toFixed(1) : 'n/a'
}
const table = [
  '| hosts | simulated host | tool | concurrency / forks | wall s | hosts/s | peak RSS MiB | judged / ok | unreachable | load avg (1/5/15) |',
  '|---:|---|---|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.hosts} | ${r.kind} | ${r.tool} | ${r.concurrency} | ${r.seconds.toFixed(1)} | ${r.hostsPerSecond.toFixed(1)} | ${r.peakRssMiB.toFixed(0)} | ${r.judged} | ${r.unreachable} | ${r.load} |`),
]
const ratios = [...new Set(rows.map((r) => `${r.kind}:${r.hosts}`))].map((k) => {
  const [kind, hosts] = k.split(':')
  return `- ${hosts} ${kind} hosts: ansible -m raw -f 64 took ${ratio(kind, Number(hosts))}x as long as kdumpcheck scan --concurrency 64`
})
const section = [
  '',
  `## scan: fleet over OpenSSH (bench/scan-fleet.mjs, ${startedAt})`,
  '',
  `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load average before: ${loadBefore}. One sshd on 127.0.0.1 serves every host (Host aliases + SetEnv); kdumpcheck, ssh, sshd and the simulated hosts share the machine. ssh key exchange: ${DEFAULT_KEX ? "ssh's default" : 'curve25519-sha256'}. "replay" hosts print a pre-made snapshot; "collector" hosts run the real collector on every connection (its CPU lands on these same cores). Peak RSS is kdumpcheck's (or ansible's controller process tree's largest process) from /usr/bin/time.`,
  '',
  ...table,
  '',
  ...ratios,
  '',
]
appendFileSync(path.join(REPO, 'bench/RESULTS.md'), (existsSync(path.join(REPO, 'bench/RESULTS.md')) ? '' : '# Benchmarks\n') + section.join('\n'))
mkdirSync(path.join(REPO, 'bench/out'), {recursive: true})
writeFileSync(path.join(REPO, 'bench/out/scan-fleet.json'), JSON.stringify({startedAt, loadBefore, defaultKex: DEFAULT_KEX, rows}, null, 2))
rmSync(work, {recursive: true, force: true})
console.log(section.join('\n'))
