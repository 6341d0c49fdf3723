import {Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {sourceFlags} from '../cli/source-flags.js'
import {findConfig} from '../config/config.js'
import {runPreflight} from '../preflight/run.js'
import {renderPreflight, type Preflight} from '../preflight/story.js'
import {terminalWidth} from '../report/formats/layout.js'

export default class PreflightCommand extends KdumpcheckCommand {
  static override summary = 'GO, NO-GO or CANNOT TELL before crashing a host on purpose, and what will happen step by step.'

  static override description = `Judges the host like \`check\`, then tells the story of a crash triggered now: the capture kernel Xen (or the kernel) will start, the command line it boots with, what the collector writes where and how much room there is, and what the host does afterwards. For NO-GO it names where the chain breaks and what the host will do instead (for example: Xen halts because of 'noreboot'). It also lists the ways to trigger a crash on this host.

Exit codes: 0 GO, 1 NO-GO, 3 CANNOT TELL, 2 error.`

  static override examples = [
    {description: 'This machine, as root:', command: 'sudo <%= config.bin %> <%= command.id %>'},
    {description: 'A remote dom0:', command: '<%= config.bin %> <%= command.id %> --ssh root@dom0-17'},
    {description: 'From saved evidence:', command: '<%= config.bin %> <%= command.id %> --snapshot fixtures/hosts/good-pvops-debian12'},
  ]

  static override flags = {
    ...sourceFlags,
    format: Flags.string({char: 'f', summary: 'Output format.', options: ['text', 'json'], default: 'text'}),
    config: Flags.string({char: 'c', summary: 'Configuration file. Neither policy nor waivers change a GO: they shape check\'s exit code, not whether a crash leaves a dump.', helpValue: 'FILE'}),
  }

  async run(): Promise<Preflight> {
    const {flags} = await this.parse(PreflightCommand)
    const result = await runPreflight(flags, await findConfig(flags.config))
    process.exitCode = result.exit_code
    if (!this.jsonEnabled()) await this.emit(flags.format === 'json' ? JSON.stringify(result, null, 2) : renderPreflight(result, {width: terminalWidth(flags.output ? undefined : process.stdout)}), flags.output)
    return result
  }
}
