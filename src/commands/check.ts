import {Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {findConfig} from '../config/config.js'
import {InputError} from '../errors.js'
import {judgeSnapshot} from '../pipeline.js'
import {FORMATS, renderReport} from '../report/formats/index.js'
import {wantsColor} from '../report/formats/text.js'
import type {Report} from '../report/report.js'
import {readSnapshot} from '../sources/snapshot-reader.js'

export default class Check extends KdumpcheckCommand {
  static override summary = 'Tell whether a crash on this host will leave a vmcore, and if not, why.'

  static override description = `Judges one host's evidence through the whole dump chain: the crash region (on Xen, reserved by the hypervisor), the capture kernel, the kdump service, the dump target and what happens after the crash.

Exit codes: 0 READY, 1 NOT READY, 3 UNVERIFIED (nothing failed but the evidence cannot prove a dump), 2 usage error or unreadable input. Waivers and --fail-on change the exit code, never the verdict.`

  static override examples = [
    {description: 'Judge a saved snapshot (a directory or a .tar.gz):', command: '<%= config.bin %> <%= command.id %> --snapshot fixtures/hosts/incident-el5xen'},
    {description: 'The same as a versioned JSON report:', command: '<%= config.bin %> <%= command.id %> --snapshot host.tar.gz --format json'},
    {description: 'JUnit for a CI job, failing on warnings too:', command: '<%= config.bin %> <%= command.id %> --snapshot host.tar.gz --format junit --fail-on warning -o kdump.xml'},
  ]

  static override flags = {
    snapshot: Flags.string({char: 's', summary: 'Judge a saved snapshot: a directory or a .tar.gz file.', helpValue: 'PATH'}),
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...FORMATS], default: 'text'}),
    verbose: Flags.boolean({char: 'v', summary: 'Also list the checks that passed.'}),
    config: Flags.string({char: 'c', summary: 'Configuration file (waivers, severity overrides, fail-on, policy). Default: ./.kdumpcheck.yaml, then $XDG_CONFIG_HOME/kdumpcheck/config.yaml.', helpValue: 'FILE'}),
    'fail-on': Flags.string({summary: 'Which findings make the exit code non-zero (overrides the configuration).', options: ['error', 'warning']}),
  }

  async run(): Promise<Report> {
    const {flags} = await this.parse(Check)
    if (!flags.snapshot) throw new InputError('no evidence to judge: give --snapshot PATH (a snapshot directory or .tar.gz)')
    const config = await findConfig(flags.config)
    if (flags['fail-on']) config.failOn = flags['fail-on'] as 'error' | 'warning'
    const report = judgeSnapshot(await readSnapshot(flags.snapshot), config)
    process.exitCode = report.exit_code
    if (!this.jsonEnabled()) {
      const format = flags.format as (typeof FORMATS)[number]
      const options = {color: wantsColor(process.stdout, Boolean(flags.output)), verbose: flags.verbose, failOnWarning: config.failOn === 'warning'}
      await this.emit(await renderReport(report, format, options), flags.output)
    }
    return report
  }
}
