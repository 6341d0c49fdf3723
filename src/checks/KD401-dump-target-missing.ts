import type {DumpTarget} from '../facts/dump-plan.js'
import {sameDeviceName} from '../facts/dump-landing.js'
import {defineCheck, pass, type Outcome} from './types.js'
import type {Evidence} from '../snapshot/evidence.js'

/** `server` for NFS, `user@host` for SSH, from kdump.conf's parsed target or the service's own setting. */
function remoteOf(target: DumpTarget): {address: string; export?: string} {
  const t = target.target
  if (target.kind === 'nfs') {
    const spec = t?.spec ?? target.description.replace(/^nfs\s+/, '')
    const at = spec.indexOf(':/')
    return {address: t?.server ?? (at > 0 ? spec.slice(0, at) : spec), export: t?.exportPath ?? (at > 0 ? spec.slice(at + 1) : undefined)}
  }
  if (t?.host) return {address: t.user ? `${t.user}@${t.host}` : t.host}
  return {address: target.description.replace(/^ssh\s+/, '').replace(/:[^:]*$/, '')}
}

function remoteVerify(target: DumpTarget): string {
  const {address, export: exportPath} = remoteOf(target)
  if (target.kind === 'nfs') {
    return [
      `showmount -e ${address}   (the export must be listed for this host)`,
      `mount -t nfs ${address}:${exportPath ?? '/export'} /mnt && mkdir -p /mnt${target.path} && touch /mnt${target.path}/.kdump-write-test && umount /mnt`,
      'The capture kernel must reach the server with its own network setup: RHEL `kdumpctl restart` rebuilds the initrd with it; Debian `kdump-config show`.',
    ].join('\n')
  }
  return [
    `ssh -i /root/.ssh/kdump_id_rsa ${address} true   (must log in without a password; kdump.conf \`sshkey\` or Debian SSH_KEY may name another key)`,
    `ssh -i /root/.ssh/kdump_id_rsa ${address} "mkdir -p ${target.path} && df -Pk ${target.path}"`,
    'Install the key with `kdumpctl propagate` (RHEL) or `kdump-config propagate` (Debian/Ubuntu).',
  ].join('\n')
}

export default defineCheck(
  {
    id: 'KD401',
    title: 'The dump target is missing or not allowed',
    severity: 'error',
    scope: 'static',
    stage: 'target',
    why: `The capture kernel's initramfs must find the dump target with nothing but what it was built with: a dump disk named in kdump.conf (\`ext4 UUID=...\`, \`xfs LABEL=...\`, \`ext4 /dev/sdb1\`) must be a filesystem this host mounts now or lists in /etc/fstab (kdumpctl looks it up there, and mounts it in the capture environment); a local path must sit on a filesystem the host can resolve; a raw device must exist. When the target cannot be found, kdumpctl refuses to build the capture initrd or the capture kernel fails to mount it and runs its failure action: no vmcore. NFS and SSH targets cannot be checked from a snapshot at all: the server, the export, the key and the network path from the capture kernel all have to work at crash time, so they are reported as unverified (a warning) with the commands that settle them.`,
    fix: `Point the dump at a target that exists:\n- RHEL/CentOS (/etc/kdump.conf): for a dump disk, use a UUID that \`blkid\` shows and add the filesystem to /etc/fstab (e.g. \`UUID=<uuid> /var/crash xfs defaults 0 0\`), or drop the target line to dump to \`path\` on the root filesystem; then \`kdumpctl restart\` (RHEL 5/6: \`service kdump restart\`).\n- Debian/Ubuntu (/etc/default/kdump-tools): KDUMP_COREDIR must be on a filesystem in /etc/fstab; NFS="server:/export" or SSH="user@host" with \`kdump-config propagate\`; then \`systemctl restart kdump-tools\`.\n- SUSE (/etc/sysconfig/kdump): KDUMP_SAVEDIR="file:///var/crash" (or nfs://, ssh:// URLs), then \`systemctl restart kdump\`.`,
    references: ['https://github.com/rhkdump/kdump-utils/blob/main/kdump.conf.5', 'https://manpages.debian.org/bookworm/kdump-tools/kdump-config.8.en.html', 'https://docs.kernel.org/admin-guide/kdump/kdump.html'],
  },
  (facts): Outcome => {
    const plan = facts.dumpPlan
    if (!plan.known) {
      return {
        status: 'unknown',
        message: `The dump target is unknown: ${plan.reason}.`,
        evidence: plan.evidence,
        verify: 'RHEL: grep -v "^#" /etc/kdump.conf; Debian/Ubuntu: kdump-config show; SUSE: grep KDUMP_SAVEDIR /etc/sysconfig/kdump',
      }
    }
    const p = plan.value
    const target = p.target
    const landing = p.landing
    const fail = (message: string, evidence: Evidence[], severity?: 'error' | 'warning'): Outcome => ({
      status: 'problem',
      message,
      evidence,
      ...(severity ? {severity} : {}),
    })

    switch (landing.kind) {
      case 'filesystem': {
        const later =
          landing.source !== 'fstab' ? '' : facts.kind === 'runtime' ? ' It is not mounted now; /etc/fstab lists it, so the capture environment can mount it.' : ''
        return pass(`The dump target exists: ${landing.description}.${later}`, landing.evidence)
      }
      case 'remote':
      case 'virtiofs': {
        return {
          status: 'unknown',
          severity: 'warning',
          message: `The dump goes to ${landing.description}: whether ${landing.kind === 'virtiofs' ? 'the share' : target.kind === 'nfs' ? 'the server exports it to this host' : 'this host can log in there'} and the capture kernel can reach it cannot be seen in a snapshot.`,
          evidence: landing.evidence,
          verify: landing.kind === 'virtiofs' ? 'Check the virtiofs tag in the VM definition and `mount -t virtiofs <tag> /mnt` from this host.' : remoteVerify(target),
        }
      }
      case 'raw': {
        const device = target.target?.spec ?? ''
        const storage = facts.storage.known ? facts.storage.value : undefined
        const mounted = [...(storage?.mounts ?? []), ...(storage?.fstab ?? [])].find((e) => e.fstype !== 'swap' && sameDeviceName(e.spec, device))
        if (mounted) {
          return fail(
            `The raw dump device ${device} holds a filesystem this host mounts (${mounted.spec} at ${mounted.mountpoint}, ${mounted.fstype}): the capture kernel would write the vmcore over it, destroying that filesystem.`,
            landing.evidence,
            'warning',
          )
        }
        return {
          status: 'unknown',
          severity: 'warning',
          message: `The dump goes to raw device ${device}; a snapshot holds no device list, so its presence (and that nothing else uses it) cannot be checked.`,
          evidence: landing.evidence,
          verify: `lsblk ${device}; blkid ${device}   (it must exist, be at least as large as the dump (KD402), and hold no filesystem in use)`,
        }
      }
      case 'unresolved': {
        if (landing.missing) {
          return fail(
            `The dump target cannot be found: ${landing.reason}. ${target.kind === 'fs' ? 'kdumpctl refuses to build the capture initrd for a dump disk it cannot find, and the capture kernel could not mount it: no vmcore.' : 'The capture environment has nowhere known to write the vmcore.'}`,
            landing.evidence,
          )
        }
        return {
          status: 'unknown',
          message: `Whether the dump target exists cannot be told: ${landing.reason}.`,
          evidence: landing.evidence,
          ...(landing.verify ? {verify: landing.verify} : {}),
        }
      }
    }
  },
)
