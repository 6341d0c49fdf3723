import {Args, Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {printLine} from '../cli/one-line.js'
import {InputError} from '../errors.js'
import {explainInputs, nothingReadable} from '../explain/explain.js'
import {EXPLAIN_FORMATS, renderExplain, type ExplainFormat} from '../explain/render/index.js'
import {terminalWidth} from '../report/formats/layout.js'
import type {ExplainResult} from '../explain/result.js'

export default class Explain extends KdumpcheckCommand {
  static override summary = 'Tell from incident logs why a crash left, or did not leave, a vmcore.'

  static override description = `Reads any mix of logs from around a crash: serial/BMC console captures, syslog or journalctl text, dmesg, xl dmesg, vmcore-dmesg, kdump capture logs (RHEL, Debian kdump-tools, makedumpfile), and text captures of ps, /proc/PID/stack and the commands an operator typed. Formats are recognised line by line; gzip is read transparently; files of any size are streamed.

It builds one timeline, finds the last crash, walks the dump chain (panic, hand-off, crash region, capture image, capture kernel, collector, vmcore), names the first broken link and what contributed, and links each cause to the kdumpcheck checks that would have caught it beforehand.

Exit codes: 0 a vmcore was written; 1 no vmcore (nothing loaded, the capture kernel or collector failed, an empty dump, or no panic at all); 3 cannot tell from these logs; 2 usage error or no readable input. A missing or unreadable file among several is reported and skipped.`

  static override examples = [
    {description: 'Explain an incident from everything collected about it:', command: '<%= config.bin %> <%= command.id %> incident/*'},
    {description: 'A serial console capture and the syslog, as a postmortem section:', command: '<%= config.bin %> <%= command.id %> console.log /var/log/messages.1.gz --format markdown --output postmortem.md'},
    {description: "With the host's saved configuration, to see which causes it confirms:", command: '<%= config.bin %> <%= command.id %> incident/* --snapshot host.tar.gz'},
    {description: 'From a pipe, as JSON:', command: 'journalctl -k -b -1 | <%= config.bin %> <%= command.id %> - --format json'},
  ]

  static override strict = false

  static override args = {
    file: Args.string({description: 'Log files to read (`-` reads standard input; .gz is inflated).', required: true}),
  }

  static override flags = {
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...EXPLAIN_FORMATS], default: 'text'}),
    snapshot: Flags.string({char: 's', summary: "Also judge the host's saved configuration (a snapshot) and show which causes it confirms.", helpValue: 'PATH'}),
  }

  async run(): Promise<ExplainResult> {
    const {argv, flags} = await this.parse(Explain)
    const files = argv.map(String)
    if (files.filter((f) => f === '-').length > 1) throw new InputError('standard input (-) can be read only once')
    if (files.includes('-') && process.stdin.isTTY) throw new InputError('- reads standard input, but that is a terminal: pipe a log into it, or name the files')
    let result = await explainInputs(files)
    if (nothingReadable(result)) {
      // Exit 2 is one line: it names every input and why, so no warning line comes before it.
      const why = result.inputs.map((i) => `${i.file}: ${i.error ?? (i.unreadable_lines > 0 ? `${i.unreadable_lines} unreadable lines` : 'empty')}`)
      throw new InputError(`no readable input (${why.join('; ')})`)
    }
    for (const input of result.inputs) if (input.error) printLine('warning', `${input.file}: ${input.error}`)
    if (flags.snapshot) {
      const [{readSnapshot}, {judgeSnapshot}, {joinConfiguration}] = await Promise.all([
        import('../sources/snapshot-reader.js'),
        import('../pipeline.js'),
        import('../explain/configuration.js'),
      ])
      result = joinConfiguration(result, judgeSnapshot(await readSnapshot(flags.snapshot)))
    }
    process.exitCode = result.exit_code
    if (!this.jsonEnabled()) await this.emit(renderExplain(result, flags.format as ExplainFormat, {width: terminalWidth(flags.output ? undefined : process.stdout, process.env, 100)}), flags.output)
    return result
  }
}
