import {Flags} from '@oclif/core'
import {createInterface} from 'node:readline/promises'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {sourceFlags} from '../cli/source-flags.js'
import {findConfig} from '../config/config.js'
import {writeExisting} from '../io/write-atomic.js'
import {renderPreflight, type Preflight} from '../preflight/story.js'
import {parseSshTarget, sshArgs} from '../sources/ssh.js'
import {runPreflight} from '../preflight/run.js'

export interface TriggerResult {
  triggered: boolean
  hostname: string
  decision: Preflight['decision']
  refused?: string
}

export default class Trigger extends KdumpcheckCommand {
  static override summary = 'Crash a host on purpose to prove its dump, after a passing preflight and explicit confirmation.'

  static override description = `Runs \`preflight\` first and refuses unless it says GO (--force accepts CANNOT TELL, never NO-GO); refuses unless --confirm equals the host's name; refuses without a terminal unless --yes is also given. Then it logs the intent to syslog (logger), prints the preflight story, runs sync, and writes "c" to /proc/sysrq-trigger: the kernel panics at once.

Exit codes: 0 triggered, 1 refused, 2 error.`

  static override examples = [
    {description: 'Crash this machine (as root, at a terminal):', command: 'sudo <%= config.bin %> <%= command.id %> --confirm $(hostname)'},
    {description: 'Crash a remote dom0 from a script:', command: '<%= config.bin %> <%= command.id %> --ssh root@dom0-17 --confirm dom0-17 --yes'},
  ]

  static override flags = {
    ssh: sourceFlags.ssh,
    'ssh-option': sourceFlags['ssh-option'],
    'ssh-config': sourceFlags['ssh-config'],
    sudo: sourceFlags.sudo,
    timeout: sourceFlags.timeout,
    'probe-timeout': sourceFlags['probe-timeout'],
    'connect-timeout': sourceFlags['connect-timeout'],
    confirm: Flags.string({summary: "The host's name, typed out: the command refuses unless it matches.", required: true, helpValue: 'HOSTNAME'}),
    yes: Flags.boolean({summary: 'Do not ask at the terminal (required when there is no terminal).'}),
    force: Flags.boolean({summary: 'Trigger on CANNOT TELL too (never on NO-GO).'}),
    config: Flags.string({char: 'c', summary: 'Configuration file (policy values).', helpValue: 'FILE'}),
    // Tests point this at a temporary file; nothing else should ever change it.
    'trigger-file': Flags.string({hidden: true, default: '/proc/sysrq-trigger'}),
  }

  async run(): Promise<TriggerResult> {
    const {flags} = await this.parse(Trigger)
    const result = await runPreflight({...flags, 'ssh-option': flags['ssh-option'] ?? []}, await findConfig(flags.config))
    const refuse = (why: string): TriggerResult => {
      process.exitCode = 1
      process.stderr.write(`kdumpcheck: refusing to trigger a crash: ${why}\n`)
      return {triggered: false, hostname: result.hostname, decision: result.decision, refused: why}
    }
    if (result.decision === 'NO-GO') {
      process.stderr.write(`${renderPreflight(result)}\n\n`)
      return refuse(`preflight says NO-GO (${result.breaks_at?.id}: ${result.breaks_at?.title}); --force never overrides NO-GO`)
    }
    if (result.decision === 'CANNOT TELL' && !flags.force) return refuse('preflight says CANNOT TELL; verify by hand, or use --force to accept it')
    if (!result.hostname || flags.confirm !== result.hostname) return refuse(`--confirm ${JSON.stringify(flags.confirm)} does not match the host's name ${JSON.stringify(result.hostname)}`)
    if (!process.stdin.isTTY && !flags.yes) return refuse('no terminal to confirm at; add --yes to confirm from a script')
    process.stdout.write(`${renderPreflight(result)}\n\n`)
    if (!flags.yes) {
      const rl = createInterface({input: process.stdin, output: process.stdout})
      const answer = await rl.question(`Crash ${result.hostname} now? Type the host name again to go ahead: `)
      rl.close()
      if (answer.trim() !== result.hostname) return refuse('not confirmed at the terminal')
    }
    const message = `kdumpcheck trigger: crashing ${result.hostname} on purpose to prove its crash dump (preflight ${result.decision})`
    if (flags.ssh) await this.remoteTrigger(flags, message)
    else await this.localTrigger(flags['trigger-file'], message)
    return {triggered: true, hostname: result.hostname, decision: result.decision}
  }

  private async localTrigger(triggerFile: string, message: string): Promise<void> {
    const {execa} = await import('execa')
    const logged = await execa('logger', ['-t', 'kdumpcheck', '-p', 'user.crit', message], {reject: false, timeout: 5000})
    if (logged.exitCode !== 0) process.stderr.write(`kdumpcheck: warning: could not log to syslog (${logged.stderr || logged.shortMessage})\n`)
    await execa('sync', [], {reject: false, timeout: 60_000})
    process.stdout.write(`Writing "c" to ${triggerFile}.\n`)
    // A kernel control file: written in place, never created, replaced or reached through a link.
    await writeExisting(triggerFile, 'c')
  }

  private async remoteTrigger(flags: {ssh?: string | undefined; 'ssh-option'?: string[]; 'ssh-config'?: string | undefined; sudo: boolean; 'connect-timeout': number; 'trigger-file': string}, message: string): Promise<void> {
    const target = parseSshTarget(flags.ssh!)
    const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`
    const script = `logger -t kdumpcheck -p user.crit ${quote(message)}; sync; printf c > ${quote(flags['trigger-file'])}`
    const args = sshArgs(target, {
      sshOptions: flags['ssh-option'] ?? [],
      sudo: false,
      connectTimeout: flags['connect-timeout'],
      deadline: 0,
      probeTimeout: 0,
      ...(flags['ssh-config'] ? {configFile: flags['ssh-config']} : {}),
    })
    // The remote command replaces the collector invocation that sshArgs puts last.
    args[args.length - 1] = flags.sudo ? `sudo -n sh -c ${quote(script)}` : `sh -c ${quote(script)}`
    const {execa} = await import('execa')
    process.stdout.write(`Writing "c" to ${flags['trigger-file']} on ${target.host}.\n`)
    // The connection usually dies with the host: exit 255 after the write is the expected outcome.
    await execa('ssh', args, {reject: false, timeout: 120_000, stdin: 'ignore'})
  }
}
