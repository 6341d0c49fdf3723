/**
 * Issue 12, items 1 and 5: what kdumpcheck writes, attacked as root. Every scenario runs the built CLI
 * inside a private mount namespace on a tmpfs ($T) with mknod'd device nodes: never the real /dev.
 * - -o onto a character device, a FIFO or /dev/stdout writes into it and leaves it what it was;
 * - a symlink planted at the temporary name an attacker can predict (PID 1 in a fresh PID namespace)
 *   or at a --keep-snapshots name redirects nothing;
 * - collect -o DIR never follows a link inside DIR, refuses a non-empty DIR without --force, and a full
 *   disk leaves nothing that `check` accepts.
 */
import {mkdtempSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {inPrivateMount, privateMountAvailable} from '../helpers/private-mount.js'

const run = (script: string, options: {size?: string} = {}) => {
  const result = inPrivateMount(script, options)
  if (result.status === 99) throw new Error(`could not mount the test tmpfs: ${result.stderr}`)
  return result
}

/** Lines `key=value` the scripts print, as a map. */
function marks(stdout: string): Map<string, string> {
  return new Map(
    stdout
      .split('\n')
      .filter((l) => /^[a-z_0-9]+=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  )
}

const errorLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim() !== '')

describe.skipIf(!privateMountAvailable())('writes that must not replace or follow (private mount namespace)', () => {
  it('-o onto a character device writes into it and leaves the device node in place', () => {
    const {stdout, stderr} = run(`
      mknod "$T/null" c 1 3 && chmod 666 "$T/null"
      $K check --snapshot "$FIX/incident-el5xen" -o "$T/null"; echo "rc=$?"
      echo "type=$(stat -c %F "$T/null")"
      echo "rdev=$(stat -c %t,%T "$T/null")"
      echo "others=$(ls -A "$T" | grep -v '^null$' | wc -l)"
    `)
    const m = marks(stdout)
    expect(m.get('rc'), stderr).toBe('1')
    expect(m.get('type')).toBe('character special file')
    expect(m.get('rdev')).toBe('1,3')
    expect(m.get('others')).toBe('0')
  })

  it('-o onto a full device (/dev/full) is one error line, and the device stays', () => {
    const {stdout, stderr} = run(`
      mknod "$T/full" c 1 7 && chmod 666 "$T/full"
      $K check --snapshot "$FIX/incident-el5xen" -o "$T/full"; echo "rc=$?"
      echo "type=$(stat -c %F "$T/full")"
    `)
    const m = marks(stdout)
    expect(m.get('rc')).toBe('2')
    expect(m.get('type')).toBe('character special file')
    expect(errorLines(stderr)).toHaveLength(1)
    expect(stderr).toMatch(/full: cannot write \(no space left on the device\)/)
  })

  it('-o onto a FIFO writes to its reader and leaves the FIFO', () => {
    const {stdout, stderr} = run(`
      mkfifo "$T/fifo"
      timeout 60 cat "$T/fifo" > "$T/got" &
      $K check --snapshot "$FIX/incident-el5xen" --format json -o "$T/fifo"; echo "rc=$?"
      wait
      echo "type=$(stat -c %F "$T/fifo")"
      echo "verdict=$(grep -o '"verdict": "[A-Z_]*"' "$T/got" | head -1)"
    `)
    const m = marks(stdout)
    expect(m.get('rc'), stderr).toBe('1')
    expect(m.get('type')).toBe('fifo')
    expect(m.get('verdict')).toBe('"verdict": "NOT_READY"')
  })

  it('-o /dev/stdout writes to standard output (a pipe, or a file it was redirected to) and leaves the link', () => {
    // A private /dev: the real one is never at risk, whatever the code under test does.
    const {stdout, stderr} = run(`
      mount -t tmpfs -o size=1m kdc-dev /dev || exit 99
      mknod /dev/null c 1 3 && chmod 666 /dev/null
      mknod /dev/urandom c 1 9 && mknod /dev/random c 1 8
      ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd/2 /dev/stderr && ln -s /proc/self/fd /dev/fd
      $K check --snapshot "$FIX/incident-el5xen" --format json -o /dev/stdout | grep -c '"verdict": "NOT_READY"' | sed 's/^/piped=/'
      $K check --snapshot "$FIX/incident-el5xen" --format json -o /dev/stdout > "$T/redirected"; echo "rc=$?"
      echo "file=$(grep -c '"verdict": "NOT_READY"' "$T/redirected")"
      echo "link=$(readlink /dev/stdout)"
      echo "leftover=$(ls -A /dev | grep -c tmp)"
    `)
    const m = marks(stdout)
    expect(m.get('piped'), stderr).toBe('1')
    expect(m.get('rc')).toBe('1')
    expect(m.get('file')).toBe('1')
    expect(m.get('link')).toBe('/proc/self/fd/1')
    expect(m.get('leftover')).toBe('0')
  })

  it('a symlink planted at the predictable temporary name cannot redirect root’s -o write', () => {
    // In a fresh PID namespace kdumpcheck is PID 1: the old temporary name was .report.txt.1.tmp.
    const {stdout, stderr} = run(`
      echo precious > "$T/victim"
      ln -s "$T/victim" "$T/.report.txt.1.tmp"
      unshare -p -f --mount-proc sh -c 'exec $K check --snapshot "$FIX/incident-el5xen" -o "$T/report.txt"'; echo "rc=$?"
      echo "victim=$(cat "$T/victim")"
      echo "report=$(stat -c %F "$T/report.txt") $(grep -c 'NOT READY' "$T/report.txt")"
    `)
    const m = marks(stdout)
    expect(m.get('rc'), stderr).toBe('1')
    expect(m.get('victim')).toBe('precious')
    expect(m.get('report')).toBe('regular file 1')
  })

  it('-o onto a symlink is refused in one line, and the file it points to is untouched', () => {
    const {stdout, stderr} = run(`
      echo precious > "$T/victim"
      ln -s "$T/victim" "$T/report.txt"
      $K check --snapshot "$FIX/incident-el5xen" -o "$T/report.txt"; echo "rc=$?"
      echo "victim=$(cat "$T/victim")"
      echo "link=$(readlink "$T/report.txt")"
    `)
    const m = marks(stdout)
    expect(m.get('rc')).toBe('2')
    expect(m.get('victim')).toBe('precious')
    expect(m.get('link')).toContain('victim')
    expect(errorLines(stderr)).toEqual([expect.stringMatching(/report\.txt: is a symbolic link; kdumpcheck never writes through a link/)])
  })

  it('scan --keep-snapshots never writes through a link planted at a host’s fixed name', () => {
    const {stdout, stderr} = run(`
      printf 'hosts:\\n  - name: dead\\n    address: 127.0.0.1\\n    port: 1\\n' > "$T/inventory.yaml"
      mkdir "$T/keep"
      echo precious > "$T/victim"
      ln -s "$T/victim" "$T/keep/dead.unreachable"
      $K scan -i "$T/inventory.yaml" --keep-snapshots "$T/keep" --connect-timeout 5 --no-progress; echo "rc=$?"
      echo "victim=$(cat "$T/victim")"
    `)
    const m = marks(stdout)
    expect(m.get('rc'), stderr).toBe('3')
    expect(m.get('victim')).toBe('precious')
  })

  it('collect -o DIR never follows a link planted inside DIR, and refuses a non-empty DIR without --force', () => {
    const {stdout, stderr} = run(`
      mkdir "$T/outside" "$T/snap"
      ln -s "$T/outside" "$T/snap/files"
      $K collect --snapshot "$FIX/incident-el5xen" -o "$T/snap" 2>"$T/err1"; echo "rc1=$?"
      echo "err1=$(cat "$T/err1")"
      echo "outside1=$(ls -A "$T/outside" | wc -l)"
      $K collect --snapshot "$FIX/incident-el5xen" -o "$T/snap" --force; echo "rc2=$?"
      echo "outside2=$(ls -A "$T/outside" | wc -l)"
      echo "files=$(stat -c %F "$T/snap/files")"
      $K check --snapshot "$T/snap" >/dev/null; echo "check=$?"
      echo "leftover=$(ls -A "$T" | grep -c kdumpcheck)"
    `)
    const m = marks(stdout)
    expect(m.get('rc1'), stderr).toBe('2')
    expect(m.get('err1')).toMatch(/snap: exists and is not empty; choose a new directory, or pass --force to replace it$/)
    expect(m.get('outside1')).toBe('0')
    expect(m.get('rc2'), stderr).toBe('0')
    expect(m.get('outside2')).toBe('0')
    expect(m.get('files')).toBe('directory')
    expect(m.get('check')).toBe('1')
    expect(m.get('leftover')).toBe('0')
  })

  it('collect -o DIR into an existing directory no longer merges with stale files (--force starts clean)', () => {
    const {stdout, stderr} = run(`
      $K collect --snapshot "$FIX/good-pvops-debian12" -o "$T/snap" >/dev/null 2>&1; echo "first=$?"
      mkdir -p "$T/snap/files/etc/sysctl.d" && echo 'kernel.panic_on_oops = 0' > "$T/snap/files/etc/sysctl.d/99-stale.conf"
      $K collect --snapshot "$FIX/good-pvops-debian12" -o "$T/snap" --force 2>/dev/null; echo "rc=$?"
      echo "stale=$(ls "$T/snap/files/etc/sysctl.d" 2>/dev/null | grep -c stale)"
    `)
    const m = marks(stdout)
    expect(m.get('first'), stderr).toBe('0')
    expect(m.get('rc'), stderr).toBe('0')
    expect(m.get('stale')).toBe('0')
  })

  it('a full disk during collect -o DIR or -o FILE.tar.gz leaves nothing behind that check accepts', () => {
    const {stdout, stderr} = run(
      `
      E=$(mktemp)
      $K collect --snapshot "$FIX/incident-el5xen" -o "$T/snap" 2>"$E"; echo "rc=$?"
      echo "err=$(wc -l < "$E") $(grep -c 'no space left' "$E")"
      rm -f "$E"
      $K check --snapshot "$T/snap" >/dev/null 2>&1; echo "check=$?"
      cat /dev/zero > "$T/filler" 2>/dev/null
      $K collect --snapshot "$FIX/incident-el5xen" -o "$T/snap.tar.gz" 2>/dev/null; echo "rctar=$?"
      $K check --snapshot "$T/snap.tar.gz" >/dev/null 2>&1; echo "checktar=$?"
      rm "$T/filler"
      echo "left=$(ls -A "$T" | tr '\\n' ' ')"
    `,
      {size: '96k'},
    )
    const m = marks(stdout)
    expect(m.get('rc'), stderr).toBe('2')
    expect(m.get('err')).toBe('1 1')
    expect(m.get('check')).toBe('2')
    expect(m.get('rctar')).toBe('2')
    expect(m.get('checktar')).toBe('2')
    expect(m.get('left')).toBe('')
  })
})

describe('--json with --output', () => {
  it('writes the JSON document to the file (not to stdout, leaving a stale file behind)', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'kdc-json-out-')), 'report.json')
    writeFileSync(file, '{"verdict": "READY", "stale": true}\n')
    const {status, stdout} = runCli(['check', '--snapshot', 'fixtures/hosts/incident-el5xen', '--json', '-o', file])
    expect(status).toBe(1)
    expect(stdout).toBe('')
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({schema: 'kdumpcheck-report/1', verdict: 'NOT_READY'})
  })
})

describe('scan --results', () => {
  it('never appends through a symbolic link, with or without --resume', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kdc-results-link-'))
    writeFileSync(path.join(dir, 'victim'), 'precious\n')
    symlinkSync(path.join(dir, 'victim'), path.join(dir, 'results.jsonl'))
    for (const extra of [[], ['--resume']]) {
      const {status, stderr} = runCli(['scan', '--snapshots', 'fixtures/hosts', '--results', path.join(dir, 'results.jsonl'), ...extra])
      expect(status).toBe(2)
      expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/results\.jsonl: is a symbolic link; kdumpcheck never writes through a link$/)])
    }
    expect(readFileSync(path.join(dir, 'victim'), 'utf8')).toBe('precious\n')
  })
})
