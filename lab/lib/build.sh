#!/bin/bash
# Builds the lab's boot images from the unpacked packages in $LAB_WORK/root (lib/fetch.sh):
#   $LAB_WORK/img/xen                 Xen 4.17, gunzipped: QEMU's -kernel loads its 32-bit multiboot ELF
#   $LAB_WORK/img/vmlinuz             the Debian kernel, for dom0 and for the capture kernel alike
#   $LAB_WORK/img/dom0-base.cpio.gz   dom0's initramfs: busybox, dash, the Xen tools, kexec-tools, the
#                                     project's collector, lab/guest/dom0-init as /init
#   $LAB_WORK/img/capture-base.cpio.gz  the capture kernel's initramfs: busybox, makedumpfile,
#                                     lab/guest/capture-init as /init
#   $LAB_WORK/img/native-base.cpio.gz the same host as dom0-base without Xen (scenario NATIVE)
#   $LAB_WORK/img/kdumplab.ko         the lab's test module (lab/guest/kdumplab: an Oops or a hang on
#                                     demand), built against the matching linux-headers ($LAB_WORK/kbuild)
#                                     and loaded only inside the guest
#   $LAB_WORK/img/kdump-tools/        Debian's kdump-config and what it needs, added per Debian scenario
# Per scenario, lib/boot.sh appends a small uncompressed cpio (the scenario's /etc files) to both: the
# kernel unpacks concatenated archives in order, later files winning.
# Rebuilt only when an input changed (the payload, the headers, lab/guest/*, the collector).
set -euo pipefail
. "$(dirname "$0")/common.sh"

R=$LAB_WORK/root
KV=$(cat "$LAB_WORK/kernel-version")
MODDIR=$R/lib/modules/$KV/kernel
IMG=$LAB_WORK/img
B=$LAB_WORK/build
COLLECTOR=$REPO_DIR/collector/kdumpcheck-collect.sh
[ -f "$R/boot/vmlinuz-$KV" ] || lab_die "no kernel $KV in $R (run lib/fetch.sh)"
[ -f "$COLLECTOR" ] || lab_die "no collector at $COLLECTOR"

KB=$LAB_WORK/kbuild
[ -f "$KB/headers-package" ] || lab_die "no kernel headers in $KB (run lib/fetch.sh)"
inputs=$( { cat "$R/.debs" "$KB/.debs"; echo "$KV"; find "$LAB_DIR/guest" -type f | LC_ALL=C sort | xargs cat; cat "$LAB_DIR"/lib/build.sh "$COLLECTOR"; } | sha256sum | cut -c1-16)
if [ "$(cat "$IMG/.inputs" 2>/dev/null)" = "$inputs" ] && [ -f "$IMG/dom0-base.cpio.gz" ] && [ -f "$IMG/capture-base.cpio.gz" ] && [ -f "$IMG/native-base.cpio.gz" ]; then
  lab_log "images up to date ($IMG)"
  exit 0
fi
lab_log "building images for kernel $KV"
rm -rf "$B" "$IMG"
mkdir -p "$B" "$IMG"
zcat "$R/boot/xen-4.17-amd64.gz" >"$IMG/xen"
cp "$R/boot/vmlinuz-$KV" "$IMG/vmlinuz"

LIBPATH=$R/usr/lib/x86_64-linux-gnu:$R/lib/x86_64-linux-gnu

# add_bin TREE SRC [DEST]: a program and every shared library it needs (as ldd resolves them against the
# unpacked packages first), libraries taken from the unpacked packages, the host's only as a last resort.
add_bin() {
  local tree=$1 src=$2 dest=${3:-/bin/$(basename "$2")} lib name
  mkdir -p "$tree$(dirname "$dest")" "$tree/lib/x86_64-linux-gnu" "$tree/lib64"
  cp -L "$src" "$tree$dest"
  if LD_LIBRARY_PATH=$LIBPATH ldd "$src" 2>&1 | grep -q 'not found'; then
    LD_LIBRARY_PATH=$LIBPATH ldd "$src" >&2
    lab_die "$src needs a library that is neither unpacked nor on the host (add its package to lib/fetch.sh)"
  fi
  LD_LIBRARY_PATH=$LIBPATH ldd "$src" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3}' | while read -r lib; do
    name=$(basename "$lib")
    if [ -e "$R/lib/x86_64-linux-gnu/$name" ]; then cp -Ln "$R/lib/x86_64-linux-gnu/$name" "$tree/lib/x86_64-linux-gnu/"
    elif [ -e "$R/usr/lib/x86_64-linux-gnu/$name" ]; then cp -Ln "$R/usr/lib/x86_64-linux-gnu/$name" "$tree/lib/x86_64-linux-gnu/"
    else cp -Ln "$lib" "$tree/lib/x86_64-linux-gnu/"; fi
  done
  if [ -e "$R/lib64/ld-linux-x86-64.so.2" ]; then cp -Ln "$R/lib64/ld-linux-x86-64.so.2" "$tree/lib64/"
  else cp -Ln "$R/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$tree/lib64/"; fi
}

# add_modules TREE NAME...: the named modules and everything they depend on (modinfo's depends=, read
# from the .ko itself: the package ships no modules.dep), copied flat into /lib/modules/lab with a
# load order in /lib/modules/lab/order.
declare -A KO_PATH=()
while IFS= read -r f; do
  n=$(basename "$f" .ko); KO_PATH[${n//-/_}]=$f
done < <(find "$MODDIR" -name '*.ko')
add_modules() {
  local tree=$1; shift
  local -a order=()
  local -A seen=()
  visit() {
    local n=${1//-/_} dep deps
    [ -n "${seen[$n]:-}" ] && return 0
    seen[$n]=1
    [ -n "${KO_PATH[$n]:-}" ] || lab_die "no module $n in $MODDIR"
    deps=$(tr '\0' '\n' <"${KO_PATH[$n]}" | sed -n 's/^depends=//p' | head -n 1)
    for dep in ${deps//,/ }; do visit "$dep"; done
    order+=("$n")
  }
  for m in "$@"; do visit "$m"; done
  mkdir -p "$tree/lib/modules/lab"
  : >"$tree/lib/modules/lab/order"
  for n in "${order[@]}"; do
    cp "${KO_PATH[$n]}" "$tree/lib/modules/lab/$n.ko"
    echo "$n" >>"$tree/lib/modules/lab/order"
  done
}

# A busybox tree: /bin/busybox plus a link for every applet it has (busybox-static: no libraries).
base_tree() {
  local tree=$1 a
  mkdir -p "$tree"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,mnt,root,etc,var/lib,var/log,var/crash,lib/modules}
  ln -s ../run "$tree/var/run"
  cp "$R/bin/busybox" "$tree/bin/busybox"
  for a in $("$R/bin/busybox" --list); do
    case $a in
      # busybox's rpm would answer the collector's `rpm -q` probe: a Debian host has no rpm.
      busybox | rpm | rpm2cpio | sh) ;;
      *) [ -e "$tree/bin/$a" ] || ln -s busybox "$tree/bin/$a" ;;
    esac
  done
  # /bin/sh is dash, as on Debian (the collector is run with `busybox ash` explicitly)
  add_bin "$tree" "$R/bin/dash" /bin/dash
  ln -s dash "$tree/bin/sh"
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$tree/etc/passwd"
  printf 'root:x:0:\n' >"$tree/etc/group"
  cp "$LAB_DIR/guest/lab-lib.sh" "$tree/lib/lab-lib.sh"
}

# Debian kdump-tools 1.8.1 as packaged: kdump-config unmodified, its sysctl file and grub drop-in, plus
# the two things it needs that a full Debian has and an initramfs lacks: /lib/lsb/init-functions (a
# small stand-in printing the same "[ ok ]"/"[FAIL]" leaders) and file(1) (only asked "is it ELF?").
add_kdump_tools() {
  local tree=$1
  mkdir -p "$tree/usr/sbin" "$tree/usr/bin" "$tree/etc/kdump" "$tree/etc/default/grub.d" "$tree/var/lib/kdump" "$tree/lib/lsb"
  cp "$R/usr/sbin/kdump-config" "$tree/usr/sbin/kdump-config"
  cp "$R/etc/kdump/sysctl.conf" "$tree/etc/kdump/sysctl.conf"
  cp "$LAB_DIR/guest/lsb-init-functions" "$tree/lib/lsb/init-functions"
  cp "$LAB_DIR/guest/file" "$tree/usr/bin/file"
  chmod 755 "$tree/usr/bin/file" "$tree/usr/sbin/kdump-config"
}

# pack TREE OUT.cpio.gz: padded with NULs to a multiple of 4 bytes, because the kernel looks for a
# further (appended, uncompressed) cpio only at a 4-byte boundary after the gzip stream; otherwise it
# prints "Initramfs unpacking failed: invalid magic at start of compressed archive" and ignores it.
pack() {
  (cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -1) >"$2"
  truncate -s %4 "$2"
}

########## the test module (lab/guest/kdumplab), against the matching linux-headers ##########
# Built here, loaded only inside the guest by dom0's /init (never on this machine).
HDIR=$KB/usr/src/$(cat "$KB/headers-package")
# The arch headers' Makefile includes the common one by its installed, absolute path: point it at ours.
sed -i "s|^include .*/\(linux-headers-[^/]*-common\)/Makefile\$|include $KB/usr/src/\1/Makefile|" "$HDIR/Makefile"
# The compiler the kernel was built with (.kernelvariables: CC = ... gcc-12): a host tool, as qemu is.
CCNAME=$(sed -n 's/^CC = .*(CROSS_COMPILE)\(gcc-[0-9]*\).*/\1/p' "$HDIR/.kernelvariables")
[ -n "$CCNAME" ] || lab_die "cannot tell the kernel's compiler from $HDIR/.kernelvariables"
# (kbuild's objtool links libelf.so.1)
if ! command -v "$CCNAME" >/dev/null || ! command -v make >/dev/null || ! ldconfig -p | grep -q 'libelf\.so\.1 '; then
  lab_apt_update_once
  lab_log "apt-get install $CCNAME make libelf1 (to build the lab's test module)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "$CCNAME" make libc6-dev libelf1 >/dev/null || lab_die "apt-get install $CCNAME make libelf1 failed"
fi
cp -r "$LAB_DIR/guest/kdumplab" "$B/kdumplab"
if ! make -C "$HDIR" M="$B/kdumplab" modules >"$B/kdumplab.log" 2>&1; then
  cat "$B/kdumplab.log" >&2
  lab_die "building the test module failed"
fi
grep -qa "vermagic=$KV " "$B/kdumplab/kdumplab.ko" || lab_die "kdumplab.ko was not built for $KV"
cp "$B/kdumplab/kdumplab.ko" "$IMG/kdumplab.ko"

########## capture kernel initramfs ##########
C=$B/capture
base_tree "$C"
add_modules "$C" virtio_pci virtio_blk crc32c_generic ext4
add_bin "$C" "$R/usr/bin/makedumpfile" /usr/bin/makedumpfile
add_bin "$C" "$R/sbin/vmcore-dmesg" /sbin/vmcore-dmesg
cp "$LAB_DIR/guest/capture-init" "$C/init"
cp "$LAB_DIR/guest/rhel-kdump" "$C/usr/sbin/lab-rhel-kdump"
chmod 755 "$C/init" "$C/usr/sbin/lab-rhel-kdump"

########## dom0 initramfs ##########
D=$B/dom0
base_tree "$D"
add_modules "$D" xen-privcmd xenfs xen-evtchn xen-gntdev virtio_pci virtio_blk crc32c_generic ext4
add_bin "$D" "$R/sbin/kexec" /sbin/kexec
# kdump-tools depends on makedumpfile: a Debian host has it installed (and the image's dpkg database says so)
add_bin "$D" "$R/usr/bin/makedumpfile" /usr/bin/makedumpfile
XB=$R/usr/lib/xen-4.17/bin
add_bin "$D" "$XB/xl" /usr/sbin/xl
add_bin "$D" "$XB/xenstored" /usr/sbin/xenstored
add_bin "$D" "$XB/xen-init-dom0" /usr/sbin/xen-init-dom0
mkdir -p "$D/etc/xen" "$D/var/lib/xen" "$D/var/lib/xenstored" "$D/var/log/xen"
cp -a "$R/etc/xen/." "$D/etc/xen/" 2>/dev/null || true
mkdir -p "$D/etc/default/grub.d"
cp "$R/etc/default/grub.d/xen.cfg" "$D/etc/default/grub.d/xen.cfg"
# The kernel as Debian installs it (kdump-config and the collector's ls-boot look in /boot).
mkdir -p "$D/boot"
cp "$R/boot/vmlinuz-$KV" "$D/boot/vmlinuz-$KV"
cp "$R/boot/config-$KV" "$D/boot/config-$KV"
cp "$R/boot/System.map-$KV" "$D/boot/System.map-$KV"
# Xen itself is loaded by QEMU; /boot keeps it as installed.
cp "$R/boot/xen-4.17-amd64.gz" "$R/boot/xen-4.17-amd64.config" "$D/boot/"
# Debian's release files: the host really is Debian 12 with these packages.
cp /etc/os-release "$D/etc/os-release" 2>/dev/null || true
cp "$R/etc/debian_version" "$D/etc/debian_version" 2>/dev/null || cp /etc/debian_version "$D/etc/debian_version"
# The project's collector, unmodified.
mkdir -p "$D/usr/share/kdumpcheck"
cp "$COLLECTOR" "$D/usr/share/kdumpcheck/kdumpcheck-collect.sh"
cp "$LAB_DIR/guest/dom0-init" "$D/init"
cp "$LAB_DIR/guest/rhel-kdump" "$D/usr/sbin/lab-rhel-kdump"
chmod 755 "$D/init" "$D/usr/sbin/lab-rhel-kdump"
# The test module, outside the load order: dom0's /init loads it only as a scenario's trigger.
cp "$IMG/kdumplab.ko" "$D/lib/modules/lab/kdumplab.ko"

########## native initramfs: the same host without Xen ##########
# dom0's tree minus the hypervisor, its tools and its modules: a plain Debian host booting the same
# kernel on bare metal (scenario NATIVE).
N=$B/native
cp -a "$D" "$N"
rm -rf "$N/usr/sbin/xl" "$N/usr/sbin/xenstored" "$N/usr/sbin/xen-init-dom0" "$N/etc/xen" "$N/var/lib/xen" \
  "$N/var/lib/xenstored" "$N/var/log/xen" "$N/etc/default/grub.d/xen.cfg" "$N"/boot/xen-* "$N/lib/modules/lab"
add_modules "$N" virtio_pci virtio_blk crc32c_generic ext4
cp "$IMG/kdumplab.ko" "$N/lib/modules/lab/kdumplab.ko"
pack "$C" "$IMG/capture-base.cpio.gz"
pack "$D" "$IMG/dom0-base.cpio.gz"
pack "$N" "$IMG/native-base.cpio.gz"
# kdump-tools is installed per scenario (lib/boot.sh copies this tree into the Debian scenarios' overlay),
# so that a RHEL-style dom0 has no kdump-config for the collector to find.
add_kdump_tools "$IMG/kdump-tools"
echo "$KV" >"$IMG/kernel-version"
echo "$inputs" >"$IMG/.inputs"
lab_log "images: $(cd "$IMG" && ls -l --block-size=K xen vmlinuz dom0-base.cpio.gz native-base.cpio.gz capture-base.cpio.gz kdumplab.ko | awk '{print $NF" "$5}' | tr '\n' ' ')"
