/**
 * Fix text shared by the checks that tell a person to put crashkernel= on the Xen line: the exact
 * commands differ by boot loader, and the accepted syntax differs by Xen version.
 */
import type {Facts} from '../../facts/facts.js'
import type {XenMajorMinor} from '../../parsers/xen-version.js'
import {xenAtLeast} from '../../parsers/xen-version.js'

/** A crashkernel= value the given Xen accepts: `,below=` from 4.10, `<` from 4.8, a fixed address before. */
export function recommendedXenCrashkernel(version: XenMajorMinor | undefined, sizeMiB = 256): string {
  if (!version || xenAtLeast(version, 4, 10)) return `crashkernel=${sizeMiB}M,below=4G`
  if (xenAtLeast(version, 4, 8)) return `crashkernel=${sizeMiB}M<4G`
  return `crashkernel=${sizeMiB}M@64M`
}

export type BootLoaderKind = 'grub2' | 'grub2-defaults' | 'grub-legacy' | 'extlinux' | 'xenserver'

/** Exact steps, for the host's own boot loader when it is known, else for all of them. */
export function xenCrashkernelFix(version: XenMajorMinor | undefined, loader?: BootLoaderKind): string {
  const value = recommendedXenCrashkernel(version)
  // grub2's script lexer takes a bare `<` as a redirection; /etc/default/grub needs it escaped twice.
  const grub2Value = value.replace('<', '\\\\<')
  const steps: Record<'grub2' | 'grub-legacy' | 'xenserver', string[]> = {
    grub2: [
      `- grub2 (Debian, Ubuntu, CentOS 7 Xen): add it to GRUB_CMDLINE_XEN_DEFAULT in /etc/default/grub`,
      `  (or /etc/default/grub.d/xen.cfg), e.g. GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=4096M,max:4096M ${grub2Value}",`,
      `  then run \`update-grub\` (Debian/Ubuntu) or \`grub2-mkconfig -o /boot/grub2/grub.cfg\`.`,
    ],
    'grub-legacy': [
      `- grub legacy (RHEL/CentOS 5, Oracle VM 3): append it to the \`kernel /xen.gz-...\` line of the default`,
      `  entry in /boot/grub/grub.conf (not to the \`module /vmlinuz-...\` line).`,
    ],
    xenserver: [
      `- XenServer 7+/XCP-ng: \`/opt/xensource/libexec/xen-cmdline --set-xen ${value}\`;`,
      `  XenServer 5/6: add it after \`append /boot/xen.gz\` (before the first \`---\`) in /boot/extlinux.conf.`,
    ],
  }
  const only = loader === 'grub2' || loader === 'grub2-defaults' ? 'grub2' : loader === 'grub-legacy' ? 'grub-legacy' : loader === 'extlinux' || loader === 'xenserver' ? 'xenserver' : undefined
  return [
    `Put \`${value}\` on the Xen hypervisor's command line (not dom0's), then reboot:`,
    ...(only ? steps[only] : [...steps.grub2, ...steps['grub-legacy'], ...steps.xenserver]),
    `After the reboot, \`xl dmesg | grep Kdump\` (\`xm dmesg\` on old toolstacks) must show \`Kdump: 256MB (262144kB) at 0x...\`.`,
  ].join('\n')
}

export const XEN_CMDLINE_DOC = 'https://xenbits.xen.org/docs/unstable/misc/xen-command-line.html#crashkernel'
export const XEN_KDUMP_WIKI = 'https://wiki.xenproject.org/wiki/Kexec_and_Kdump'

/** The boot loader a fix should talk about: XenServer has its own tool, else the loader of the next boot. */
export function bootLoaderOf(facts: Facts): BootLoaderKind | undefined {
  if (facts.kdumpService.known && facts.kdumpService.value.family === 'xenserver') return 'xenserver'
  return facts.nextBoot.known ? facts.nextBoot.value.loader : undefined
}
