/** Fix text shared by the service checks (KD300, KD301): the exact commands differ by family. */
export const SERVICE_FIX = `Enable the kdump service at boot and start it now:
- RHEL/CentOS/Rocky/Alma 7 and later, Fedora: \`systemctl enable --now kdump\`, then \`kdumpctl status\` (on a Xen dom0 it cannot see the load: use \`kexec -p -S; echo $?\`, 1 = loaded).
- RHEL/CentOS 5 and 6: \`chkconfig kdump on && service kdump start\`.
- Debian/Ubuntu: set USE_KDUMP=1 in /etc/default/kdump-tools (KD303), then \`systemctl enable --now kdump-tools\` (sysvinit: \`update-rc.d kdump-tools enable && service kdump-tools start\`).
- SUSE: \`systemctl enable --now kdump\` (SLES 11: \`chkconfig boot.kdump on && /etc/init.d/boot.kdump start\`).
- XenServer 7+/XCP-ng: \`systemctl enable --now kdump\` (XenServer 6: \`chkconfig kdump on && service kdump start\`).
- An image: enable it in the image itself (\`systemctl --root=<image root> enable kdump\`, or \`kdump-tools\` on Debian), or in the recipe that builds it.
If the service fails to start, its log says why: \`journalctl -b -u kdump -u kdump-tools\` (RHEL 5/6: /var/log/messages).`
