/** Fix text shared by the service checks (KD300, KD301): the exact commands differ by family. */
import {hostText} from './host-wording.js'

const SERVICE = hostText(
  'Enable the kdump service at boot and start it now:',
  [
    [{family: ['rhel'], legacyInit: false, image: false, xen: false}, 'RHEL/CentOS/Rocky/Alma 7 and later, Fedora: `systemctl enable --now kdump`, then `kdumpctl status`.'],
    [{family: ['rhel'], legacyInit: false, image: false, xen: true}, 'RHEL/CentOS/Rocky/Alma 7 and later, Fedora: `systemctl enable --now kdump`, then `kdumpctl status` (on a Xen dom0 it cannot see the load: use `kexec -p -S; echo $?`, 1 = loaded).'],
    [{family: ['rhel'], legacyInit: true, image: false}, 'RHEL/CentOS 5 and 6: `chkconfig kdump on && service kdump start`.'],
    [{family: ['debian'], image: false}, 'Debian/Ubuntu: set USE_KDUMP=1 in /etc/default/kdump-tools (KD303), then `systemctl enable --now kdump-tools` (sysvinit: `update-rc.d kdump-tools enable && service kdump-tools start`).'],
    [{family: ['suse'], image: false}, 'SUSE: `systemctl enable --now kdump` (SLES 11: `chkconfig boot.kdump on && /etc/init.d/boot.kdump start`).'],
    [{family: ['xenserver'], image: false}, 'XenServer 7+/XCP-ng: `systemctl enable --now kdump` (XenServer 6: `chkconfig kdump on && service kdump start`).'],
    [{image: true}, 'An image: enable it in the image itself (`systemctl --root=<image root> enable kdump`, or `kdump-tools` on Debian), or in the recipe that builds it.'],
  ],
  {
    any: 'If the service fails to start, its log says why: `journalctl -b -u kdump -u kdump-tools` (RHEL 5/6: /var/log/messages).',
    variants: [
      [{family: ['rhel', 'suse', 'xenserver'], legacyInit: false}, 'If the service fails to start, its log says why: `journalctl -b -u kdump`.'],
      [{family: ['debian']}, 'If the service fails to start, its log says why: `journalctl -b -u kdump-tools`.'],
      [{family: ['rhel', 'suse', 'xenserver'], legacyInit: true}, 'If the service fails to start, its log says why: /var/log/messages.'],
    ],
  },
)

/** Every family's commands (the rule's page, an unknown host). */
export const SERVICE_FIX = SERVICE.full
/** This host's commands only. */
export const serviceFixFor = SERVICE.for
