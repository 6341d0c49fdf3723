# The lab's scenarios (sourced by lib/boot.sh). Each `scenario_<name>` sets:
#   TITLE        one line for RESULTS.md
#   XEN          Xen's command line
#   DOM0         dom0's Linux command line
#   FAMILY       debian: Debian kdump-tools (/etc/default/kdump-tools, kdump-config load / savecore);
#                rhel:   RHEL-style /etc/kdump.conf + /etc/sysconfig/kdump (guest/rhel-kdump);
#   SERVICE      on: the kdump unit is enabled (dom0's init starts it at boot); off: installed, not enabled
#   KDT          lines appended to Debian's packaged /etc/default/kdump-tools (what an admin edits)
#   KDUMP_CONF, SYSCONFIG   the RHEL-style files
#   DUMP_DISK    ext4: /dev/vdb holds an ext4 filesystem mounted at /var/crash (/etc/fstab);
#                raw: /dev/vdb is a raw dump device
#   SETUP        dom0 set-up in words, for RESULTS.md
# and what must hold besides "READY exactly when a non-empty vmcore was written":
#   WANT_FAILED  check IDs that must be among our failing checks
#   WANT_CAUSE   explain's root cause ids, one of which must be the root ("" = no broken link expected)
#   WANT_ALSO    a cause id that must be among explain's causes (any role)
# Names are case-sensitive: A A0 R B B-filter B-kdt C D RANGE.

LAB_ALL_SCENARIOS="A A0 R B B-filter B-kdt C D RANGE"

XEN_BASE="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all"
DOM0_BASE="console=hvc0 earlyprintk=xen"
# Debian's kdump-tools grub drop-in (/etc/default/grub.d/kdump-tools.cfg) puts this on dom0's line, and
# kdump-config refuses to load without a crashkernel= in dom0's /proc/cmdline.
DEBIAN_DROPIN="crashkernel=384M-:128M"
# A capture command line with a console that exists on bare metal (the capture kernel is not under Xen).
CLEAN_CAPTURE="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 no_timer_check"
KDT_CLEAN="KDUMP_CMDLINE=\"$CLEAN_CAPTURE\"
MAKEDUMP_ARGS=\"-E -X -d 0\""

lab_scenario_defaults() {
  TITLE="" XEN="$XEN_BASE noreboot" DOM0="$DOM0_BASE $DEBIAN_DROPIN" FAMILY=debian SERVICE=on KDT="$KDT_CLEAN"
  KDUMP_CONF="" SYSCONFIG="" DUMP_DISK=ext4 SETUP="" WANT_FAILED="" WANT_CAUSE="" WANT_ALSO=""
}

scenario_A() {
  TITLE="the incident: no crashkernel= anywhere, Xen noreboot"
  DOM0="$DOM0_BASE"
  SETUP="kdump-tools enabled, clean capture line, -E -X -d 0; kdump-config load refuses (no crashkernel= in /proc/cmdline)"
  WANT_FAILED="KD101"
  WANT_CAUSE="no-crashkernel-on-xen"
}

scenario_A0() {
  scenario_A
  TITLE="as A without noreboot"
  XEN="$XEN_BASE"
  WANT_FAILED="KD101"
  WANT_CAUSE="no-crashkernel-on-xen"
}

scenario_R() {
  TITLE="region reserved, nothing loaded"
  XEN="$XEN_BASE noreboot crashkernel=256M,below=4G"
  SERVICE=off
  SETUP="kdump-tools installed and configured (clean capture line, -E -X -d 0) but not enabled: nothing runs kexec -p"
  WANT_FAILED="KD202"
  WANT_CAUSE="nothing-loaded"
}

scenario_B() {
  TITLE="region + capture kernel with a clean command line, raw copy of /proc/vmcore to a raw disk"
  XEN="$XEN_BASE noreboot crashkernel=256M,below=4G"
  DOM0="$DOM0_BASE"
  FAMILY=rhel
  KDT=""
  KDUMP_CONF="raw /dev/vdb
core_collector cat
failure_action reboot"
  SYSCONFIG="KDUMP_COMMANDLINE=\"$CLEAN_CAPTURE\"
KDUMP_COMMANDLINE_APPEND=\"irqpoll nr_cpus=1 reset_devices\""
  DUMP_DISK=raw
  SETUP="RHEL-style kdump.conf: raw /dev/vdb, core_collector cat; KDUMP_COMMANDLINE on ttyS0; kdump.service enabled (lab-rhel-kdump start = kexec -p)"
}

scenario_B-filter() {
  TITLE="as B, makedumpfile -E -X -d 0 by kdump-tools to an ext4 /var/crash"
  XEN="$XEN_BASE noreboot crashkernel=256M,below=4G"
  SETUP="kdump-tools enabled: KDUMP_CMDLINE on ttyS0, MAKEDUMP_ARGS=\"-E -X -d 0\"; /var/crash on ext4 /dev/vdb"
}

scenario_B-kdt() {
  TITLE="as B-filter with Debian's default MAKEDUMP_ARGS (-F -c -d 31)"
  XEN="$XEN_BASE noreboot crashkernel=256M,below=4G"
  KDT="KDUMP_CMDLINE=\"$CLEAN_CAPTURE\""
  SETUP="kdump-tools enabled: KDUMP_CMDLINE on ttyS0, MAKEDUMP_ARGS unset (default -F -c -d 31); /var/crash on ext4 /dev/vdb"
  WANT_FAILED="KD406"
  WANT_CAUSE="collector-needs-vmcoreinfo"
}

scenario_C() {
  TITLE="crashkernel= on dom0's line only"
  XEN="$XEN_BASE noreboot"
  SETUP="kdump-tools enabled, clean capture line, -E -X -d 0; Debian's drop-in crashkernel= on dom0's line; kexec -p fails"
  WANT_FAILED="KD101"
  WANT_CAUSE="no-crashkernel-on-xen crashkernel-on-dom0-line"
  WANT_ALSO="crashkernel-on-dom0-line"
}

scenario_D() {
  TITLE="kdump-tools' own load copies console=hvc0 earlyprintk=xen into the capture kernel"
  XEN="$XEN_BASE noreboot crashkernel=256M,below=4G"
  KDT="MAKEDUMP_ARGS=\"-E -X -d 0\""
  SETUP="kdump-tools enabled: KDUMP_CMDLINE unset (copies dom0's /proc/cmdline), MAKEDUMP_ARGS=\"-E -X -d 0\"; ext4 /var/crash"
  WANT_FAILED="KD206"
  WANT_CAUSE="capture-console-xen-only"
}

scenario_RANGE() {
  TITLE="range-form crashkernel= that selects nothing for 2 GiB of RAM"
  XEN="$XEN_BASE noreboot crashkernel=4G-:256M"
  SETUP="kdump-tools enabled, clean capture line, -E -X -d 0; Xen's range covers only machines of 4 GiB and more"
  WANT_FAILED="KD103"
  WANT_CAUSE="region-not-reserved crashkernel-invalid"
}
