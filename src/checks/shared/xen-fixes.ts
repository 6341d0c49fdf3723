/**
 * Fix text shared by the checks that tell a person to put crashkernel= on the Xen line: the exact
 * commands differ by boot loader, and the accepted syntax differs by Xen version.
 */
import type {XenMajorMinor} from '../../parsers/xen-version.js'
import {xenAtLeast} from '../../parsers/xen-version.js'
import type {BootLoaderKind, HostContext} from './host-wording.js'

/** A crashkernel= value the given Xen accepts: `,below=` from 4.10, `<` from 4.8, a fixed address before. */
export function recommendedXenCrashkernel(version: XenMajorMinor | undefined, sizeMiB = 256): string {
  if (!version || xenAtLeast(version, 4, 10)) return `crashkernel=${sizeMiB}M,below=4G`
  if (xenAtLeast(version, 4, 8)) return `crashkernel=${sizeMiB}M<4G`
  return `crashkernel=${sizeMiB}M@64M`
}

export type {BootLoaderKind}

/**
 * Exact steps, for the host's own boot loader when it is known (a loader, or the host's wording context), else
 * for all of them; with the host's own toolstack command to confirm the region when that is known.
 */
export function xenCrashkernelFix(version: XenMajorMinor | undefined, on?: BootLoaderKind | HostContext): string {
  const loader = typeof on === 'object' ? on.loader : on
  const toolstack = typeof on === 'object' ? on.toolstack : undefined
  const value = recommendedXenCrashkernel(version)
  // grub2's script lexer takes a bare `<` as a redirection; /etc/default/grub needs it escaped twice.
  const grub2Value = value.replace('<', '\\\\<')
  const steps: Record<'grub2' | 'grub-legacy' | 'xenserver', [string, string]> = {
    grub2: [
      'grub2 (Debian, Ubuntu, CentOS 7 Xen)',
      `add it to GRUB_CMDLINE_XEN_DEFAULT in /etc/default/grub
  (or /etc/default/grub.d/xen.cfg), e.g. GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=4096M,max:4096M ${grub2Value}",
  then run \`update-grub\` (Debian/Ubuntu) or \`grub2-mkconfig -o /boot/grub2/grub.cfg\`.`,
    ],
    'grub-legacy': [
      'grub legacy (RHEL/CentOS 5, Oracle VM 3)',
      `append it to the \`kernel /xen.gz-...\` line of the default
  entry in /boot/grub/grub.conf (not to the \`module /vmlinuz-...\` line).`,
    ],
    xenserver: [
      'XenServer 7+/XCP-ng',
      `\`/opt/xensource/libexec/xen-cmdline --set-xen ${value}\`;
  XenServer 5/6: add it after \`append /boot/xen.gz\` (before the first \`---\`) in /boot/extlinux.conf.`,
    ],
  }
  const only = loader === 'grub2' || loader === 'grub2-defaults' ? 'grub2' : loader === 'grub-legacy' ? 'grub-legacy' : loader === 'extlinux' || loader === 'xenserver' ? 'xenserver' : undefined
  const dmesg = toolstack ? `\`${toolstack} dmesg | grep Kdump\`` : '`xl dmesg | grep Kdump` (`xm dmesg` on old toolstacks)'
  const step = (kind: keyof typeof steps): string => `- ${steps[kind][0]}: ${steps[kind][1]}`
  return [
    `Put \`${value}\` on the Xen hypervisor's command line (not dom0's), then reboot:`,
    // This host's boot loader alone reads as one step, without the list of distributions that use it.
    ...(only ? [only === 'xenserver' ? `${steps.xenserver[0]}: ${steps.xenserver[1]}` : steps[only][1].charAt(0).toUpperCase() + steps[only][1].slice(1)] : [step('grub2'), step('grub-legacy'), step('xenserver')]),
    `After the reboot, ${dmesg} must show \`Kdump: 256MB (262144kB) at 0x...\`.`,
  ].join('\n')
}

export const XEN_CMDLINE_DOC = 'https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#crashkernel'
export const XEN_KDUMP_WIKI = 'https://wiki.xenproject.org/wiki/Kexec_and_Kdump'
