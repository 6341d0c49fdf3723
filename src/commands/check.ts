import {Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {InputError} from '../errors.js'
import {judgeSnapshot} from '../pipeline.js'
import {FORMATS, renderReport} from '../report/formats/index.js'
import {wantsColor} from '../report/formats/text.js'
import type {Report} from '../report/report.js'
import {readSnapshot} from '../sources/snapshot-reader.js'

export default class Check extends KdumpcheckCommand {
  static override summary = 'Tell whether a crash on this host will leave a vmcore, and if not, why.'

  static override description = `Judges one host's evidence through the whole dump chain: the crash region (on Xen, reserved by the hypervisor), the capture kernel, the kdump service, the dump target and what happens after the crash.

Exit codes: 0 READY, 1 NOT READY, 3 UNVERIFIED (nothing failed but the evidence cannot prove a dump), 2 usage error or unreadable input.`

  static override examples = [
    {description: 'Judge a saved snapshot (a directory or a .tar.gz):', command: '<%= config.bin %> <%= command.id %> --snapshot fixtures/hosts/incident-el5xen'},
    {description: 'The same as a versioned JSON report:', command: '<%= config.bin %> <%= command.id %> --snapshot host.tar.gz --format json'},
  ]

  static override flags = {
    snapshot: Flags.string({char: 's', summary: 'Judge a saved snapshot: a directory or a .tar.gz file.', helpValue: 'PATH'}),
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...FORMATS], default: 'text'}),
    verbose: Flags.boolean({char: 'v', summary: 'Also list the checks that passed.'}),
  }

  async run(): Promise<Report> {
    const {flags} = await this.parse(Check)
    if (!flags.snapshot) throw new InputError('no evidence to judge: give --snapshot PATH (a snapshot directory or .tar.gz)')
    const report = judgeSnapshot(await readSnapshot(flags.snapshot))
    process.exitCode = report.exit_code
    if (!this.jsonEnabled()) {
      const format = flags.format as (typeof FORMATS)[number]
      await this.emit(await renderReport(report, format, {color: wantsColor(process.stdout, Boolean(flags.output)), verbose: flags.verbose}), flags.output)
    }
    return report
  }
}
