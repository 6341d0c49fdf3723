/** The flags that choose where evidence comes from, shared by check, preflight and collect. */
import {Flags} from '@oclif/core'

export const sourceFlags = {
  snapshot: Flags.string({char: 's', summary: 'Judge a saved snapshot: a directory or a .tar.gz file.', helpValue: 'PATH', exclusive: ['root', 'ssh']}),
  root: Flags.string({summary: 'Judge a host image: a root filesystem directory, or a rootfs tarball (docker export).', helpValue: 'DIR|TAR', exclusive: ['snapshot', 'ssh']}),
  ssh: Flags.string({summary: 'Collect from a remote host over OpenSSH (the collector runs in `sh -s`; nothing is installed).', helpValue: '[USER@]HOST[:PORT]', exclusive: ['snapshot', 'root']}),
  'ssh-option': Flags.string({summary: 'Pass an option to ssh as -o NAME=VALUE (repeatable).', helpValue: 'NAME=VALUE', multiple: true, default: []}),
  'ssh-config': Flags.string({summary: 'Use this ssh_config file instead of ~/.ssh/config (ssh -F).', helpValue: 'FILE'}),
  sudo: Flags.boolean({summary: 'Run the collector with `sudo -n` on the remote host (for a non-root login).'}),
  timeout: Flags.integer({summary: 'Seconds the whole collection may take on the host.', default: 60, min: 5, max: 3600}),
  'probe-timeout': Flags.integer({summary: 'Seconds one probe (xl, kexec, systemctl...) may take before it is recorded as timed out.', default: 10, min: 1, max: 600}),
  'connect-timeout': Flags.integer({summary: 'Seconds for the ssh connection and login.', default: 10, min: 1, max: 300}),
}

/** How a live host is reached over ssh: what every command that reaches a host takes besides its target. */
export const sshReachFlags = {
  'ssh-option': sourceFlags['ssh-option'],
  'ssh-config': sourceFlags['ssh-config'],
  sudo: sourceFlags.sudo,
  timeout: sourceFlags.timeout,
  'probe-timeout': sourceFlags['probe-timeout'],
  'connect-timeout': sourceFlags['connect-timeout'],
}

/** What the flags above parse to: the options acquire() takes (sources/ may not import cli/). */
export type {SourceFlagValues} from '../sources/acquire.js'
