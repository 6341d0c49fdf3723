import {Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {oneLine, printLine} from '../cli/one-line.js'
import {sshReachFlags} from '../cli/source-flags.js'
import {findConfig} from '../config/config.js'
import {InputError} from '../errors.js'
import {inventoryFromList, loadInventory} from '../scan/inventory.js'
import {applyLimit} from '../scan/limit.js'
import {listSnapshotDirectory} from '../scan/offline.js'
import {NO_PROGRESS, terminalProgress} from '../scan/progress.js'
import {renderScan, SCAN_FORMATS, type ScanFormat, type ScanOutput} from '../scan/render.js'
import {runScan, type ScanWork} from '../scan/scan.js'
import {hostDeadline} from '../sources/ssh.js'

export default class Scan extends KdumpcheckCommand {
  static override summary = 'Check a fleet over OpenSSH (or a directory of snapshots) and summarise it.'

  static override description = `Sends the read-only collector to every host of an inventory over OpenSSH (one ssh process per host, nothing installed there, at most --concurrency at once, each bounded by --host-timeout), judges each host like \`check\`, and prints a fleet summary: hosts by verdict, the most common failing checks, the breakdown by Xen version and distribution, and the worst hosts. A host that cannot be reached (refused, login denied, timeout, garbage output) never stops the scan: it is recorded as unreachable, with the reason, and counts as UNVERIFIED.

Inventories: kdumpcheck YAML (hosts: with name, address, port, user, groups, vars), Ansible INI or YAML (groups, children, ansible_host/ansible_port/ansible_user, ansible_become for sudo), or --hosts a,b,c. --limit selects hosts or groups (globs, !exclude, &intersect), as Ansible does.

--results FILE.jsonl appends each host's result as one JSON line the moment it is known; after an interrupt (Ctrl-C: hosts in flight are killed, finished ones kept) or a crash, the same command with --resume scans only the hosts the file lacks. --snapshots DIR judges saved evidence instead (from --keep-snapshots, \`collect\`, or the Ansible playbook in contrib/ansible).

Exit code: the worst host wins: 1 if a host is NOT READY, else 3 if one is UNVERIFIED (unreachable and unscanned hosts included), else 0; 2 for a usage or inventory error.`

  static override examples = [
    {description: 'An Ansible inventory, 64 hosts at a time, results kept as they come:', command: '<%= config.bin %> <%= command.id %> -i hosts.ini --concurrency 64 --results fleet.jsonl'},
    {description: 'Continue after Ctrl-C or a crash (hosts already in the file are not scanned again):', command: '<%= config.bin %> <%= command.id %> -i hosts.ini --results fleet.jsonl --resume'},
    {description: 'One group, minus a host, as root through sudo:', command: "<%= config.bin %> <%= command.id %> -i hosts.yaml --limit 'fra1,!dom0-13.fra1' --sudo"},
    {description: 'A few hosts named on the command line:', command: '<%= config.bin %> <%= command.id %> --hosts root@dom0-01,root@dom0-02:2222'},
    {description: 'Prometheus textfile for node_exporter (one series per host):', command: '<%= config.bin %> <%= command.id %> -i hosts.ini --format prometheus -o /var/lib/node_exporter/kdump.prom'},
    {description: 'Snapshots fetched by Ansible (contrib/ansible), as JUnit with a suite per host:', command: '<%= config.bin %> <%= command.id %> --snapshots ./snapshots --format junit -o kdump.xml'},
    {description: 'One self-contained HTML page for people (no network needed to view it; `kdumpcheck report` renders it again from --results):', command: '<%= config.bin %> <%= command.id %> -i hosts.ini --results fleet.jsonl --format html -o fleet.html'},
  ]

  static override flags = {
    inventory: Flags.string({char: 'i', summary: 'Inventory file: kdumpcheck YAML, or Ansible INI/YAML.', helpValue: 'FILE', exclusive: ['hosts', 'snapshots']}),
    hosts: Flags.string({summary: 'Hosts to scan, comma-separated [user@]host[:port] (instead of an inventory).', helpValue: 'LIST', exclusive: ['inventory', 'snapshots']}),
    snapshots: Flags.string({summary: 'Judge a directory of saved snapshots (NAME.tar.gz, snapshot directories, NAME.unreachable) instead of connecting.', helpValue: 'DIR', exclusive: ['inventory', 'hosts']}),
    limit: Flags.string({char: 'l', summary: 'Only hosts or groups matching PATTERN (comma-separated globs; !exclude, &intersect, ~regex).', helpValue: 'PATTERN'}),
    concurrency: Flags.integer({summary: 'Hosts in flight at once.', default: 32, min: 1, max: 1024}),
    'host-timeout': Flags.integer({summary: 'Seconds one host may take in all (connection, login, collection, transfer) before its ssh is killed and it is recorded unreachable. Default: --connect-timeout + --timeout + 15.', min: 1, max: 7200}),
    results: Flags.string({char: 'r', summary: 'Append each host’s result to FILE as one JSON line, as soon as it is known.', helpValue: 'FILE.jsonl'}),
    resume: Flags.boolean({summary: 'Continue the scan recorded in --results: hosts already there are not scanned again.', dependsOn: ['results']}),
    'retry-unreachable': Flags.boolean({summary: 'With --resume, scan again the hosts recorded as unreachable.', dependsOn: ['resume']}),
    'keep-snapshots': Flags.string({summary: 'Save each host’s raw snapshot as DIR/NAME.tar.gz (and DIR/NAME.unreachable for hosts that gave none), for `scan --snapshots DIR` later.', helpValue: 'DIR'}),
    ...sshReachFlags,
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...SCAN_FORMATS], default: 'text'}),
    top: Flags.integer({summary: 'How many of the worst hosts the summary lists.', default: 10, min: 0, max: 100000}),
    progress: Flags.boolean({summary: 'Show a progress bar on stderr (default: only when stderr is a terminal).', allowNo: true}),
    config: Flags.string({char: 'c', summary: 'Configuration file (waivers, severity overrides, fail-on, policy), applied to every host.', helpValue: 'FILE'}),
    'fail-on': Flags.string({summary: 'Which findings make a host’s exit code non-zero (overrides the configuration).', options: ['error', 'warning']}),
  }

  async run(): Promise<ScanOutput> {
    const {flags} = await this.parse(Scan)
    const config = await findConfig(flags.config)
    if (flags['fail-on']) config.failOn = flags['fail-on'] as 'error' | 'warning'
    let work: ScanWork
    let ignoredNote: string | undefined
    if (flags.snapshots) {
      const listing = await listSnapshotDirectory(flags.snapshots)
      if (listing.ignored.length > 0) {
        // Said once the scan has run: an exit 2 before then stays one line.
        ignoredNote = `${flags.snapshots}: ignored ${listing.ignored.length} file(s) that name no snapshot (${listing.ignored.slice(0, 5).join(', ')}${listing.ignored.length > 5 ? ', ...' : ''})`
      }
      const entries = applyLimit(
        listing.entries.map((e) => ({...e, address: e.name, groups: ['all']})),
        flags.limit,
      )
      work = {mode: 'offline', source: flags.snapshots, entries, config}
    } else {
      if (!flags.inventory && !flags.hosts) throw new InputError('scan needs hosts: --inventory FILE, --hosts a,b,c, or --snapshots DIR')
      const inventory = flags.inventory ? await loadInventory(flags.inventory) : inventoryFromList(flags.hosts!)
      const hosts = applyLimit(inventory.hosts, flags.limit)
      const hostTimeout = flags['host-timeout'] ?? hostDeadline({connectTimeout: flags['connect-timeout'], deadline: flags.timeout})
      work = {
        mode: 'ssh',
        source: inventory.source,
        hosts,
        ssh: {
          config,
          hostTimeout,
          connectTimeout: flags['connect-timeout'],
          deadline: flags.timeout,
          probeTimeout: flags['probe-timeout'],
          sshOptions: flags['ssh-option'],
          sudo: flags.sudo,
          ...(flags['ssh-config'] ? {sshConfig: flags['ssh-config']} : {}),
        },
      }
    }
    const showProgress = flags.progress ?? (Boolean(process.stderr.isTTY) && !process.env.CI)
    const output = await runScan(work, {
      concurrency: flags.concurrency,
      ...(flags.results ? {resultsFile: flags.results} : {}),
      resume: flags.resume,
      retryUnreachable: flags['retry-unreachable'],
      ...(flags['keep-snapshots'] ? {keepDir: flags['keep-snapshots']} : {}),
      progress: showProgress ? await terminalProgress() : NO_PROGRESS,
      top: flags.top,
      keepReports: this.jsonEnabled() || flags.format !== 'text',
      notify: (message) => process.stderr.write(`kdumpcheck: ${oneLine(message)}\n`),
      handleSignals: true,
      ...(flags.limit !== undefined ? {limit: flags.limit} : {}),
    })
    if (ignoredNote) printLine('note', ignoredNote)
    process.exitCode = output.summary.exit_code
    if (!this.jsonEnabled()) {
      const text = await renderScan(output, flags.format as ScanFormat, {now: new Date(), failOnWarning: config.failOn === 'warning'})
      await this.emit(text, flags.output)
    }
    return output
  }
}
