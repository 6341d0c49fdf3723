import {fstatSync, statSync} from 'node:fs'
import {Flags} from '@oclif/core'
import {KdumpcheckCommand} from '../cli/base-command.js'
import {sourceFlags} from '../cli/source-flags.js'
import {planDiff} from '../fix/diff.js'
import {renderJson, renderText} from '../fix/render.js'
import {bootLinesOfRoot, runFix} from '../fix/run.js'
import {InputError} from '../errors.js'
import {findConfig} from '../config/config.js'
import {writeFileAtomic} from '../io/write-atomic.js'
import {planScript} from '../fix/script.js'

export default class Fix extends KdumpcheckCommand {
  /** -o is the repaired tarball, the diff or the script: the --json document stays on stdout. */
  static override outputIsReport = false
  static override summary = 'Turn findings into the exact edits of the host\'s own files, and prove them by judging again.'

  static override description = `Computes, for every finding it can repair, the minimal edit of the file the distribution reads (GRUB_CMDLINE_XEN_DEFAULT in /etc/default/grub or grub.d/xen.cfg, the default entry's Xen line in grub.conf/menu.lst/grub.cfg, extlinux.conf's append before the first ---, /etc/default/kdump-tools, /etc/kdump.conf, /etc/sysconfig/kdump, a sysctl.d drop-in, the service's .wants link), keeping comments, order and quoting. Every edit is judged again before it is offered; what only a person can decide (a dump disk, a Xen version nobody knows) is reported instead of guessed.

--root DIR applies the edits inside the image (each file replaced atomically, never through a symlink out of the image, never over a file that changed since it was read) and judges the image again; a tarball --root writes a repaired tarball with -o. --diff prints a unified diff (paths relative to the root: \`patch -p1 -d ROOT\`) instead. --snapshot and --ssh (and no source: this machine) never write anything: they print the diff, or a shell script (--script) that applies it on the host, and the commands that activate it (update-grub, grub2-mkconfig, systemctl restart, sysctl -p, reboot).

Exit codes: 0 nothing left to fix, 1 fixes made or proposed (or a live host still needs its activation), 3 something needs a person (the report says what), 2 error.`

  static override examples = [
    {description: 'Repair an image in CI, then check it:', command: '<%= config.bin %> <%= command.id %> --root ./rootfs && <%= config.bin %> check --root ./rootfs'},
    {description: 'Review first: the same edits as a diff:', command: '<%= config.bin %> <%= command.id %> --root ./rootfs --diff > fix.diff && patch -p1 -d ./rootfs < fix.diff'},
    {description: 'A docker export: write a repaired tarball:', command: '<%= config.bin %> <%= command.id %> --root image.tar -o image-fixed.tar'},
    {description: 'A live dom0: the diff and the commands to activate it (nothing is written there):', command: '<%= config.bin %> <%= command.id %> --ssh root@dom0-17 --diff'},
    {description: 'Only the noreboot and crashkernel fixes, from a saved snapshot:', command: '<%= config.bin %> <%= command.id %> --snapshot dom0-17.tar.gz --diff --only KD101,KD500'},
  ]

  static override flags = {
    ...sourceFlags,
    diff: Flags.boolean({char: 'd', summary: 'Print the edits as a unified diff (patch -p1 in the root) instead of applying them.', exclusive: ['script']}),
    script: Flags.boolean({summary: 'Print a POSIX sh script that applies the edits on the host itself (checks each file is unchanged first; --check, --activate).', exclusive: ['diff']}),
    config: Flags.string({char: 'c', summary: 'Configuration file: waived findings (and allow-noreboot) are left as they are. Default: as for check.', helpValue: 'FILE'}),
    only: Flags.string({summary: 'Fix only these checks (comma-separated ids, repeatable): KD101,KD500.', helpValue: 'IDS', multiple: true}),
    'boot-lines': Flags.boolean({
      summary: "Print, as JSON, the Xen and dom0 lines Debian's update-grub would generate from the image's /etc/default/grub (+ grub.d), and what Xen and dom0 receive.",
      hidden: true,
      exclusive: ['diff', 'script', 'snapshot', 'ssh'],
    }),
    efi: Flags.boolean({summary: 'With --boot-lines: an EFI boot (xen_rm_opts="no-real-mode edd=off").', hidden: true}),
  }

  async run(): Promise<unknown> {
    const {flags} = await this.parse(Fix)
    if (flags['boot-lines']) {
      if (!flags.root) throw new InputError('--boot-lines needs --root DIR|TAR')
      const lines = await bootLinesOfRoot(flags.root, {efi: flags.efi})
      await this.emit(JSON.stringify(lines, null, 2), flags.output)
      return lines
    }
    const archive = flags.root !== undefined && !flags.diff && !flags.script
    const config = await findConfig(flags.config)
    const outcome = await runFix({...flags, config, diff: flags.diff || flags.script, ...(flags.only ? {only: flags.only} : {}), ...(archive && flags.output ? {archiveOut: flags.output} : {})})
    process.exitCode = outcome.exitCode
    if (this.jsonEnabled()) return renderJson(outcome)
    const report = renderText(outcome)
    if (flags.diff || flags.script) {
      const body = flags.script ? planScript(outcome.plan, {host: outcome.origin, source: outcome.origin}) : planDiff(outcome.plan)
      if (flags.output) {
        // An empty diff stays an empty file (patch would call a lone newline garbage).
        await writeFileAtomic(flags.output, body)
        process.stdout.write(report)
      } else {
        if (body !== '') process.stdout.write(body)
        process.stderr.write(report)
      }
      return undefined
    }
    // -o /dev/stdout (| tar t): the tarball is standard output, so the report goes to standard error.
    ;(archive && flags.output && isStandardOutput(flags.output) ? process.stderr : process.stdout).write(report)
    return undefined
  }
}

/** Whether `file` is this process's standard output (/dev/stdout, /dev/fd/1, or the file it was redirected to). */
function isStandardOutput(file: string): boolean {
  try {
    const a = fstatSync(1)
    const b = statSync(file)
    return a.dev === b.dev && a.ino === b.ino
  } catch {
    return false
  }
}
