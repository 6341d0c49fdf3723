import {Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {oneLine, printLine} from '../cli/one-line.js'
import {sourceFlags} from '../cli/source-flags.js'
import {assertDirectoryTarget, writeFileAtomic} from '../io/write-atomic.js'
import {writeSnapshotArchive, writeSnapshotDirectory} from '../snapshot/writer.js'
import {acquire} from '../sources/acquire.js'

export interface CollectResult {
  output: string
  hostname: string
  kind: 'runtime' | 'static'
  files: number
  probes: number
  timed_out_probes: string[]
  errors: string[]
}

export default class Collect extends KdumpcheckCommand {
  static override outputIsReport = false
  static override summary = 'Save a host’s kdump evidence as a snapshot, for offline analysis or a ticket.'

  static override description = `Writes a kdumpcheck-snapshot/1: a .tar.gz (when --output ends in .tar.gz or .tgz, byte-exact as the collector produced it) or a directory. Judge it later with \`kdumpcheck check --snapshot\`, or a fleet of them with \`kdumpcheck scan --snapshots\`.`

  static override examples = [
    {description: 'This machine, as root:', command: 'sudo <%= config.bin %> <%= command.id %> -o $(hostname).tar.gz'},
    {description: 'A remote dom0:', command: '<%= config.bin %> <%= command.id %> --ssh root@dom0-17 -o dom0-17.tar.gz'},
    {description: 'A host image, as a directory:', command: '<%= config.bin %> <%= command.id %> --root ./rootfs -o image-snapshot/'},
  ]

  static override flags = {
    ...sourceFlags,
    output: Flags.string({char: 'o', summary: 'Where to write the snapshot: FILE.tar.gz, or a new (or empty) directory.', helpValue: 'PATH', required: true}),
    force: Flags.boolean({summary: 'Replace a non-empty --output directory (the new snapshot is built beside it first).'}),
  }

  async run(): Promise<CollectResult> {
    const {flags} = await this.parse(Collect)
    const output = flags.output
    const archiveOutput = /\.(tar\.gz|tgz)$/.test(output)
    // Refuse a target that would be refused anyway before a collection that may take a minute.
    if (!archiveOutput) await assertDirectoryTarget(output, {force: flags.force})
    const {snapshot, archive, warnings} = await acquire(flags)
    for (const warning of warnings) printLine('warning', warning)
    if (archiveOutput) {
      if (archive) await writeFileAtomic(output, archive)
      else await writeSnapshotArchive(snapshot, output)
    } else {
      await writeSnapshotDirectory(snapshot, output, {force: flags.force})
    }
    const result: CollectResult = {
      output,
      hostname: snapshot.meta.hostname,
      kind: snapshot.kind,
      files: snapshot.filePaths.length,
      probes: snapshot.probeNames.length,
      timed_out_probes: snapshot.probeNames.filter((n) => snapshot.probe(n)?.exit.kind === 'timeout'),
      errors: snapshot.meta.errors,
    }
    if (!this.jsonEnabled()) {
      process.stderr.write(`kdumpcheck: ${oneLine(`wrote ${output} (${result.kind} snapshot of ${result.hostname || 'an unnamed host'}: ${result.files} files, ${result.probes} probes${result.timed_out_probes.length ? `; timed out: ${result.timed_out_probes.join(', ')}` : ''})`)}\n`)
    }
    return result
  }
}
