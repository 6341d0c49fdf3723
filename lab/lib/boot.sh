#!/bin/bash
# Boots one scenario under QEMU (software emulation) and records what happened:
#   boot.sh SCENARIO OUTDIR
# OUTDIR gets serial.log, qemu.cmd, lab.img (dom0's snapshot, the capture kernel's record), dump.img (the
# dump target), xen.cmdline, dom0.cmdline, the scenario's /etc files under etc/, and run.tsv (timings and
# why the run ended). Judging the run is lib/analyze.mjs's job.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$LAB_DIR/scenarios.sh"

main() {
S=${1:?scenario}
OUT=${2:?output directory}
declare -F "scenario_$S" >/dev/null || lab_die "no scenario '$S' (known: $LAB_ALL_SCENARIOS)"
lab_scenario_defaults
"scenario_$S"

IMG=$LAB_WORK/img
R=$LAB_WORK/root
KV=$(cat "$IMG/kernel-version")
RUN_TIMEOUT=${LAB_RUN_TIMEOUT:-2400}  # wall seconds for the whole boot, whatever happens (load stretches it)
RUN_CPU=${LAB_RUN_CPU:-900}           # ... and QEMU CPU seconds, which other load does not inflate
IDLE_SECS=${LAB_IDLE_SECS:-20}        # after Xen's "Executing kexec image": no QEMU CPU use for this long = hung
SILENT_SECS=${LAB_SILENT_SECS:-120}   # ... or no console output for this long before the capture init is up
AFTER_SECS=${LAB_AFTER_SECS:-30}      # a trigger that did not panic: watch this long after its report, then stop
REPORT_SECS=${LAB_REPORT_SECS:-300}   # ... and give up when no report came this long after the trigger
NMI_DELAY=${LAB_NMI_DELAY:-5}         # hang-nmi: the NMI comes this long after dom0's task is stuck
MEM=${LAB_MEM:-${MEM:-2048}}     # the scenario's MEM, unless LAB_MEM overrides every scenario
. "$LAB_DIR/lib/grub.sh"

rm -rf "$OUT"
mkdir -p "$OUT"

# ---- the scenario's /etc, as an admin left it
ov=$OUT/etc-overlay
rm -rf "$ov"
mkdir -p "$ov/etc/lab" "$ov/etc/systemd/system/multi-user.target.wants"
echo "$S" >"$ov/etc/lab/scenario"
echo "$HOST" >"$ov/etc/lab/host"
echo "$TRIGGER" >"$ov/etc/lab/trigger"
echo "${LAB_COLLECT_ARGS:---deadline 1500 --probe-timeout 120}" >"$ov/etc/lab/collect-args"
echo "$( [ "$HOST" = native ] && echo native || echo xenlab)-$(echo "$S" | tr 'A-Z' 'a-z')" >"$ov/etc/hostname"
if [ "$DUMP_DISK" = ext4 ]; then
  printf '# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/vdb /var/crash ext4 defaults 0 2\n' >"$ov/etc/fstab"
fi
if [ -n "$SYSCTL" ]; then
  mkdir -p "$ov/etc/sysctl.d"
  printf '# lab scenario %s\n%s\n' "$S" "$SYSCTL" >"$ov/etc/sysctl.d/90-kdump.conf"
fi
case $FAMILY in
  debian)
    # kdump-tools as packaged (kdump-config, its sysctl file, the stand-ins it needs), in dom0 and in the
    # capture initramfs alike.
    [ -d "$IMG/kdump-tools" ] && cp -a "$IMG/kdump-tools/." "$ov/"
    { cat "$R/usr/share/kdump-tools/kdump-tools.conf"; [ -n "$KDT" ] && printf '\n# lab scenario %s\n%s\n' "$S" "$KDT"; } >"$ov/etc/default/kdump-tools"
    [ "$DROPIN" = on ] && mkdir -p "$ov/etc/default/grub.d" && cp "$R/etc/default/grub.d/kdump-tools.cfg" "$ov/etc/default/grub.d/kdump-tools.cfg"
    [ "$SERVICE" = on ] && ln -s /lib/systemd/system/kdump-tools.service "$ov/etc/systemd/system/multi-user.target.wants/kdump-tools.service"
    ;;
  rhel)
    mkdir -p "$ov/etc/sysconfig"
    printf '%s\n' "$KDUMP_CONF" >"$ov/etc/kdump.conf"
    printf '%s\n' "$SYSCONFIG" >"$ov/etc/sysconfig/kdump"
    [ "$SERVICE" = on ] && ln -s /usr/lib/systemd/system/kdump.service "$ov/etc/systemd/system/multi-user.target.wants/kdump.service"
    ;;
  *) lab_die "scenario $S: FAMILY must be debian or rhel" ;;
esac
grub_write_defaults "$ov" "$XEN" "$LINUX"

# ---- the host's image: the base initramfs tree plus the scenario's files, as a directory. It is what
# `kdumpcheck check --root` judges before the boot (lib/analyze.mjs) and what the host boots.
BASE=$IMG/dom0-base.cpio.gz
[ "$HOST" = native ] && BASE=$IMG/native-base.cpio.gz
image=$OUT/image
mkdir -p "$image"
# (gzip -dc warns about the NUL padding after the stream and exits 2: that is the padding, not an error)
(cd "$image" && { gzip -dc "$BASE" 2>/dev/null || true; } | cpio -id --quiet) || lab_die "cannot unpack $BASE"
cp -a "$ov/." "$image/"
# The dpkg database of what the image holds (the packages lib/fetch.sh unpacked; kdump-tools only where
# the scenario installs it; no Xen packages on a native host). The lab's dom0 runs no dpkg, but an
# image check reads this file, as it would on a real Debian image.
mkdir -p "$image/var/lib/dpkg"
awk -v family="$FAMILY" -v host="$HOST" 'BEGIN { RS = ""; FS = "\n" }
  { pkg = ""; for (i = 1; i <= NF; i++) if ($i ~ /^Package: /) pkg = substr($i, 10)
    if (pkg == "kdump-tools" && family != "debian") next
    if (host == "native" && pkg ~ /^(xen-|libxen)/) next
    out = ""
    for (i = 1; i <= NF; i++) { out = out $i "\n"; if ($i ~ /^Package: /) out = out "Status: install ok installed\n" }
    printf "%s\n", out }' "$R/.packages" >"$image/var/lib/dpkg/status"
if [ "$FAMILY" = debian ]; then
  mkdir -p "$image/var/lib/kdump"
  cp "$R/etc/kdump/sysctl.conf" "$image/var/lib/kdump/latest_sysctls-$KV" # else kdump-config load deletes the initrd
  # The links kdump-tools' postinst and kernel hook create at install time (`kdump-config symlinks`).
  ln -s "/boot/vmlinuz-$KV" "$image/var/lib/kdump/vmlinuz"
  ln -s "/var/lib/kdump/initrd.img-$KV" "$image/var/lib/kdump/initrd.img"
fi

# ---- the FIXED hook: a repair of the image tree before its boot (LAB_FIX_CMD, run with the image's
# path as its last argument; scenario FIXED sets it to `kdumpcheck fix --root`). Everything below is
# derived from the image afterwards, as the repaired host would: its boot lines from its grub files
# (update-grub), its capture initramfs from its /etc.
if [ -n "${FIX:-}" ]; then
  printf '%s %q\n' "$FIX" "$image" >"$OUT/fix.cmd"
  # shellcheck disable=SC2086
  # `kdumpcheck fix --root` exits 1 when it made edits (0: nothing to fix, 3: a person is needed, 2: an
  # error): only 1 is a repair to boot.
  fix_rc=0
  (cd "$OUT" && eval "$FIX" '"$image"') >"$OUT/fix.out" 2>&1 || fix_rc=$?
  echo "$fix_rc" >"$OUT/fix.rc"
  [ "$fix_rc" = 1 ] || lab_die "scenario $S: the repair exited $fix_rc, not 1 (edits made): $(tail -n 3 "$OUT/fix.out" | tr '\n' ' ')"
fi

# ---- boot lines and /boot/grub/grub.cfg from the image's /etc/default/grub and its drop-ins
grub_derive "$image"
grub_write_cfg "$image" "$KV" "$HOST"
grub_boot_lines "$KV" "$HOST"
XEN_LINE=$BOOT_XEN_LINE
KERNEL_LINE=$BOOT_KERNEL_LINE
printf '%s\n' "$XEN_LINE" >"$OUT/xen.cmdline"
printf '%s\n' "$KERNEL_LINE" >"$OUT/dom0.cmdline"
# A repaired image: the lines kdumpcheck's own model of update-grub gives (`fix --root DIR --boot-lines`)
# must be the ones lib/grub.sh derived, which the host boots: two readings of the same files. (dom0's
# line is compared as grub.cfg has it: the image's /etc/fstab has no `/`, so fix writes root=UUID=<root>,
# whose `<` grub's lexer would read as a redirection; our lines hold no grub escapes.)
if [ -n "${FIX:-}" ] && [ "$HOST" = xen ]; then
  node "$REPO_DIR/bin/run.js" fix --root "$image" --boot-lines >"$OUT/fix-boot-lines.json" 2>"$OUT/fix-boot-lines.err" || lab_die "scenario $S: fix --boot-lines failed: $(head -c 300 "$OUT/fix-boot-lines.err")"
  theirs=$(node -e 'const l=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")); console.log(l.xen.args.split(/\s+/).filter(Boolean).join(" ")); console.log(l.dom0.grubCfg.replace(/^module2 \S+ /, "").replace("root=UUID=<root>", "root=UUID=" + process.argv[2]).split(/\s+/).filter(Boolean).join(" "))' "$OUT/fix-boot-lines.json" "$LAB_ROOT_UUID")
  ours=$(printf '%s\n%s\n' "$(echo $XEN_LINE)" "$(echo $KERNEL_LINE)")
  [ "$theirs" = "$ours" ] || lab_die "scenario $S: fix --boot-lines says '$(echo $theirs)', lib/grub.sh '$(echo $ours)'"
fi

# ---- the capture initramfs (the base image plus the host's /etc: a real capture environment reads
# the host's), placed where the family's loader looks for it; then dom0's initramfs: the base plus the
# image's own files (its /etc, /boot/grub, /var/lib/kdump, the capture initramfs).
cpio_of() { (cd "$1" && find "${@:2}" | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0); }
# kdump-tools' own files outside /etc (kdump-config and the stand-ins it needs), where it is installed
mine=(./etc)
if [ "$FAMILY" = debian ]; then
  # (lib/build.sh's add_kdump_tools; a directory the base image lacks goes in whole, since the kernel's
  # initramfs unpacker does not create a file's missing parent directories)
  mine+=(./usr/sbin/kdump-config ./usr/bin/file ./lib/lsb)
fi
cat "$IMG/capture-base.cpio.gz" <(cpio_of "$image" "${mine[@]}") >"$OUT/capture-initrd.img"
if [ "$FAMILY" = debian ]; then
  cp "$OUT/capture-initrd.img" "$image/var/lib/kdump/initrd.img-$KV"
else
  cp "$OUT/capture-initrd.img" "$image/boot/initramfs-${KV}kdump.img"
fi
mine+=(./boot/grub ./var/lib/dpkg)
[ -d "$image/var/lib/kdump" ] && mine+=(./var/lib/kdump)
[ -f "$image/boot/initramfs-${KV}kdump.img" ] && mine+=("./boot/initramfs-${KV}kdump.img")
cat "$BASE" <(cpio_of "$image" "${mine[@]}") >"$OUT/dom0-initrd.img"
mkdir -p "$OUT/etc"
cp -a "$image/etc/." "$OUT/etc/"
rm -rf "$ov"

# ---- disks: vda = the lab's own record, vdb = the dump target
truncate -s 64M "$OUT/lab.img"
truncate -s 3G "$OUT/dump.img"
if [ "$DUMP_DISK" = ext4 ]; then
  mkfs.ext4 -q -F -L kdump -E lazy_itable_init=0,lazy_journal_init=0 "$OUT/dump.img" >/dev/null
fi

# ---- boot
QEMU=(qemu-system-x86_64 -machine pc -accel tcg -cpu "${LAB_CPU:-max,-smap}" -smp 2 -m "$MEM"
  -display none -vga none -nic none -no-reboot
  -serial "file:$OUT/serial.log")
if [ "$TRIGGER" = hang-nmi ]; then
  # QEMU's monitor, for the NMI a BMC would send (HMP `nmi`: every CPU gets one)
  QEMU+=(-monitor none -qmp "unix:$OUT/qmp.sock,server=on,wait=off")
else
  QEMU+=(-monitor none)
fi
if [ "$HOST" = native ]; then
  QEMU+=(-kernel "$IMG/vmlinuz" -append "$KERNEL_LINE" -initrd "$OUT/dom0-initrd.img")
else
  # QEMU's multiboot loader passes "<file> <arguments>" and Xen drops the first word, so Xen and dom0
  # see exactly the arguments grub2's multiboot2/module2 lines give them (lib/grub.sh).
  QEMU+=(-kernel "$IMG/xen" -append "$XEN_LINE" -initrd "$IMG/vmlinuz $KERNEL_LINE,$OUT/dom0-initrd.img")
fi
QEMU+=(-drive "file=$OUT/lab.img,format=raw,if=virtio"
  -drive "file=$OUT/dump.img,format=raw,if=virtio")
printf '%q ' "${QEMU[@]}" >"$OUT/qemu.cmd"
echo >>"$OUT/qemu.cmd"
: >"$OUT/serial.log"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
secs() { since "$1" "$2" | cut -d. -f1; }
# The crash and the start of the capture kernel: Xen's lines under Xen; natively the panic, and the
# capture kernel's banner (the second "Linux version" on the console).
if [ "$HOST" = native ]; then CRASH_RE='Kernel panic - not syncing'; else CRASH_RE='Hardware Dom0 crashed|\(XEN\) Panic on CPU'; fi
REPORT_RE='BUG: kernel NULL pointer dereference|Oops: [0-9]|blocked for more than [0-9]+ seconds|NMI received for unknown reason|Dazed and confused'
T0=$(now)
"${QEMU[@]}" </dev/null >"$OUT/qemu.out" 2>&1 &
QPID=$!
T_MARK="" T_CRASH="" T_KEXEC="" T_REPORT="" T_BLOCK="" T_NMI="" T_MANUAL="" NMI_OFFSET="" STOP="" LASTCPU="" IDLE=0 LASTSIZE=0 LASTGROW=$T0 QCPU=0
while kill -0 "$QPID" 2>/dev/null; do
  sleep 1
  t=$(now)
  [ -z "$T_MARK" ] && grep -q '^LAB: ===== triggering' "$OUT/serial.log" && T_MARK=$t
  [ -z "$T_CRASH" ] && grep -Eq "$CRASH_RE" "$OUT/serial.log" && T_CRASH=$t
  if [ -z "$T_KEXEC" ]; then
    if [ "$HOST" = native ]; then
      [ -n "$T_CRASH" ] && [ "$(grep -c '\] Linux version ' "$OUT/serial.log")" -ge 2 ] && T_KEXEC=$t
    else
      grep -q 'Executing kexec image' "$OUT/serial.log" && T_KEXEC=$t
    fi
  fi
  if [ -n "$T_MARK" ] && [ "$TRIGGER" != sysrq-c ]; then
    [ -z "$T_REPORT" ] && sed -n '/^LAB: ===== triggering/,$p' "$OUT/serial.log" | grep -Eq "$REPORT_RE" && T_REPORT=$t
    [ -z "$T_BLOCK" ] && grep -q 'kdumplab: kdumplab-wait blocks' "$OUT/serial.log" && T_BLOCK=$t
    if [ "$TRIGGER" = hang-nmi ] && [ -z "$T_NMI" ] && [ -n "$T_BLOCK" ] && [ "$(secs "$T_BLOCK" "$t")" -ge "$NMI_DELAY" ]; then
      NMI_OFFSET=$(stat -c %s "$OUT/serial.log")
      node "$LAB_DIR/lib/qmp.mjs" "$OUT/qmp.sock" nmi >"$OUT/nmi.out" 2>&1 || lab_log "$S: injecting the NMI failed: $(cat "$OUT/nmi.out")"
      T_NMI=$(now)
    fi
  fi
  # QEMU's CPU time so far (utime + stime, in clock ticks): a measure of the work that load elsewhere
  # on the machine does not inflate, unlike the wall time.
  QCPU=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat" 2>/dev/null || echo "$QCPU")
  size=$(stat -c %s "$OUT/serial.log")
  if [ "$size" != "$LASTSIZE" ]; then LASTSIZE=$size; LASTGROW=$t; fi
  if grep -q "'noreboot' set - not rebooting" "$OUT/serial.log"; then
    sleep 2; STOP=xen-halted; break
  fi
  # Xen's own panic prints "Manual reset required ('noreboot' specified)" and only then runs a loaded
  # capture kernel ("Executing kexec image on cpu0" on the next line, seen with nmi=fatal): it is a halt
  # only when nothing follows it.
  if [ -z "$T_KEXEC" ] && grep -q "Manual reset required ('noreboot' specified)" "$OUT/serial.log"; then
    [ -n "$T_MANUAL" ] || T_MANUAL=$t
    if [ "$(secs "$T_MANUAL" "$t")" -ge 15 ]; then STOP=xen-halted; break; fi
  fi
  # A trigger that did not panic: the host keeps running. Watch it for AFTER_SECS after the report
  # (the Oops, the hung-task warning) or the NMI, then stop; no rescue with sysrq-c.
  if [ -z "$T_CRASH" ] && [ -n "$T_MARK" ] && [ "$TRIGGER" != sysrq-c ]; then
    if [ "$TRIGGER" = hang-nmi ]; then
      if [ -n "$T_NMI" ] && [ "$(secs "$T_NMI" "$t")" -ge "$AFTER_SECS" ]; then STOP=running-after-nmi; break; fi
      if [ -z "$T_NMI" ] && [ "$(secs "$T_MARK" "$t")" -ge "$REPORT_SECS" ]; then STOP=no-hang; break; fi
    else
      if [ -n "$T_REPORT" ] && [ "$(secs "$T_REPORT" "$t")" -ge "$AFTER_SECS" ]; then STOP=running-after-report; break; fi
      if [ -z "$T_REPORT" ] && [ "$(secs "$T_MARK" "$t")" -ge "$REPORT_SECS" ]; then STOP=no-report; break; fi
    fi
  fi
  if [ -n "$T_KEXEC" ]; then
    cpu=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat" 2>/dev/null || echo gone)
    if [ "$cpu" = "$LASTCPU" ]; then IDLE=$((IDLE + 1)); else IDLE=0; LASTCPU=$cpu; fi
    if [ "$IDLE" -ge "$IDLE_SECS" ]; then STOP=idle-after-kexec; break; fi
    # Silence counts only until the capture initramfs is up: a collector may work quietly for minutes.
    if ! grep -q '^KDUMP: ===== crash kernel init up' "$OUT/serial.log" && [ "$(secs "$LASTGROW" "$t")" -ge "$SILENT_SECS" ]; then
      STOP=silent-after-kexec; break
    fi
  fi
  if [ "$(secs "$T0" "$t")" -ge "$RUN_TIMEOUT" ]; then STOP=timeout; break; fi
  if [ "$(awk -v t="$QCPU" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%d", t / hz }')" -ge "$RUN_CPU" ]; then STOP=cpu-timeout; break; fi
done
if [ -n "$STOP" ]; then
  kill "$QPID" 2>/dev/null || true
fi
set +e
wait "$QPID"
RC=$?
set -e
T_END=$(now)
[ -n "$STOP" ] || STOP=qemu-exited   # -no-reboot: the guest reset (Xen's reboot, or the capture kernel's)
{
  printf 'scenario\t%s\n' "$S"
  printf 'stop\t%s\n' "$STOP"
  printf 'qemu_exit\t%s\n' "$RC"
  printf 'wall_s\t%s\n' "$(since "$T0" "$T_END")"
  printf 'qemu_cpu_s\t%s\n' "$(awk -v t="$QCPU" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t / hz }')"
  printf 'load_avg\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'to_marker_s\t%s\n' "${T_MARK:+$(since "$T0" "$T_MARK")}"
  printf 'to_crash_s\t%s\n' "${T_CRASH:+$(since "$T0" "$T_CRASH")}"
  printf 'to_kexec_s\t%s\n' "${T_KEXEC:+$(since "$T0" "$T_KEXEC")}"
  printf 'to_report_s\t%s\n' "${T_REPORT:+$(since "$T0" "$T_REPORT")}"
  printf 'to_block_s\t%s\n' "${T_BLOCK:+$(since "$T0" "$T_BLOCK")}"
  printf 'to_nmi_s\t%s\n' "${T_NMI:+$(since "$T0" "$T_NMI")}"
  printf 'nmi_offset\t%s\n' "$NMI_OFFSET"
  printf 'host\t%s\n' "$HOST"
  printf 'mem_mib\t%s\n' "$MEM"
  printf 'trigger\t%s\n' "$TRIGGER"
  printf 'no_panic\t%s\n' "$NO_PANIC"
  printf 'want_raised\t%s\n' "$WANT_RAISED"
  printf 'want_pass\t%s\n' "$WANT_PASS"
  printf 'want_outcome\t%s\n' "$WANT_OUTCOME"
  printf 'want_shown\t%s\n' "$(printf '%s' "$WANT_SHOWN" | tr '\n' '\036')"
  printf 'want_dump\t%s\n' "$WANT_DUMP"
  printf 'sysctl\t%s\n' "$(printf '%s' "$SYSCTL" | tr '\n' ';')"
  printf 'family\t%s\n' "$FAMILY"
  printf 'service\t%s\n' "$SERVICE"
  printf 'dump_disk\t%s\n' "$DUMP_DISK"
  printf 'title\t%s\n' "$TITLE"
  printf 'setup\t%s\n' "$SETUP"
  printf 'want_failed\t%s\n' "$WANT_FAILED"
  printf 'want_cause\t%s\n' "$WANT_CAUSE"
  printf 'want_also\t%s\n' "$WANT_ALSO"
  printf 'fix\t%s\n' "${FIX:+$(cat "$OUT/fix.rc" 2>/dev/null)}"
} >"$OUT/run.tsv"
rm -f "$OUT/dom0-initrd.img"
lab_log "$S: $STOP after $(since "$T0" "$T_END") s"
}
# (the whole body is one function: bash reads it before running it, so editing this file while a boot
# runs cannot change what that boot does)
main "$@"
exit
