import {Args, Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {renderScan, SCAN_FORMATS, type ScanFormat, type ScanOutput} from '../scan/render.js'
import {loadResultsForReport, scanOutputFromResults} from '../scan/results-load.js'
import {escapeControls} from '../util/terminal.js'

export default class Report extends KdumpcheckCommand {
  static override summary = 'Render a scan’s results file again (HTML page, text summary, JSON, CSV...) without rescanning.'

  static override description = `Reads the results file that \`scan --results FILE.jsonl\` wrote (complete, interrupted, or still being written) and renders it in any of scan's formats: --format html gives one self-contained page (verdict chart, checks ranked by hosts failing, a sortable and filterable host table, each host's findings with evidence and fix, the scan's metadata and the rule texts; no network needed to view it, from file:// or as a CI artifact).

Lines that cannot be used (not JSON, not a scan result, a field of the wrong type, a verdict that contradicts its own findings) are skipped and named, in the output and on stderr; the hosts they held are missing, so the exit code is then at least 3. A torn last line (the scan died mid-write) is skipped likewise; a host listed twice counts by its last line. A file with no usable line at all is an error (exit 2).

Exit code: as scan's: 1 if a host is NOT READY, else 3 if one is UNVERIFIED, unscanned, or lost to an unusable line (or there is no host at all), else 0; 2 for an unreadable or foreign file.`

  static override examples = [
    {description: 'The HTML page from a scan’s results:', command: '<%= config.bin %> <%= command.id %> fleet.jsonl --format html -o fleet.html'},
    {description: 'The text summary again, with the 50 worst hosts:', command: '<%= config.bin %> <%= command.id %> fleet.jsonl --top 50'},
    {description: 'A spreadsheet of every host:', command: '<%= config.bin %> <%= command.id %> fleet.jsonl --format csv -o fleet.csv'},
  ]

  static override args = {
    results: Args.string({description: 'A results file written by `kdumpcheck scan --results`.', required: true}),
  }

  static override flags = {
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...SCAN_FORMATS], default: 'text'}),
    top: Flags.integer({summary: 'How many of the worst hosts the summary lists.', default: 10, min: 0, max: 100000}),
  }

  async run(): Promise<ScanOutput> {
    const {args, flags} = await this.parse(Report)
    const loaded = await loadResultsForReport(args.results)
    const output = scanOutputFromResults(loaded, flags.top)
    const {input} = loaded
    // Names and reasons are shown escaped: a file name with a newline cannot add a line.
    const shown = escapeControls(args.results)
    const skipped = input.skipped.length + input.skipped_more
    if (skipped > 0) {
      const first = input.skipped[0]!
      process.stderr.write(`kdumpcheck: ${shown}: skipped ${skipped} unusable line${skipped === 1 ? '' : 's'} (line ${first.line}: ${escapeControls(first.why)}${skipped > 1 ? '; ...' : ''}); their hosts are missing, so the exit code is at least 3\n`)
    }
    if (input.torn_tail) process.stderr.write(`kdumpcheck: ${shown}: the last line is torn (the scan died mid-write); skipped\n`)
    if (output.hosts.length === 0) process.stderr.write(`kdumpcheck: ${shown}: no host results; nothing is proven (exit code 3)\n`)
    process.exitCode = output.summary.exit_code
    if (!this.jsonEnabled()) {
      const failOnWarning = output.hosts.some((h) => h.report?.policy.fail_on === 'warning')
      const text = await renderScan(output, flags.format as ScanFormat, {now: new Date(), failOnWarning})
      await this.emit(text, flags.output)
    }
    return output
  }
}
