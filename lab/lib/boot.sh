#!/bin/bash
# Boots one scenario under QEMU (software emulation) and records what happened:
#   boot.sh SCENARIO OUTDIR
# OUTDIR gets serial.log, qemu.cmd, lab.img (dom0's snapshot, the capture kernel's record), dump.img (the
# dump target), xen.cmdline, dom0.cmdline, the scenario's /etc files under etc/, and run.tsv (timings and
# why the run ended). Judging the run is lib/analyze.mjs's job.
set -euo pipefail
. "$(dirname "$0")/common.sh"
. "$LAB_DIR/scenarios.sh"

S=${1:?scenario}
OUT=${2:?output directory}
declare -F "scenario_$S" >/dev/null || lab_die "no scenario '$S' (known: $LAB_ALL_SCENARIOS)"
lab_scenario_defaults
"scenario_$S"

IMG=$LAB_WORK/img
R=$LAB_WORK/root
KV=$(cat "$IMG/kernel-version")
RUN_TIMEOUT=${LAB_RUN_TIMEOUT:-600}   # seconds for the whole boot, whatever happens
IDLE_SECS=${LAB_IDLE_SECS:-20}        # after Xen's "Executing kexec image": no QEMU CPU use for this long = hung
SILENT_SECS=${LAB_SILENT_SECS:-120}   # ... or no console output for this long before the capture init is up
MEM=${LAB_MEM:-2048}

rm -rf "$OUT"
mkdir -p "$OUT"
printf '%s\n' "$XEN" >"$OUT/xen.cmdline"
printf '%s\n' "$DOM0" >"$OUT/dom0.cmdline"

# ---- the scenario's /etc (and the capture initramfs, for dom0) as cpio archives appended to the images
ov=$OUT/etc-overlay
rm -rf "$ov"
mkdir -p "$ov/etc/lab" "$ov/etc/systemd/system/multi-user.target.wants"
echo "$S" >"$ov/etc/lab/scenario"
echo "${LAB_COLLECT_ARGS:---deadline 400 --probe-timeout 60}" >"$ov/etc/lab/collect-args"
echo "xenlab-$(echo "$S" | tr 'A-Z' 'a-z')" >"$ov/etc/hostname"
if [ "$DUMP_DISK" = ext4 ]; then
  printf '# <file system> <mount point> <type> <options> <dump> <pass>\n/dev/vdb /var/crash ext4 defaults 0 2\n' >"$ov/etc/fstab"
fi
case $FAMILY in
  debian)
    # kdump-tools as packaged (kdump-config, its sysctl file, the stand-ins it needs), in dom0 and in the
    # capture initramfs alike.
    [ -d "$IMG/kdump-tools" ] && cp -a "$IMG/kdump-tools/." "$ov/"
    mkdir -p "$ov/etc/default/grub.d"
    { cat "$R/usr/share/kdump-tools/kdump-tools.conf"; [ -n "$KDT" ] && printf '\n# lab scenario %s\n%s\n' "$S" "$KDT"; } >"$ov/etc/default/kdump-tools"
    cp "$R/etc/default/grub.d/kdump-tools.cfg" "$ov/etc/default/grub.d/kdump-tools.cfg"
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
cpio_of() { (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0); }
cp -a "$ov" "$OUT/etc"
# The capture initramfs: the base image plus the same /etc (a real capture environment reads the host's).
cat "$IMG/capture-base.cpio.gz" <(cpio_of "$ov") >"$OUT/capture-initrd.img"
# dom0 gets the capture initramfs where the family's loader looks for it.
dv=$OUT/dom0-overlay
rm -rf "$dv"
cp -a "$ov" "$dv"
if [ "$FAMILY" = debian ]; then
  mkdir -p "$dv/var/lib/kdump"
  cp "$OUT/capture-initrd.img" "$dv/var/lib/kdump/initrd.img-$KV"
  cp "$R/etc/kdump/sysctl.conf" "$dv/var/lib/kdump/latest_sysctls-$KV" # else kdump-config load deletes the initrd
  # The links kdump-tools' postinst and kernel hook create at install time (`kdump-config symlinks`).
  ln -s "/boot/vmlinuz-$KV" "$dv/var/lib/kdump/vmlinuz"
  ln -s "/var/lib/kdump/initrd.img-$KV" "$dv/var/lib/kdump/initrd.img"
else
  mkdir -p "$dv/boot"
  cp "$OUT/capture-initrd.img" "$dv/boot/initramfs-${KV}kdump.img"
fi
cat "$IMG/dom0-base.cpio.gz" <(cpio_of "$dv") >"$OUT/dom0-initrd.img"
rm -rf "$dv" "$ov"

# ---- disks: vda = the lab's own record, vdb = the dump target
truncate -s 64M "$OUT/lab.img"
truncate -s 3G "$OUT/dump.img"
if [ "$DUMP_DISK" = ext4 ]; then
  mkfs.ext4 -q -F -L kdump -E lazy_itable_init=0,lazy_journal_init=0 "$OUT/dump.img" >/dev/null
fi

# ---- boot
QEMU=(qemu-system-x86_64 -machine pc -accel tcg -cpu "${LAB_CPU:-max,-smap}" -smp 2 -m "$MEM"
  -display none -vga none -monitor none -nic none -no-reboot
  -serial "file:$OUT/serial.log"
  -kernel "$IMG/xen" -append "$XEN"
  -initrd "$IMG/vmlinuz $DOM0,$OUT/dom0-initrd.img"
  -drive "file=$OUT/lab.img,format=raw,if=virtio"
  -drive "file=$OUT/dump.img,format=raw,if=virtio")
printf '%q ' "${QEMU[@]}" >"$OUT/qemu.cmd"
echo >>"$OUT/qemu.cmd"
: >"$OUT/serial.log"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
T0=$(now)
"${QEMU[@]}" </dev/null >"$OUT/qemu.out" 2>&1 &
QPID=$!
T_MARK="" T_CRASH="" T_KEXEC="" STOP="" LASTCPU="" IDLE=0 LASTSIZE=0 LASTGROW=$T0 QCPU=0
while kill -0 "$QPID" 2>/dev/null; do
  sleep 1
  t=$(now)
  [ -z "$T_MARK" ] && grep -q '^LAB: ===== triggering crash' "$OUT/serial.log" && T_MARK=$t
  [ -z "$T_CRASH" ] && grep -q 'Hardware Dom0 crashed' "$OUT/serial.log" && T_CRASH=$t
  [ -z "$T_KEXEC" ] && grep -q 'Executing kexec image' "$OUT/serial.log" && T_KEXEC=$t
  # QEMU's CPU time so far (utime + stime, in clock ticks): a measure of the work that load elsewhere
  # on the machine does not inflate, unlike the wall time.
  QCPU=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat" 2>/dev/null || echo "$QCPU")
  size=$(stat -c %s "$OUT/serial.log")
  if [ "$size" != "$LASTSIZE" ]; then LASTSIZE=$size; LASTGROW=$t; fi
  if grep -q "'noreboot' set - not rebooting" "$OUT/serial.log"; then
    sleep 2; STOP=xen-halted; break
  fi
  if [ -n "$T_KEXEC" ]; then
    cpu=$(awk '{ print $14 + $15 }' "/proc/$QPID/stat" 2>/dev/null || echo gone)
    if [ "$cpu" = "$LASTCPU" ]; then IDLE=$((IDLE + 1)); else IDLE=0; LASTCPU=$cpu; fi
    if [ "$IDLE" -ge "$IDLE_SECS" ]; then STOP=idle-after-kexec; break; fi
    # Silence counts only until the capture initramfs is up: a collector may work quietly for minutes.
    if ! grep -q '^KDUMP: ===== crash kernel init up' "$OUT/serial.log" && [ "$(since "$LASTGROW" "$t" | cut -d. -f1)" -ge "$SILENT_SECS" ]; then
      STOP=silent-after-kexec; break
    fi
  fi
  if [ "$(since "$T0" "$t" | cut -d. -f1)" -ge "$RUN_TIMEOUT" ]; then STOP=timeout; break; fi
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
  printf 'family\t%s\n' "$FAMILY"
  printf 'service\t%s\n' "$SERVICE"
  printf 'dump_disk\t%s\n' "$DUMP_DISK"
  printf 'title\t%s\n' "$TITLE"
  printf 'setup\t%s\n' "$SETUP"
  printf 'want_failed\t%s\n' "$WANT_FAILED"
  printf 'want_cause\t%s\n' "$WANT_CAUSE"
  printf 'want_also\t%s\n' "$WANT_ALSO"
} >"$OUT/run.tsv"
rm -f "$OUT/dom0-initrd.img"
lab_log "$S: $STOP after $(since "$T0" "$T_END") s"
