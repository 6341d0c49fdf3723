# The lab's scenarios (sourced by lib/boot.sh). Each `scenario_<name>` sets:
#   TITLE        one line for RESULTS.md
#   HOST         xen: Xen 4.17 with the Debian kernel as dom0; native: the same kernel on bare metal
#   XEN          GRUB_CMDLINE_XEN_DEFAULT in the host's /etc/default/grub (Xen's arguments)
#   LINUX        GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub (the kernel's arguments)
#   DROPIN       on: Debian kdump-tools' grub drop-in /etc/default/grub.d/kdump-tools.cfg is in place
#                (it appends crashkernel=384M-:128M to GRUB_CMDLINE_LINUX_DEFAULT); Debian family only
#                The command lines the host boots are derived from those files as update-grub does
#                (lib/grub.sh); its /boot/grub/grub.cfg is generated the same way.
#   FAMILY       debian: Debian kdump-tools (/etc/default/kdump-tools, kdump-config load / savecore);
#                rhel:   RHEL-style /etc/kdump.conf + /etc/sysconfig/kdump (guest/rhel-kdump);
#   SERVICE      on: the kdump unit is enabled (dom0's init starts it at boot); off: installed, not enabled
#   KDT          lines appended to Debian's packaged /etc/default/kdump-tools (what an admin edits)
#   KDUMP_CONF, SYSCONFIG   the RHEL-style files
#   SYSCTL       /etc/sysctl.d/90-kdump.conf ("" = none), applied at boot before the kdump service
#                (systemd-sysctl's place)
#   DUMP_DISK    ext4: /dev/vdb holds an ext4 filesystem mounted at /var/crash (/etc/fstab);
#                raw: /dev/vdb is a raw dump device
#   TRIGGER      what dom0's init does after the collector ran and it printed its trigger marker:
#                sysrq-c: echo c > /proc/sysrq-trigger;
#                oops:    insmod kdumplab.ko mode=oops (an Oops in a kernel thread, lab/guest/kdumplab);
#                hang:    insmod kdumplab.ko mode=hang (a kernel thread blocked in D state);
#                hang-nmi: as hang, then the lab injects an NMI through QEMU's monitor, as a BMC would
#   MEM          the guest's RAM in MiB (default 2048; LAB_MEM overrides every scenario)
#   SETUP        host set-up in words, for RESULTS.md
# and what must hold:
#   NO_PANIC     "": the verdict is READY exactly when a non-empty vmcore was written;
#                1: the trigger is not expected to panic (OOPS, HUNG, an NMI Xen forwards): the verdict
#                answers "will a panic leave a vmcore" and stays READY; the scenario agrees when the
#                checks in WANT_RAISED were raised and no vmcore was written
#   WANT_FAILED  check IDs that must be among our failing checks
#   WANT_RAISED  check IDs that must be raised (failed, warned or reported as info)
#   WANT_PASS    check IDs that must pass
#   WANT_CAUSE   explain's root cause ids, one of which must be the root ("" = no broken link expected)
#   WANT_ALSO    a cause id that must be among explain's causes (any role)
#   WANT_OUTCOME explain's outcome, when it must be a particular one (e.g. no-dump-attempted)
#   WANT_SHOWN   lines "<command>|<regex>": dom0's transcript of <command> must have a line matching <regex>
#   WANT_DUMP    the dump's format when it matters (kdump-compressed: a filtered, compressed dump)
# Names are case-sensitive.

LAB_ALL_SCENARIOS="A A0 R B B-filter B-kdt C D RANGE OOPS OOPS-PANIC HUNG HUNG-PANIC NMI NMI-DEFAULT NATIVE FIXED"

XEN_BASE="console=com1 com1=115200,8n1 dom0_mem=512M,max:512M loglvl=all guest_loglvl=all"
LINUX_BASE="console=hvc0 earlyprintk=xen"
# Debian's kdump-tools grub drop-in (/etc/default/grub.d/kdump-tools.cfg) puts crashkernel=384M-:128M
# on dom0's line, and kdump-config refuses to load without a crashkernel= in dom0's /proc/cmdline.
# A capture command line with a console that exists on bare metal (the capture kernel is not under Xen).
CLEAN_CAPTURE="console=ttyS0,115200 earlyprintk=serial,ttyS0,115200 no_timer_check"
KDT_CLEAN="KDUMP_CMDLINE=\"$CLEAN_CAPTURE\"
MAKEDUMP_ARGS=\"-E -X -d 0\""

lab_scenario_defaults() {
  TITLE="" HOST=xen XEN="$XEN_BASE noreboot" LINUX="$LINUX_BASE" DROPIN=on FAMILY=debian SERVICE=on KDT="$KDT_CLEAN"
  KDUMP_CONF="" SYSCONFIG="" SYSCTL="" DUMP_DISK=ext4 TRIGGER=sysrq-c SETUP="" NO_PANIC="" MEM=2048
  WANT_FAILED="" WANT_RAISED="" WANT_PASS="" WANT_CAUSE="" WANT_ALSO="" WANT_OUTCOME="" WANT_SHOWN="" WANT_DUMP="" FIX=""
}

scenario_A() {
  TITLE="the incident: no crashkernel= anywhere, Xen noreboot"
  DROPIN=off
  SETUP="kdump-tools enabled, clean capture line, -E -X -d 0, its grub drop-in removed; kdump-config load refuses (no crashkernel= in /proc/cmdline)"
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
  FAMILY=rhel
  DROPIN=off
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

# ---- The incident's real mechanism: an Oops, a hang, an NMI (lab/guest/kdumplab makes the Oops and
# the hang inside the guest), and the native path. The capture side is known to work (B, B-filter);
# these run with 1 GiB of RAM and makedumpfile -d 1 (drops only zero pages, which needs no dom0 kernel
# symbols: KD406), so that their dumps fit the matrix's time budget.
XEN_REGION="$XEN_BASE noreboot crashkernel=256M,below=4G"
RHEL_FILTER="raw /dev/vdb
core_collector makedumpfile -F -E -X -d 1
failure_action reboot"
RHEL_SYSCONFIG="KDUMP_COMMANDLINE=\"$CLEAN_CAPTURE\"
KDUMP_COMMANDLINE_APPEND=\"irqpoll nr_cpus=1 reset_devices\""
KDT_SMALL="KDUMP_CMDLINE=\"$CLEAN_CAPTURE\"
MAKEDUMP_ARGS=\"-E -X -d 1\""

# RHEL-style, as the incident's host: kdumpctl (unlike Debian's kdump-config, which sets
# panic_on_oops=1 whenever it loads a capture kernel) leaves the kernel's default, 0 for Debian's kernel.
scenario_OOPS() {
  MEM=1024
  TITLE="an Oops in a kernel thread, panic_on_oops=0: the capture kernel is loaded and would work"
  XEN="$XEN_REGION"
  FAMILY=rhel DROPIN=off KDT=""
  KDUMP_CONF="$RHEL_FILTER"
  SYSCONFIG="$RHEL_SYSCONFIG"
  DUMP_DISK=raw
  TRIGGER=oops
  NO_PANIC=1
  SETUP="RHEL-style kdump.service enabled (raw /dev/vdb, makedumpfile -F -E -X -d 1, clean capture line); kernel.panic_on_oops left at the kernel's default 0; kdumplab.ko mode=oops"
  WANT_RAISED="KD502"
  WANT_OUTCOME="no-dump-attempted"
  WANT_CAUSE="oops-did-not-panic"
}

scenario_OOPS-PANIC() {
  scenario_OOPS
  TITLE="as OOPS with kernel.panic_on_oops=1: the Oops panics dom0"
  SYSCTL="kernel.panic_on_oops = 1"
  NO_PANIC="" WANT_RAISED="" WANT_OUTCOME="" WANT_CAUSE=""
  WANT_PASS="KD502"
  SETUP="as OOPS, with kernel.panic_on_oops = 1 in /etc/sysctl.d/90-kdump.conf; kdumplab.ko mode=oops"
}

scenario_HUNG() {
  MEM=1024
  TITLE="a kernel thread stuck in D state, hung_task_panic=0 (the incident's setting)"
  XEN="$XEN_REGION"
  KDT="$KDT_SMALL"
  SYSCTL="kernel.hung_task_timeout_secs = 10"
  TRIGGER=hang
  NO_PANIC=1
  SETUP="kdump-tools enabled (clean capture line, -E -X -d 1); kernel.hung_task_timeout_secs = 10, hung_task_panic left at 0; kdumplab.ko mode=hang"
  WANT_RAISED="KD503"
  WANT_OUTCOME="no-dump-attempted"
  WANT_CAUSE="hang-did-not-panic"
}

scenario_HUNG-PANIC() {
  scenario_HUNG
  TITLE="as HUNG with hung_task_panic=1: the hung-task detector panics dom0"
  SYSCTL="kernel.hung_task_panic = 1
kernel.hung_task_timeout_secs = 10
kernel.softlockup_panic = 1"
  NO_PANIC="" WANT_RAISED="" WANT_OUTCOME="" WANT_CAUSE=""
  WANT_PASS="KD503"
  SETUP="as HUNG, with kernel.hung_task_panic = 1, hung_task_timeout_secs = 10 and softlockup_panic = 1 in /etc/sysctl.d/90-kdump.conf"
}

scenario_NMI() {
  MEM=1024
  TITLE="dom0 hung, then an NMI from outside (QEMU's nmi, as a BMC's power diag) with Xen's nmi=fatal"
  XEN="$XEN_REGION nmi=fatal"
  KDT="$KDT_SMALL"
  TRIGGER=hang-nmi
  SETUP="kdump-tools enabled (clean capture line, -E -X -d 1); kdumplab.ko mode=hang, then the lab injects an NMI on every CPU"
  WANT_PASS="KD602"
}

scenario_NMI-DEFAULT() {
  scenario_NMI
  TITLE="as NMI with Xen's default nmi= (release build: nmi=dom0)"
  XEN="$XEN_REGION"
  NO_PANIC=1
  WANT_PASS=""
  WANT_RAISED="KD602"
  WANT_OUTCOME="no-dump-attempted"
  WANT_CAUSE="nmi-did-not-panic"
  SETUP="as NMI, no nmi= on Xen's line; dom0's unknown_nmi_panic and panic_on_unrecovered_nmi left at 0"
}

# The same Debian kernel without Xen: crashkernel= on its own line (Debian's drop-in), kdump-tools as
# packaged (KDUMP_CMDLINE unset: kdump-config copies /proc/cmdline; MAKEDUMP_ARGS unset: -c -d 31).
scenario_NATIVE() {
  MEM=1024
  TITLE="the same kernel on bare metal, no Xen: kdump-tools as packaged"
  HOST=native
  XEN=""
  # no_timer_check: under QEMU's software emulation on a loaded machine the kernel's IO-APIC timer
  # check fails ("IO-APIC + timer doesn't work!", a panic at boot); the capture lines have it too.
  LINUX="console=ttyS0,115200 no_timer_check"
  KDT=""
  SETUP="kdump-tools enabled with its defaults (KDUMP_CMDLINE unset, MAKEDUMP_ARGS -c -d 31); Debian's grub drop-in crashkernel=384M-:128M"
  WANT_SHOWN="cat /sys/kernel/kexec_crash_loaded|^1\$
kdump-config status|ready to kdump"
  WANT_DUMP="kdump-compressed"
}

# FIXED: the whole loop a user runs. Scenario A's image (the incident's configuration) is repaired by
# `kdumpcheck fix --root <image>` (the real command, as a user runs it) after lib/boot.sh built the image
# and before anything is derived from it; the host then boots the lines its repaired /etc/default/grub
# and drop-ins give (lib/grub.sh, cross-checked with `fix --boot-lines`), its capture initramfs from its
# repaired /etc, and is crashed as the incident was (sysrq-c). It must write a vmcore, and `check --root`
# on the repaired image must say READY (lib/analyze.mjs: the image verdict is the prediction's).
scenario_FIXED() {
  scenario_A
  MEM=1024
  TITLE="scenario A's image repaired by kdumpcheck fix --root, then crashed with sysrq-c"
  SETUP="A's image (no crashkernel= anywhere, noreboot, kdump-tools' drop-in removed) after \`kdumpcheck fix --root\`; its boot lines from the repaired /etc/default/grub and drop-ins"
  FIX="node $REPO_DIR/bin/run.js fix --root"
  WANT_FAILED="" WANT_CAUSE=""
}
