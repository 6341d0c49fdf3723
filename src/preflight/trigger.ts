/**
 * The deliberate crash itself, for `kdumpcheck trigger`: which host it would crash, and writing "c" to
 * its sysrq trigger file. The host is named twice over: --confirm must equal the name the evidence
 * gives, and, right before the write, the name the machine that would be crashed gives itself (this
 * machine's, or the one ssh reached: checked by the remote script before it writes anything).
 */
import {stat} from 'node:fs/promises'
import {hostname} from 'node:os'
import {InputError} from '../errors.js'
import {writeExisting} from '../io/write-atomic.js'
import {runCapped} from '../sources/capped-run.js'
import {shellQuote} from '../sources/shell-quote.js'
import {describeSshTarget, sshArgs, type SshOptions, type SshTarget} from '../sources/ssh.js'

/** A refusal (exit 1): nothing was written. */
export class TriggerRefused extends Error {}

/** The machine a trigger would crash: this one, or the host ssh reaches. */
export type CrashTarget = {kind: 'local'} | {kind: 'ssh'; target: SshTarget; options: Pick<SshOptions, 'sshOptions' | 'sudo' | 'connectTimeout' | 'configFile'>}

export function describeCrashTarget(target: CrashTarget): string {
  return target.kind === 'local' ? 'this machine' : `the host reached as ${describeSshTarget(target.target)}`
}

/** The name this machine gives itself (the kernel's node name, as `hostname` prints it). */
export function localHostname(): string {
  return hostname()
}

/** Refuses unless --confirm names exactly the host the evidence describes. */
export function checkConfirmation(confirm: string, evidenceHost: string, target: CrashTarget): void {
  if (!evidenceHost) throw new TriggerRefused(`the evidence from ${describeCrashTarget(target)} names no host; --confirm cannot be checked`)
  if (confirm !== evidenceHost) {
    throw new TriggerRefused(`--confirm ${JSON.stringify(confirm)} does not match the host's name ${JSON.stringify(evidenceHost)} (the host this would crash is ${describeCrashTarget(target)})`)
  }
  if (target.kind === 'local' && localHostname() !== confirm) {
    throw new TriggerRefused(`--confirm ${JSON.stringify(confirm)} does not name the host this would crash: this machine is ${JSON.stringify(localHostname())}`)
  }
}

const MARK = 'kdumpcheck-trigger:'
/** The remote script's exit status when the host's own name is not the confirmed one. */
const WRONG_HOST = 97
/** ... and when the trigger file has content (a trigger file such as /proc/sysrq-trigger reads as empty). */
const NOT_A_TRIGGER = 96

/** The script the remote shell runs: check its own name, log, sync, write "c". Every value is quoted. */
export function remoteTriggerScript(confirm: string, triggerFile: string, message: string): string {
  const q = shellQuote
  return [
    `h=$(cat /proc/sys/kernel/hostname 2>/dev/null || uname -n)`,
    `if [ "$h" != ${q(confirm)} ]; then printf '${MARK} host=%s\\n' "$h"; exit ${WRONG_HOST}; fi`,
    // A kernel trigger file reads as empty; a file with content is something else (never overwrite it).
    `if [ -s ${q(triggerFile)} ]; then printf '${MARK} not-a-trigger\\n'; exit ${NOT_A_TRIGGER}; fi`,
    `logger -t kdumpcheck -p user.crit ${q(message)}`,
    `sync`,
    `printf '${MARK} writing\\n'`,
    // Time for the line above to leave the host before it dies.
    `sleep 1`,
    `printf c > ${q(triggerFile)}`,
  ].join('\n')
}

/** Logs, syncs and writes "c" on this machine, after checking its name once more. */
export async function triggerLocally(confirm: string, triggerFile: string, message: string, say: (line: string) => void, warn: (message: string) => void): Promise<void> {
  if (localHostname() !== confirm) throw new TriggerRefused(`this machine is ${JSON.stringify(localHostname())}, not ${JSON.stringify(confirm)}`)
  // A kernel trigger file reads as empty (size 0); a file with content is something else: never overwrite it.
  const info = await stat(triggerFile).catch(() => undefined)
  if (info && info.size > 0) throw new InputError(`${triggerFile}: has content: not a trigger file; nothing written`)
  const {execa} = await import('execa')
  const logged = await execa('logger', ['-t', 'kdumpcheck', '-p', 'user.crit', message], {reject: false, timeout: 5000})
  if (logged.exitCode !== 0) warn(`could not log to syslog (${logged.stderr || logged.shortMessage})`)
  await execa('sync', [], {reject: false, timeout: 60_000})
  say(`Writing "c" to ${triggerFile} on ${confirm} (this machine).`)
  // A kernel control file: written in place, never created, replaced or reached through a link.
  await writeExisting(triggerFile, 'c')
}

/** Runs the trigger script over ssh; the remote side refuses unless it is the confirmed host. */
export async function triggerOverSsh(target: Extract<CrashTarget, {kind: 'ssh'}>, confirm: string, triggerFile: string, message: string, say: (line: string) => void): Promise<void> {
  const script = remoteTriggerScript(confirm, triggerFile, message)
  const remote = [...(target.options.sudo ? ['sudo', '-n'] : []), 'sh', '-c', script]
  const args = sshArgs(target.target, {...target.options, sudo: false, deadline: 0, probeTimeout: 0}, remote)
  say(`Writing "c" to ${triggerFile} on ${confirm} (${describeCrashTarget(target)}).`)
  const result = await runCapped('ssh', args, {timeoutMs: 120_000, cap: 64 * 1024})
  const out = Buffer.from(result.bytes).toString('utf8')
  const wrong = new RegExp(`^${MARK} host=(.*)$`, 'm').exec(out)
  if (result.exitCode === WRONG_HOST && wrong) {
    throw new TriggerRefused(`${describeCrashTarget(target)} calls itself ${JSON.stringify(wrong[1])}, not ${JSON.stringify(confirm)}; nothing written`)
  }
  if (result.exitCode === NOT_A_TRIGGER && out.includes(`${MARK} not-a-trigger`)) {
    throw new InputError(`${describeSshTarget(target.target)}: ${triggerFile} has content: not a trigger file; nothing written`)
  }
  const said = result.stderr.trim().split('\n').filter(Boolean).at(-1) ?? ''
  if (!out.includes(`${MARK} writing`)) {
    throw new InputError(`${describeSshTarget(target.target)}: could not confirm that the trigger ran (${said || `ssh exit status ${result.exitCode ?? 'unknown'}`})`)
  }
  // The connection usually dies with the host: exit 255 after "writing" is the expected outcome.
  if (result.exitCode !== 0 && result.exitCode !== 255) {
    throw new InputError(`${describeSshTarget(target.target)}: could not write ${triggerFile} (${said || `exit status ${result.exitCode}`})`)
  }
}
