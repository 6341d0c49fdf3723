import {Flags} from '@oclif/core'
import {writeFile, rename, rm} from 'node:fs/promises'
import path from 'node:path'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {sourceFlags} from '../cli/source-flags.js'
import {InputError} from '../errors.js'
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
  static override summary = 'Save a host’s kdump evidence as a snapshot, for offline analysis or a ticket.'

  static override description = `Writes a kdumpcheck-snapshot/1: a .tar.gz (when --output ends in .tar.gz or .tgz, byte-exact as the collector produced it) or a directory. Judge it later with \`kdumpcheck check --snapshot\`, or a fleet of them with \`kdumpcheck scan --snapshots\`.`

  static override examples = [
    {description: 'This machine, as root:', command: 'sudo <%= config.bin %> <%= command.id %> -o $(hostname).tar.gz'},
    {description: 'A remote dom0:', command: '<%= config.bin %> <%= command.id %> --ssh root@dom0-17 -o dom0-17.tar.gz'},
    {description: 'A host image, as a directory:', command: '<%= config.bin %> <%= command.id %> --root ./rootfs -o image-snapshot/'},
  ]

  static override flags = {
    ...sourceFlags,
    output: Flags.string({char: 'o', summary: 'Where to write the snapshot: FILE.tar.gz or a directory.', helpValue: 'PATH', required: true}),
  }

  async run(): Promise<CollectResult> {
    const {flags} = await this.parse(Collect)
    const {snapshot, archive, warnings} = await acquire(flags)
    for (const warning of warnings) process.stderr.write(`kdumpcheck: warning: ${warning}\n`)
    const output = flags.output
    if (/\.(tar\.gz|tgz)$/.test(output)) {
      if (archive) {
        const temp = path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.tmp`)
        await writeFile(temp, archive).catch((e: Error) => {
          throw new InputError(`${output}: cannot write (${e.message})`)
        })
        await rename(temp, output).catch(async (e: Error) => {
          await rm(temp, {force: true})
          throw new InputError(`${output}: cannot write (${e.message})`)
        })
      } else {
        await writeSnapshotArchive(snapshot, output)
      }
    } else {
      await writeSnapshotDirectory(snapshot, output)
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
      process.stderr.write(`kdumpcheck: wrote ${output} (${result.kind} snapshot of ${result.hostname || 'an unnamed host'}: ${result.files} files, ${result.probes} probes${result.timed_out_probes.length ? `; timed out: ${result.timed_out_probes.join(', ')}` : ''})\n`)
    }
    return result
  }
}
