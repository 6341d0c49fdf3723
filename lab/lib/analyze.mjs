#!/usr/bin/env node
// Judges one lab run (a directory written by lib/boot.sh):
//   node lib/analyze.mjs RUN_DIR
// 1. Is the run evidence at all? dom0 must have printed its trigger marker, and what followed must be
//    the trigger's doing (the crash; or the Oops, the hung-task report, the NMI when nothing crashed).
// 2. The real outcome: what Xen or the kernel did (serial.log), whether the capture kernel ran, and what
//    is on the dump disk (a raw device: its first bytes; an ext4 /var/crash: its files, read with debugfs).
// 3. The prediction: `kdumpcheck check --snapshot` on the snapshot dom0's collector left on the lab disk.
// 4. The image: `kdumpcheck check --root` on the tree the host booted, against (3) on every static check.
// 5. `kdumpcheck explain serial.log`: its outcome and root cause.
// Writes RUN_DIR/result.json and prints a one-line summary. Exit 0 when the run agrees, 1 when not.
import {execFileSync, spawnSync} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, readSync, writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const repo = resolve(here, '..', '..')
const dir = resolve(process.argv[2] ?? '.')

const MiB = 1024 * 1024
const run = Object.fromEntries(
  readFileSync(join(dir, 'run.tsv'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf('\t')
      return [l.slice(0, i), l.slice(i + 1)]
    }),
)
const words = (s) => (s ?? '').split(/\s+/).filter(Boolean)

function readAt(file, offset, length) {
  const fd = openSync(file, 'r')
  try {
    const buf = Buffer.alloc(length)
    const n = readSync(fd, buf, 0, length, offset)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

/** A lab disk header: `KEY=value` lines after a magic first line, NUL-padded to 4 KiB. */
function header(offset, magic) {
  const text = readAt(join(dir, 'lab.img'), offset, 4096).toString('latin1').replace(/\0+$/, '')
  const lines = text.split('\n')
  if (lines[0] !== magic) return undefined
  return Object.fromEntries(lines.slice(1).filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))
}

// ---------------------------------------------------------------- dump formats
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46])

/** What the first bytes of a dump are: an ELF core, makedumpfile's flattened or kdump-compressed format. */
function classify(head) {
  if (head.length === 0) return {format: 'empty', valid: false}
  if (head.subarray(0, 4).equals(ELF_MAGIC)) {
    const is64 = head[4] === 2
    const type = head.readUInt16LE(16)
    const phnum = is64 && head.length >= 58 ? head.readUInt16LE(56) : 0
    const valid = type === 4 && phnum > 0
    return {format: 'elf', valid, detail: `ELF${is64 ? '64' : '32'} ${type === 4 ? 'core' : `type ${type}`}, ${phnum} program headers`}
  }
  if (head.subarray(0, 8).toString('latin1') === 'KDUMP   ') return {format: 'kdump-compressed', valid: true, detail: 'kdump-compressed (makedumpfile)'}
  if (head.subarray(0, 12).toString('latin1') === 'makedumpfile') {
    // Flattened: a 4 KiB header, then records of (offset, size) big-endian int64 and size bytes of data,
    // in the order makedumpfile wrote them (the ELF header, at offset 0, is not necessarily first).
    let at = 4096
    while (at + 16 <= head.length) {
      const offset = head.readBigInt64BE(at)
      const size = Number(head.readBigInt64BE(at + 8))
      if (offset < 0n || size <= 0) break
      if (offset === 0n) {
        const inner = classify(head.subarray(at + 16, at + 16 + size))
        const ok = (inner.format === 'elf' || inner.format === 'kdump-compressed') && inner.valid
        return {format: 'flattened', valid: ok, detail: `flattened makedumpfile stream of ${inner.detail ?? inner.format}`}
      }
      at += 16 + size
    }
    return {format: 'flattened', valid: false, detail: 'flattened makedumpfile stream without its header in the first 16 KiB'}
  }
  return {format: 'unknown', valid: false, detail: `starts with ${head.subarray(0, 8).toString('hex')}`}
}

function debugfs(image, request) {
  const r = spawnSync('debugfs', ['-R', request, image], {encoding: 'latin1', maxBuffer: 64 * MiB})
  return r.stdout ?? ''
}

/** Every regular file on the ext4 dump disk (debugfs, no mount needed), with size and first bytes. */
function ext4Files(image) {
  const files = []
  const walk = (path, depth) => {
    if (depth > 4) return
    for (const line of debugfs(image, `ls -p ${path}`).split('\n')) {
      // /inode/mode/uid/gid/name/size/
      const m = /^\/(\d+)\/(\d+)\/\d+\/\d+\/(.*)\/(\d*)\/$/.exec(line.trim())
      if (!m) continue
      const [, , mode, name, size] = m
      if (name === '.' || name === '..' || name === 'lost+found') continue
      const full = `${path === '/' ? '' : path}/${name}`
      const type = Number.parseInt(mode, 8) & 0o170000
      if (type === 0o040000) walk(full, depth + 1)
      else if (type === 0o100000) {
        const r = spawnSync('sh', ['-c', 'debugfs -R "cat $1" "$2" 2>/dev/null | head -c 16384', 'sh', full, image], {maxBuffer: 32 * MiB})
        files.push({path: `/var/crash${full}`, size: Number(size), ...classify(r.stdout ?? Buffer.alloc(0))})
      }
    }
  }
  walk('/', 0)
  return files
}

// ---------------------------------------------------------------- the serial log
const serial = existsSync(join(dir, 'serial.log')) ? readFileSync(join(dir, 'serial.log'), 'latin1').split(/\r?\n/) : []
const find = (re, from = 0) => {
  for (let i = from; i < serial.length; i++) if (re.test(serial[i])) return i
  return -1
}
const native = run.host === 'native'
const trigger = run.trigger || 'sysrq-c'
const noPanic = run.no_panic === '1'
// The crash: Xen's line under Xen (dom0 crashed, or Xen's own panic); natively the kernel's panic.
const CRASH = native ? /Kernel panic - not syncing/ : /\(XEN\) Hardware Dom0 crashed|\(XEN\) Panic on CPU/
const ANY_DEATH = /\(XEN\) Hardware Dom0 crashed|\(XEN\) Panic on CPU|Kernel panic - not syncing|\bOops: [0-9]|BUG: kernel NULL pointer/
const marker = find(/^LAB: ===== triggering/)
const xenCrash = marker >= 0 ? find(CRASH, marker) : find(CRASH)
const firstDeath = find(ANY_DEATH)
const earlyDeath = firstDeath >= 0 && (marker < 0 || firstDeath < marker) ? firstDeath : -1
let lastLab = -1
for (let i = 0; i < (xenCrash < 0 ? serial.length : xenCrash); i++) if (serial[i].startsWith('LAB: ')) lastLab = i
// Where the NMI went in: the console's size when the lab injected it.
const nmiLine = (() => {
  if (!run.nmi_offset) return -1
  let bytes = 0
  const raw = readFileSync(join(dir, 'serial.log'), 'latin1').split('\n')
  for (let i = 0; i < raw.length; i++) {
    bytes += raw[i].length + 1
    if (bytes > Number(run.nmi_offset)) return i
  }
  return raw.length
})()
// What the trigger printed, after the marker.
const after = (re) => (marker >= 0 ? find(re, marker + 1) : -1)
const moduleUp = after(/kdumplab: mode=(oops|hang): starting/)
const oopsAt = after(/\bOops: [0-9]|BUG: kernel NULL pointer dereference/)
const hungAt = after(/INFO: task \S+ blocked for more than \d+ seconds/)
const blockedAt = after(/kdumplab: kdumplab-wait blocks/)
const nmiReport = nmiLine >= 0 ? find(/NMI received for unknown reason|Dazed and confused|FATAL TRAP: vector = 2|NMI: Not continuing/, nmiLine) : -1
const dom0Header = header(0, 'KDUMPCHECK-LAB-DOM0')
const problems = []
if (marker < 0) problems.push('dom0 never printed its trigger marker')
if (earlyDeath >= 0) problems.push(`dom0 died before its trigger marker (line ${earlyDeath + 1}: ${serial[earlyDeath]?.trim()})`)
if (marker >= 0 && lastLab !== marker) problems.push(`dom0 printed something after its trigger marker (line ${lastLab + 1}: ${serial[lastLab]?.trim()}): the outcome is not the trigger's`)
if (marker >= 0 && trigger !== 'sysrq-c' && moduleUp < 0) problems.push('the test module never started after the marker')
if (trigger === 'oops' && marker >= 0 && oopsAt < 0) problems.push('no Oops after the marker')
if ((trigger === 'hang' || trigger === 'hang-nmi') && marker >= 0 && blockedAt < 0) problems.push('the test module never blocked its thread')
if (trigger === 'hang' && marker >= 0 && hungAt < 0) problems.push("the hung-task detector never reported the stuck thread")
if (trigger === 'hang-nmi' && !run.to_nmi_s) problems.push('the lab never injected the NMI')
if (trigger === 'hang-nmi' && xenCrash >= 0 && nmiLine >= 0 && xenCrash < nmiLine) problems.push('the crash came before the NMI')
if (marker >= 0 && xenCrash < 0 && !noPanic && !/timeout/.test(run.stop)) problems.push(`no crash after the trigger (the run ended by ${run.stop})`)
if (noPanic && xenCrash < 0 && !['running-after-report', 'running-after-nmi'].includes(run.stop)) problems.push(`the trigger's report never came (the run ended by ${run.stop})`)
if (!dom0Header || !(Number(dom0Header.snapshot_bytes) > 0)) problems.push("no snapshot on the lab disk (dom0's collector or the disk write failed)")
if (run.stop === 'timeout') problems.push(`the run hit its ${process.env.LAB_RUN_TIMEOUT ?? 2400} s time limit`)
if (run.stop === 'cpu-timeout') problems.push(`QEMU used its ${process.env.LAB_RUN_CPU ?? 900} s of CPU time`)
const evidence = problems.length === 0

const xenLine = xenCrash >= 0 ? serial[xenCrash].replace(/^.*?\(XEN\)\s*/, '(XEN) ').replace(/^\[[\s\d.]+\]\s*/, '') : ''
const captureUp = find(/^KDUMP: ===== crash kernel init up/) >= 0
const kexecLine = native ? (captureUp ? xenCrash : -1) : find(/Executing (kexec|crash) image/)
const xenAction = xenCrash < 0 ? 'none' : kexecLine >= 0 ? 'kexec' : /'noreboot' set|Manual reset required/.test(serial.slice(xenCrash, xenCrash + 40).join('\n')) ? 'halt' : /rebooting machine|Reboot in five seconds/.test(serial.slice(xenCrash, xenCrash + 40).join('\n')) ? 'reboot' : 'none'
const vmcoreLine = find(/^KDUMP: \/proc\/vmcore present, size=/)
const procVmcoreBytes = vmcoreLine >= 0 ? Number(/size=(\d+)/.exec(serial[vmcoreLine])[1]) : 0
const capture = header(32 * MiB, 'KDUMPCHECK-LAB-CAPTURE')
/** Seconds from one dom0 kernel line to another, by their printk timestamps. */
const stamp = (i) => (i >= 0 ? Number(/^\[\s*(\d+\.\d+)\]/.exec(serial[i])?.[1] ?? NaN) : NaN)
const hungDelay = Number.isFinite(stamp(hungAt) - stamp(blockedAt)) ? Math.round((stamp(hungAt) - stamp(blockedAt)) * 10) / 10 : null

// ---------------------------------------------------------------- the dump disk
const dumpImage = join(dir, 'dump.img')
let dumps = []
if (existsSync(dumpImage)) {
  if (run.dump_disk === 'raw') {
    const head = readAt(dumpImage, 0, 16384)
    const c = classify(head.every((b) => b === 0) ? Buffer.alloc(0) : head)
    dumps = c.format === 'empty' ? [] : [{path: '/dev/vdb (raw)', size: capture?.saver === 'lab-rhel-kdump' && capture.saver_exit === '0' ? procVmcoreBytes : undefined, ...c}]
  } else {
    dumps = ext4Files(dumpImage).filter((f) => /(^|\/)(dump|vmcore)[^/]*$/.test(f.path))
  }
}
const written = dumps.filter((d) => d.valid && d.size !== 0)
const vmcoreWritten = written.length > 0
const mb = (n) => (n === undefined ? '?' : `${(n / MiB).toFixed(0)} MiB`)
let outcome
if (!evidence) outcome = `not evidence: ${problems.join('; ')}`
else {
  const parts = []
  if (trigger === 'oops') parts.push(oopsAt >= 0 ? `Oops in ${/RIP: \S+:(\S+)/.exec(serial.slice(oopsAt, oopsAt + 40).join('\n'))?.[1] ?? 'the kernel thread'}` : 'no Oops')
  if (trigger === 'hang') parts.push(hungAt >= 0 ? `hung-task report ${hungDelay ?? '?'} s after the thread blocked` : 'no hung-task report')
  if (trigger === 'hang-nmi') parts.push(`NMI injected${nmiReport >= 0 ? `: ${serial[nmiReport].replace(/^\[[\s\d.]+\]\s*/, '').trim()}` : ', nothing printed about it'}`)
  if (xenCrash < 0) parts.push(`${native ? 'the kernel' : 'dom0'} kept running, no panic (watched ${process.env.LAB_AFTER_SECS ?? 30} s)`)
  else if (native) parts.push(xenAction === 'kexec' ? 'the kernel panicked and started the capture kernel' : 'the kernel panicked')
  else parts.push(xenAction === 'kexec' ? (/Panic on CPU/.test(xenLine) ? 'Xen panicked and executed the capture kernel' : 'Xen executed the capture kernel') : xenAction === 'halt' ? "Xen: 'noreboot' set, host halted" : xenAction === 'reboot' ? 'Xen rebooted the host' : 'no Xen crash line')
  if (xenAction === 'kexec') {
    if (!captureUp) parts.push(run.stop === 'idle-after-kexec' || run.stop === 'silent-after-kexec' ? `capture kernel hung silently (${run.stop})` : 'capture kernel printed nothing')
    else parts.push(`capture kernel up, /proc/vmcore ${mb(procVmcoreBytes)}`)
  }
  if (dumps.length === 0) parts.push('no dump file')
  for (const d of dumps) parts.push(`${d.path}: ${d.size === 0 ? '0 bytes' : mb(d.size)}, ${d.detail ?? d.format}${d.valid && d.size !== 0 ? '' : ' (not a vmcore)'}`)
  outcome = parts.join('; ')
}

// ---------------------------------------------------------------- prediction
const bin = join(repo, 'bin', 'run.js')
function kdumpcheck(args, out) {
  const r = spawnSync(process.execPath, [bin, ...args], {encoding: 'utf8', maxBuffer: 64 * MiB, cwd: dir})
  writeFileSync(join(dir, out), r.stdout ?? '')
  try {
    return JSON.parse(r.stdout)
  } catch {
    return {error: {message: `${args[0]} printed no JSON (exit ${r.status}): ${(r.stderr ?? '').slice(0, 300)}`}}
  }
}
let check = {error: {message: 'no snapshot'}}
if (dom0Header && Number(dom0Header.snapshot_bytes) > 0) {
  writeFileSync(join(dir, 'snapshot.tar.gz'), readAt(join(dir, 'lab.img'), MiB, Number(dom0Header.snapshot_bytes)))
  check = kdumpcheck(['check', '--snapshot', 'snapshot.tar.gz', '--json'], 'check.json')
}
const findings = check.findings ?? []
const failed = findings.filter((f) => f.status === 'fail').map((f) => f.id)
const warned = findings.filter((f) => f.status === 'warn').map((f) => f.id)
const unknownErrors = findings.filter((f) => f.status === 'unknown' && f.severity === 'error').map((f) => f.id)
const verdict = check.verdict ?? `error: ${check.error?.message ?? 'no verdict'}`
const statusOf = (id) => findings.find((f) => f.id === id)?.status ?? 'absent'
const RAISED = new Set(['fail', 'warn', 'info'])

// ---------------------------------------------------------------- the image, before it booted
// `kdumpcheck check --root` on the host's image tree (lib/boot.sh made it, and booted it) must come to
// the same status as the running host's snapshot on every check of static scope: those judge
// configuration an image also has.
const rules = (() => {
  const r = spawnSync(process.execPath, [bin, 'rules', '--json'], {encoding: 'utf8', maxBuffer: 16 * MiB})
  try {
    return JSON.parse(r.stdout)
  } catch {
    return []
  }
})()
const staticIds = rules.filter((r) => r.scope === 'static').map((r) => r.id)
/** Static checks that say n/a on a running host because a runtime check judges the same thing there. */
const IMAGE_ONLY = {KD107: 'KD101'}
/**
 * Differences an image cannot avoid, each with its reason; anything else fails the lab. An image
 * predicts the host after a boot whose services did what they are configured to do: where the running
 * host shows that a service failed, the settings that service makes are not the image's to know.
 */
const EXPLAINED = {
  // Debian's kdump-config sets kernel.panic_on_oops=1 when it loads a capture kernel; when the running
  // host has none loaded (KD202 raised), its load failed and panic_on_oops kept the kernel's 0.
  KD502: (i, r) =>
    i?.status === 'pass' && RAISED.has(r?.status) && RAISED.has(statusOf('KD202')) && /kdump-config load sets/.test(JSON.stringify(i.evidence ?? ''))
      ? "the image counts on kdump-config load, which sets panic_on_oops=1; on the running host that load failed (KD202), so the kernel's 0 stayed"
      : undefined,
}
const image = {verdict: null, disagreements: [], explained: [], agrees: false, error: null}
if (!existsSync(join(dir, 'image'))) image.error = 'no image tree (lib/boot.sh keeps it in RUN_DIR/image)'
else if (staticIds.length === 0) image.error = '`kdumpcheck rules --json` listed no static checks'
else {
  const imageCheck = kdumpcheck(['check', '--root', 'image', '--json'], 'check-image.json')
  if (!imageCheck.findings) image.error = imageCheck.error?.message ?? 'check --root printed no findings'
  else {
    image.verdict = imageCheck.verdict
    for (const id of staticIds) {
      const i = imageCheck.findings.find((f) => f.id === id)
      let r = findings.find((f) => f.id === id)
      // A check that judges only images (n/a on a running host, which a runtime check covers instead)
      // is held against that runtime check: both must find a problem, or both pass.
      const counterpart = IMAGE_ONLY[id]
      if (r?.status === 'n/a' && counterpart) {
        const c = findings.find((f) => f.id === counterpart)
        const same = (a, b) => a === b || (RAISED.has(a) && RAISED.has(b))
        if (!same(i?.status, c?.status)) image.disagreements.push({id, image: i?.status ?? 'absent', running: `${counterpart} ${c?.status ?? 'absent'}`, image_message: i?.message, running_message: c?.message})
        continue
      }
      if ((i?.status ?? 'absent') !== (r?.status ?? 'absent')) {
        const d = {id, image: i?.status ?? 'absent', running: r?.status ?? 'absent', image_message: i?.message, running_message: r?.message}
        const why = EXPLAINED[id]?.(i, r)
        if (why) image.explained.push({...d, why})
        else image.disagreements.push(d)
      }
    }
    image.agrees = image.disagreements.length === 0 && findings.length > 0
  }
}

// ---------------------------------------------------------------- explain
const explain = kdumpcheck(['explain', 'serial.log', '--json'], 'explain.json')
const causes = explain.causes ?? []
const root = causes.find((c) => c.role === 'root')
const ex = {
  outcome: explain.verdict?.outcome ?? `error: ${explain.error?.message ?? '?'}`,
  vmcore: explain.verdict?.vmcore,
  link: explain.verdict?.first_broken_link?.link ?? null,
  root: root?.id ?? null,
  causes: causes.map((c) => `${c.role}:${c.id}`),
}

// ---------------------------------------------------------------- judgement
// The prediction must match the disk; explain must read the same outcome from the console and name the
// expected root cause, and where a vmcore was written it must not blame anything (notes are fine).
const why = []
const ready = verdict === 'READY'
if (!evidence) why.push('the run is not evidence')
if (noPanic) {
  // The verdict answers "will a panic leave a vmcore": a trigger that does not panic leaves none, and
  // the checks that predicted that (WANT_RAISED) must have been raised.
  if (!ready) why.push(`${verdict}: the capture path works (a panic would dump), the verdict should be READY`)
  if (vmcoreWritten) why.push('a vmcore was written, but this trigger was not expected to panic')
} else if (ready !== vmcoreWritten) why.push(ready ? 'READY, but no vmcore was written' : `${verdict}, but a vmcore was written`)
for (const id of words(run.want_failed)) if (!failed.includes(id)) why.push(`${id} was expected among the failing checks`)
for (const id of words(run.want_raised)) if (!RAISED.has(statusOf(id))) why.push(`${id} was expected to be raised, it is ${statusOf(id)}`)
for (const id of words(run.want_pass)) if (statusOf(id) !== 'pass') why.push(`${id} was expected to pass, it is ${statusOf(id)}`)
// Witnesses in dom0's transcript: `<command>|<regex>` (the command's output must have a matching line).
const shown = []
for (const want of (run.want_shown ?? '').split('\x1e').filter(Boolean)) {
  const [command, pattern] = [want.slice(0, want.lastIndexOf('|')), want.slice(want.lastIndexOf('|') + 1)]
  const start = serial.findIndex((l) => l.startsWith(`LAB: ----- ${command}`))
  let hit
  for (let i = start + 1; start >= 0 && i < serial.length && !/^LAB:   exit status:/.test(serial[i]) && !/^LAB: -----/.test(serial[i]); i++) {
    if (serial[i].startsWith('LAB:   ') && new RegExp(pattern).test(serial[i].slice(7))) hit = serial[i].slice(7)
  }
  shown.push({command, pattern, line: hit ?? null})
  if (hit === undefined) why.push(`\`${command}\` printed no line matching /${pattern}/`)
}
if (run.want_dump && !written.some((d) => (d.detail ?? d.format).includes(run.want_dump))) why.push(`the dump is not ${run.want_dump}`)
// FIXED: the image is the one `kdumpcheck fix --root` repaired (lib/boot.sh held it to exit 1, edits
// made); `check --root` on it must say READY, as the prediction does.
const fix = run.fix ? {exit: Number(run.fix), report: existsSync(join(dir, 'fix.out')) ? readFileSync(join(dir, 'fix.out'), 'utf8') : ''} : null
if (fix && image.verdict !== 'READY') why.push(`check --root on the repaired image says ${image.verdict ?? 'nothing'}, not READY`)
const imageWhy = image.error ? [`image: ${image.error}`] : image.disagreements.map((d) => `image says ${d.id} ${d.image}, the running host ${d.running}`)
const imageAgrees = imageWhy.length === 0
const predictionAgrees = why.length === 0
why.push(...imageWhy)
const explainWhy = []
const wantCause = words(run.want_cause)
if (run.want_outcome && ex.outcome !== run.want_outcome) explainWhy.push(`explain's outcome is ${ex.outcome}, expected ${run.want_outcome}`)
if ((ex.vmcore === 'written') !== vmcoreWritten) explainWhy.push(`explain says vmcore ${ex.vmcore ?? '?'}, the disk says ${vmcoreWritten ? 'written' : 'none'}`)
if (wantCause.length === 0 && ex.root) explainWhy.push(`explain names a root cause (${ex.root}) for a dump that was written`)
if (vmcoreWritten) {
  const blamed = causes.filter((c) => c.role === 'contributing').map((c) => c.id)
  if (blamed.length) explainWhy.push(`explain names contributing causes (${blamed.join(', ')}) for a dump that was written`)
}
if (wantCause.length > 0 && !wantCause.includes(ex.root)) explainWhy.push(`explain's root cause is ${ex.root ?? 'none'}, expected ${wantCause.join(' or ')}`)
for (const id of words(run.want_also)) if (!causes.some((c) => c.id === id)) explainWhy.push(`explain does not name ${id}`)
const explainAgrees = explainWhy.length === 0
// LAB_EXPLAIN=warn reports explain's disagreements without failing the lab (the prediction still must agree).
// LAB_IMAGE=warn does the same for the image's disagreements with the running host.
const agree = predictionAgrees && (imageAgrees || process.env.LAB_IMAGE === 'warn') && (explainAgrees || process.env.LAB_EXPLAIN === 'warn')
why.push(...explainWhy)

const result = {
  scenario: run.scenario,
  title: run.title,
  setup: run.setup,
  xen_cmdline: readFileSync(join(dir, 'xen.cmdline'), 'utf8').trim(),
  dom0_cmdline: readFileSync(join(dir, 'dom0.cmdline'), 'utf8').trim(),
  evidence,
  problems,
  host: native ? 'native' : 'xen',
  mem_mib: Number(run.mem_mib) || 2048,
  trigger,
  no_panic: noPanic,
  fix,
  sysctl: run.sysctl || '',
  prediction: {verdict, failed, warned, raised_info: findings.filter((f) => f.status === 'info').map((f) => f.id), unknown_errors: unknownErrors, snapshot_errors: check.snapshot?.errors, want_raised: words(run.want_raised).map((id) => `${id}:${statusOf(id)}`), want_pass: words(run.want_pass).map((id) => `${id}:${statusOf(id)}`)},
  image: {...image, agrees: imageAgrees},
  shown,
  mechanism: {oops_line: oopsAt >= 0 ? serial[oopsAt].trim() : null, hung_line: hungAt >= 0 ? serial[hungAt].trim() : null, hung_report_after_block_s: hungDelay, nmi_report: nmiReport >= 0 ? serial[nmiReport].trim() : null},
  outcome: {text: outcome, xen_action: xenAction, xen_line: xenLine, capture_kernel_ran: captureUp, proc_vmcore_bytes: procVmcoreBytes, dumps, vmcore_written: vmcoreWritten, stop: run.stop},
  explain: ex,
  collector: {exit: dom0Header?.collector_exit, bytes: Number(dom0Header?.snapshot_bytes ?? 0), seconds: Number(/collector: snapshot of \d+ bytes in ([\d.]+)s/.exec(serial.join('\n'))?.[1] ?? NaN)},
  agree,
  prediction_agrees: predictionAgrees,
  image_agrees: imageAgrees,
  explain_agrees: explainAgrees,
  why,
  times: {wall_s: Number(run.wall_s), qemu_cpu_s: Number(run.qemu_cpu_s) || null, load_avg: run.load_avg ?? null, to_marker_s: Number(run.to_marker_s) || null, to_kexec_s: Number(run.to_kexec_s) || null, to_report_s: Number(run.to_report_s) || null, to_nmi_s: Number(run.to_nmi_s) || null},
}
writeFileSync(join(dir, 'result.json'), `${JSON.stringify(result, null, 2)}\n`)
console.log(`${run.scenario}: ${agree ? 'AGREES' : 'DISAGREES'} (prediction ${predictionAgrees ? 'agrees' : 'DISAGREES'}, image ${imageAgrees ? 'agrees' : 'DISAGREES'}, explain ${explainAgrees ? 'agrees' : 'DISAGREES'}) | predicted ${verdict} [${failed.join(' ')}] | ${outcome} | explain ${ex.outcome}/${ex.root ?? '-'}${why.length ? ` | ${why.join('; ')}` : ''}`)
process.exit(agree ? 0 : 1)
