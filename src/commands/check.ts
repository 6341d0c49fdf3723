import {Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {printLine} from '../cli/one-line.js'
import {sourceFlags} from '../cli/source-flags.js'
import {findConfig} from '../config/config.js'
import {judgeSnapshot} from '../pipeline.js'
import {FORMATS, renderReport} from '../report/formats/index.js'
import {terminalWidth, wantsColor} from '../report/formats/layout.js'
import type {Report} from '../report/report.js'
import {acquire} from '../sources/acquire.js'

export default class Check extends KdumpcheckCommand {
  static override summary = 'Tell whether a crash on this host will leave a vmcore, and if not, why.'

  static override description = `Judges one host's evidence through the whole dump chain: the crash region (on Xen, reserved by the hypervisor), the capture kernel, the kdump service, the dump target and what happens after the crash.

With no source flag it checks this machine (run it as root), through the same read-only collector that --ssh sends to a remote host. --snapshot judges saved evidence, --root a host image.

Exit codes: 0 READY, 1 NOT READY, 3 UNVERIFIED (nothing failed but the evidence cannot prove a dump), 2 usage error or unreadable input. Waivers and --fail-on change the exit code, never the verdict.`

  static override examples = [
    {description: 'This machine (as root):', command: 'sudo <%= config.bin %> <%= command.id %>'},
    {description: 'A remote dom0 over ssh, nothing installed there:', command: '<%= config.bin %> <%= command.id %> --ssh root@dom0-17.example.net'},
    {description: 'A non-root login with sudo, through a bastion:', command: '<%= config.bin %> <%= command.id %> --ssh ops@dom0-17 --sudo --ssh-option ProxyJump=bastion'},
    {description: 'A host image in CI (static checks; runtime ones are n/a):', command: '<%= config.bin %> <%= command.id %> --root ./rootfs --format junit -o kdump.xml'},
    {description: 'A saved snapshot (a directory or a .tar.gz):', command: '<%= config.bin %> <%= command.id %> --snapshot fixtures/hosts/incident-el5xen'},
    {description: 'A versioned JSON report:', command: '<%= config.bin %> <%= command.id %> --snapshot host.tar.gz --format json'},
  ]

  static override flags = {
    ...sourceFlags,
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...FORMATS], default: 'text'}),
    verbose: Flags.boolean({char: 'v', summary: 'The full report: every check, with its evidence (file:line) and fix.'}),
    details: Flags.string({summary: 'Show one finding in full: its evidence, fix and why it matters.', helpValue: 'ID'}),
    config: Flags.string({char: 'c', summary: 'Configuration file (waivers, severity overrides, fail-on, policy). Default: ./.kdumpcheck.yaml, then $XDG_CONFIG_HOME/kdumpcheck/config.yaml.', helpValue: 'FILE'}),
    'fail-on': Flags.string({summary: 'Which findings make the exit code non-zero (overrides the configuration).', options: ['error', 'warning']}),
  }

  async run(): Promise<Report> {
    const {flags} = await this.parse(Check)
    const config = await findConfig(flags.config)
    if (flags['fail-on']) config.failOn = flags['fail-on'] as 'error' | 'warning'
    const {snapshot, warnings} = await acquire(flags)
    for (const warning of warnings) printLine('warning', warning)
    const report = judgeSnapshot(snapshot, config)
    process.exitCode = report.exit_code
    if (!this.jsonEnabled()) {
      const options = {
        color: wantsColor(process.stdout, Boolean(flags.output)),
        width: terminalWidth(flags.output ? undefined : process.stdout),
        verbose: flags.verbose,
        ...(flags.details !== undefined ? {details: flags.details} : {}),
        failOnWarning: config.failOn === 'warning',
      }
      await this.emit(await renderReport(report, flags.format as (typeof FORMATS)[number], options), flags.output)
    }
    return report
  }
}
