import {Flags} from '@oclif/core'
import {createInterface} from 'node:readline/promises'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {printLine} from '../cli/one-line.js'
import {sourceFlags, sshReachFlags} from '../cli/source-flags.js'
import {findConfig} from '../config/config.js'
import {runPreflight} from '../preflight/run.js'
import {renderPreflight, type Preflight} from '../preflight/story.js'
import {checkConfirmation, describeCrashTarget, TriggerRefused, triggerLocally, triggerOverSsh, type CrashTarget} from '../preflight/trigger.js'
import {parseSshTarget} from '../sources/ssh.js'
import {terminalWidth} from '../report/formats/layout.js'

export interface TriggerResult {
  triggered: boolean
  hostname: string
  decision: Preflight['decision']
  refused?: string
}

export default class Trigger extends KdumpcheckCommand {
  static override summary = 'Crash a host on purpose to prove its dump, after a passing preflight and explicit confirmation.'

  static override description = `Runs \`preflight\` first and refuses unless it says GO (--force accepts CANNOT TELL, never NO-GO); refuses unless --confirm equals the host's name, both as its evidence gives it and as the machine that would be crashed (this one, or the one ssh reaches) names itself right before the write; refuses without a terminal unless --yes is also given. Then it logs the intent to syslog (logger), prints the preflight story, runs sync, and writes "c" to /proc/sysrq-trigger: the kernel panics at once.

Exit codes: 0 triggered, 1 refused, 2 error.`

  static override examples = [
    {description: 'Crash this machine (as root, at a terminal):', command: 'sudo <%= config.bin %> <%= command.id %> --confirm $(hostname)'},
    {description: 'Crash a remote dom0 from a script:', command: '<%= config.bin %> <%= command.id %> --ssh root@dom0-17 --confirm dom0-17 --yes'},
  ]

  static override flags = {
    ssh: sourceFlags.ssh,
    ...sshReachFlags,
    confirm: Flags.string({summary: "The host's name, typed out: the command refuses unless it matches.", required: true, helpValue: 'HOSTNAME'}),
    yes: Flags.boolean({summary: 'Do not ask at the terminal (required when there is no terminal).'}),
    force: Flags.boolean({summary: 'Trigger on CANNOT TELL too (never on NO-GO).'}),
    config: Flags.string({char: 'c', summary: 'Configuration file (policy values).', helpValue: 'FILE'}),
    // Tests point this at a temporary file; nothing else should ever change it.
    'trigger-file': Flags.string({hidden: true, default: '/proc/sysrq-trigger'}),
  }

  async run(): Promise<TriggerResult> {
    const {flags} = await this.parse(Trigger)
    // Which machine a write would crash, decided before anything else (an unusable --ssh is exit 2).
    const crashes: CrashTarget = flags.ssh
      ? {
          kind: 'ssh',
          target: parseSshTarget(flags.ssh),
          options: {sshOptions: flags['ssh-option'] ?? [], sudo: flags.sudo, connectTimeout: flags['connect-timeout'], ...(flags['ssh-config'] ? {configFile: flags['ssh-config']} : {})},
        }
      : {kind: 'local'}
    const result = await runPreflight({...flags, 'ssh-option': flags['ssh-option'] ?? []}, await findConfig(flags.config))
    const refuse = (why: string): TriggerResult => {
      process.exitCode = 1
      printLine('refusing to trigger a crash', why)
      return {triggered: false, hostname: result.hostname, decision: result.decision, refused: why}
    }
    if (result.decision === 'NO-GO') {
      process.stderr.write(`${renderPreflight(result, {width: terminalWidth(process.stdout)})}\n\n`)
      return refuse(`preflight says NO-GO (${result.breaks_at?.id}: ${result.breaks_at?.title}); --force never overrides NO-GO`)
    }
    if (result.decision === 'CANNOT TELL' && !flags.force) return refuse('preflight says CANNOT TELL; verify by hand, or use --force to accept it')
    try {
      checkConfirmation(flags.confirm, result.hostname, crashes)
    } catch (error) {
      if (error instanceof TriggerRefused) return refuse(error.message)
      throw error
    }
    if (!process.stdin.isTTY && !flags.yes) return refuse('no terminal to confirm at; add --yes to confirm from a script')
    process.stdout.write(`${renderPreflight(result, {width: terminalWidth(process.stdout)})}\n\n`)
    if (!flags.yes) {
      const rl = createInterface({input: process.stdin, output: process.stdout})
      const answer = await rl.question(`Crash ${result.hostname} (${describeCrashTarget(crashes)}) now? Type the host name again to go ahead: `)
      rl.close()
      if (answer.trim() !== result.hostname) return refuse('not confirmed at the terminal')
    }
    const message = `kdumpcheck trigger: crashing ${result.hostname} on purpose to prove its crash dump (preflight ${result.decision})`
    const say = (line: string): void => void process.stdout.write(`${line}\n`)
    try {
      if (crashes.kind === 'ssh') await triggerOverSsh(crashes, flags.confirm, flags['trigger-file'], message, say)
      else await triggerLocally(flags.confirm, flags['trigger-file'], message, say, (warning) => printLine('warning', warning))
    } catch (error) {
      if (error instanceof TriggerRefused) return refuse(error.message)
      throw error
    }
    return {triggered: true, hostname: result.hostname, decision: result.decision}
  }
}
