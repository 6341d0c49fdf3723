/** Real configuration texts shared by several parser tests. */

// Debian 12 xen-hypervisor-common 4.17: /etc/default/grub.d/xen.cfg (comments shortened, code verbatim).
export const DEBIAN12_XEN_CFG = `# When running update-grub with the Xen hypervisor installed, there are
# some additional variables that can be used to pass options to the
# hypervisor or the dom0 kernel.

echo "Including Xen overrides from /etc/default/grub.d/xen.cfg" >&2

#GRUB_CMDLINE_XEN_DEFAULT=""
#GRUB_CMDLINE_XEN=""

#GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT"
#GRUB_CMDLINE_LINUX_XEN_REPLACE="$GRUB_CMDLINE_LINUX"

#XEN_OVERRIDE_GRUB_DEFAULT=
#
if [ "$XEN_OVERRIDE_GRUB_DEFAULT" = "" ]; then
	grub_warn "GRUB_DEFAULT changed to boot into Xen by default!" \\
	          "Edit /etc/default/grub.d/xen.cfg to avoid this warning."
	XEN_OVERRIDE_GRUB_DEFAULT=1
fi
if [ "$XEN_OVERRIDE_GRUB_DEFAULT" = "1" ]; then
	GRUB_DEFAULT=$( \\
		printf "$(gettext "%s, with Xen hypervisor")" \\
		"$GRUB_DISTRIBUTOR GNU/Linux")
fi
`
