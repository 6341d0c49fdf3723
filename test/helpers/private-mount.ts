/**
 * Root-only write tests run here: a shell script inside a private mount namespace (`unshare -m`, with
 * private propagation) where $T is a fresh tmpfs, so device nodes made with mknod, FIFOs and a full
 * file system never touch the machine's real /dev or disks. With `pid: true` the script also runs in a
 * new PID namespace (`exec node ...` is then PID 1: a predictable PID, as an attacker would guess it).
 * $K is the built CLI (`node bin/run.js`), $FIX the committed fixtures.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {CLI, repoRoot} from './cli.js'

export function privateMountAvailable(): boolean {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0 || !existsSync('/usr/bin/unshare')) return false
  return spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0
}

export interface NamespaceResult {
  status: number | null
  stdout: string
  stderr: string
}

export function inPrivateMount(script: string, options: {size?: string; pid?: boolean} = {}): NamespaceResult {
  const mountpoint = mkdtempSync(path.join(tmpdir(), 'kdc-ns-'))
  try {
    const prologue = [
      'set -u',
      `T=${JSON.stringify(mountpoint)}`,
      `mount -t tmpfs -o size=${options.size ?? '16m'},mode=1777 kdc-test "$T" || exit 99`,
      `K="${process.execPath} ${CLI}"`,
      `FIX=${JSON.stringify(path.join(repoRoot, 'fixtures/hosts'))}`,
      'export T K FIX NODE_ENV=production NO_COLOR=1',
      `cd ${JSON.stringify(repoRoot)}`,
    ].join('\n')
    const args = ['-m', '--propagation', 'private', ...(options.pid ? ['-p', '-f', '--mount-proc'] : []), '/bin/sh', '-c', `${prologue}\n${script}`]
    const result = spawnSync('unshare', args, {encoding: 'utf8', timeout: 120_000})
    return {status: result.status, stdout: result.stdout, stderr: result.stderr}
  } finally {
    rmSync(mountpoint, {recursive: true, force: true})
  }
}
