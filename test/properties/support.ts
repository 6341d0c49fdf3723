/**
 * Shared by the metamorphic property tests of issue 11: every fixture (fixtures/hosts/* and the real-world corpus's
 * snapshots and image trees) loaded once, in memory, and helpers that derive changed snapshots and compare reports.
 *
 * The tests work on the in-memory Snapshot (no files written, no CLI spawned) so that hundreds of variants judge in
 * seconds. Known violations live in test/properties/known-violations.yaml: per property and fixture, the exact list of
 * violation keys seen today. A test compares the keys it finds with that list, so it fails both when a new violation
 * appears and when a listed one disappears (the tool became right: the list must shrink).
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {parse} from 'yaml'
import {DEFAULT_CONFIG} from '../../src/config/config.js'
import {judgeSnapshot} from '../../src/pipeline.js'
import type {Report} from '../../src/report/report.js'
import {Snapshot, type ProbeResult, type SnapshotFile, type SnapshotMeta} from '../../src/snapshot/snapshot.js'
import {snapshotFromRoot} from '../../src/sources/rootfs.js'
import {readSnapshot} from '../../src/sources/snapshot-reader.js'

export const repoRoot = path.resolve(import.meta.dirname, '../..')

export interface Fixture {
  /** `hosts/<name>` or `real-world/<name>`. */
  name: string
  snapshot: Snapshot
}

/** One fixed clock for every judgment, so that a full and a changed snapshot are judged at the same moment. */
export const NOW = new Date('2026-11-29T10:00:00Z')

/** Every fixture the properties run over. Image trees are read the way `check --root` reads them. */
export async function loadFixtures(): Promise<Fixture[]> {
  const out: Fixture[] = []
  const hosts = path.join(repoRoot, 'fixtures/hosts')
  for (const name of readdirSync(hosts).sort()) {
    const dir = path.join(hosts, name)
    if (statSync(dir).isDirectory()) out.push({name: `hosts/${name}`, snapshot: await readSnapshot(dir)})
  }
  const corpus = path.join(repoRoot, 'fixtures/real-world')
  for (const name of readdirSync(corpus).sort()) {
    const dir = path.join(corpus, name)
    if (!statSync(dir).isDirectory()) continue
    if (statSync(path.join(dir, 'snapshot'), {throwIfNoEntry: false})?.isDirectory())
      out.push({name: `real-world/${name}`, snapshot: await readSnapshot(path.join(dir, 'snapshot'))})
    else if (statSync(path.join(dir, 'root'), {throwIfNoEntry: false})?.isDirectory())
      out.push({name: `real-world/${name}`, snapshot: await snapshotFromRoot(path.join(dir, 'root'), {now: NOW})})
  }
  return out
}

/** The fixture names, known at test-collection time (the snapshots themselves load in beforeAll). */
export function fixtureNames(): string[] {
  const names: string[] = []
  const hosts = path.join(repoRoot, 'fixtures/hosts')
  for (const n of readdirSync(hosts).sort()) if (statSync(path.join(hosts, n)).isDirectory()) names.push(`hosts/${n}`)
  const corpus = path.join(repoRoot, 'fixtures/real-world')
  for (const n of readdirSync(corpus).sort()) {
    const d = path.join(corpus, n)
    if (existsSync(path.join(d, 'snapshot')) || existsSync(path.join(d, 'root'))) names.push(`real-world/${n}`)
  }
  return names
}

let cache: Promise<Fixture[]> | undefined
/** loadFixtures(), once per test file. */
export function fixtures(): Promise<Fixture[]> {
  cache ??= loadFixtures()
  return cache
}

export function filesOf(s: Snapshot): SnapshotFile[] {
  return s.filePaths.map((p) => s.file(p)!)
}

export function probesOf(s: Snapshot): ProbeResult[] {
  return s.probeNames.map((n) => s.probe(n)!)
}

/** A snapshot with the same origin and the given evidence (insertion order as given). */
export function rebuild(s: Snapshot, files: SnapshotFile[], probes: ProbeResult[], meta: Partial<SnapshotMeta> = {}): Snapshot {
  return new Snapshot(
    {...s.meta, ...meta},
    new Map(files.map((f) => [f.path, f])),
    new Map(probes.map((p) => [p.name, p])),
    s.origin,
  )
}

export function judge(s: Snapshot): Report {
  return judgeSnapshot(s, DEFAULT_CONFIG, NOW)
}

export function statusesOf(r: Report): Record<string, string> {
  return Object.fromEntries(r.findings.map((f) => [f.id, f.status]))
}

/**
 * The command line the collector ran for each probe (collector/kdumpcheck-collect.sh), for the error text it records
 * when a probe times out: `probe NAME (COMMAND): timed out after N s`.
 */
const PROBE_COMMANDS: Record<string, string> = {
  'uname-r': 'uname -r',
  'uname-m': 'uname -m',
  hostname: 'hostname',
  'xl-info': 'xl info',
  'xl-dmesg': 'xl dmesg',
  'xm-info': 'xm info',
  'xm-dmesg': 'xm dmesg',
  'kexec-version': 'kexec --version',
  'kexec-status': 'kexec -S',
  'systemctl-kdump': 'systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,Result kdump.service kdump-tools.service',
  'chkconfig-kdump': 'chkconfig --list kdump',
  'rpm-q': 'rpm -q --qf %{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\n kexec-tools kdump-utils makedumpfile crash xen xen-hypervisor kernel kernel-xen',
  'dpkg-query': 'dpkg-query -W -f=${Package}\t${Version}\t${Status}\n kexec-tools kdump-tools makedumpfile crash xen-hypervisor-* xen-utils-* linux-image-*',
  df: 'df -Pk',
  'ls-boot': 'ls -ln /boot /var/lib/kdump',
  'kdumpctl-status': 'kdumpctl status',
  'kdump-config-status': 'kdump-config status',
  'service-kdump-status': 'service kdump status',
  'ls-services': 'ls -l /etc/systemd/system/*.wants /etc/rc.d/rc3.d /etc/rc3.d',
}

/** The same snapshot as the collector records it when this host file existed but could not be read. */
export function loseFile(s: Snapshot, hostPath: string): Snapshot {
  return rebuild(
    s,
    filesOf(s).filter((f) => f.path !== hostPath),
    probesOf(s),
    {errors: [...s.meta.errors, `${hostPath}: could not be read: Permission denied`]},
  )
}

/** The same snapshot as the collector records it when this probe ran out of time and printed nothing. */
export function timeOutProbe(s: Snapshot, name: string): Snapshot {
  const command = PROBE_COMMANDS[name] ?? name
  return rebuild(
    s,
    filesOf(s),
    probesOf(s).map((p) => (p.name === name ? {name, out: '', err: '', exit: {kind: 'timeout' as const}} : p)),
    {errors: [...s.meta.errors, `probe ${name} (${command}): timed out after 10 s`]},
  )
}

export interface KnownViolationKind {
  class: string | number
  why: string
}

/** known-violations.yaml: `kinds` (name -> class + why), then property -> fixture -> kind -> violation keys. */
export interface KnownViolations {
  kinds: Record<string, KnownViolationKind>
  [property: string]: Record<string, unknown>
}

export function loadKnownViolations(): KnownViolations {
  const text = readFileSync(path.join(repoRoot, 'test/properties/known-violations.yaml'), 'utf8')
  const doc = (parse(text) ?? {}) as KnownViolations
  doc.kinds ??= {}
  return doc
}

/** The known violation keys of one fixture under one property, sorted. */
export function knownKeys(known: KnownViolations, property: string, fixture: string): string[] {
  const byKind = ((known[property] ?? {}) as Record<string, Record<string, string[]>>)[fixture] ?? {}
  return Object.values(byKind).flat().filter((k): k is string => typeof k === 'string').sort()
}

/** Every kind the file uses, for the check that each is described. */
export function usedKinds(known: KnownViolations): string[] {
  const out = new Set<string>()
  for (const [property, fixturesOf] of Object.entries(known)) {
    if (property === 'kinds') continue
    for (const byKind of Object.values(fixturesOf as Record<string, Record<string, string[]>>)) for (const k of Object.keys(byKind)) out.add(k)
  }
  return [...out].sort()
}
