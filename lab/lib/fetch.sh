#!/bin/bash
# Downloads the guest payload from the Debian archive with `apt-get download` and unpacks every package
# with `dpkg -x` into $LAB_WORK/root. Nothing is installed on the host. Idempotent: a package already in
# $LAB_WORK/debs is not downloaded again; the unpacked tree is rebuilt when the set of .debs changes.
set -euo pipefail
. "$(dirname "$0")/common.sh"

mkdir -p "$LAB_WORK/debs"
lab_apt_update_once

# The kernel: the one linux-image-amd64 points at on this Debian release (override with LAB_KERNEL_PKG).
KPKG=${LAB_KERNEL_PKG:-$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1)}
[ -n "$KPKG" ] || lab_die "cannot tell the current linux-image-*-amd64 (apt-cache depends linux-image-amd64 printed none)"

# Xen 4.17 hypervisor and the tools libraries xl, xenstored and xen-init-dom0 link against; kexec-tools,
# makedumpfile and busybox for both initramfs images; kdump-tools for its real kdump-config script.
PKGS=(
  xen-hypervisor-4.17-amd64 xen-hypervisor-common xen-utils-4.17 xen-utils-common
  libxencall1 libxendevicemodel1 libxenevtchn1 libxenforeignmemory1 libxengnttab1 libxenhypfs1
  libxenmisc4.17 libxenstore4 libxentoolcore1 libxentoollog1 libyajl2 liblzo2-2 libfdt1 libgnutls30
  libnl-3-200 libnl-route-3-200
  "$KPKG" kexec-tools busybox-static makedumpfile kdump-tools
  # Debian's /bin/sh: kdump-config is written for it (under busybox ash `command -v sysctl` answers a
  # bare applet name and kdump-config then says "sysctl binary not available")
  dash
  # the C library and the base libraries those programs link against, so that the images do not
  # depend on what happens to be installed on the host
  libc6 libdw1 libelf1 libbz2-1.0 liblzma5 libzstd1 zlib1g libuuid1
)
missing=()
for p in "${PKGS[@]}"; do
  ls "$LAB_WORK/debs/${p}_"*.deb >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  lab_log "apt-get download ${missing[*]}"
  (cd "$LAB_WORK/debs" && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}" >/dev/null) || lab_die "apt-get download failed"
fi

stamp=$(cd "$LAB_WORK/debs" && ls -1 ./*.deb | sort | sha256sum | cut -c1-16)
if [ "$(cat "$LAB_WORK/root/.debs" 2>/dev/null)" != "$stamp" ]; then
  lab_log "unpacking $(ls "$LAB_WORK"/debs/*.deb | wc -l) packages into $LAB_WORK/root (dpkg -x, nothing installed)"
  rm -rf "$LAB_WORK/root"
  mkdir -p "$LAB_WORK/root"
  for d in "$LAB_WORK"/debs/*.deb; do dpkg -x "$d" "$LAB_WORK/root"; done
  # What each package is, for the guest's dpkg status database and RESULTS.md.
  for d in "$LAB_WORK"/debs/*.deb; do
    dpkg-deb -f "$d" Package Version Architecture
    echo
  done > "$LAB_WORK/root/.packages"
  echo "$stamp" > "$LAB_WORK/root/.debs"
fi
echo "${KPKG#linux-image-}" > "$LAB_WORK/kernel-version"

# The matching linux-headers (and the kbuild tools they link to), for the lab's test module
# (lab/guest/kdumplab/, built by lib/build.sh and loaded only inside the guest). Unpacked on their own
# into $LAB_WORK/kbuild, so that the guest's tree above does not change with them.
KV=${KPKG#linux-image-}
HPKG=linux-headers-$KV
KBPKG=$(apt-cache depends "$HPKG" 2>/dev/null | sed -n 's/^ *Depends: \(linux-kbuild-[0-9.]*\)$/\1/p' | head -n 1)
HCOMMON=$(apt-cache depends "$HPKG" 2>/dev/null | sed -n 's/^ *Depends: \(linux-headers-[^ ]*-common\)$/\1/p' | head -n 1)
[ -n "$KBPKG" ] && [ -n "$HCOMMON" ] || lab_die "cannot tell the kbuild and common headers packages of $HPKG (apt-cache depends $HPKG)"
mkdir -p "$LAB_WORK/debs-kbuild"
missing=()
for p in "$HPKG" "$HCOMMON" "$KBPKG"; do
  ls "$LAB_WORK/debs-kbuild/${p}_"*.deb >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  lab_log "apt-get download ${missing[*]}"
  (cd "$LAB_WORK/debs-kbuild" && apt-get download -q -o APT::Sandbox::User=root "${missing[@]}" >/dev/null) || lab_die "apt-get download failed"
fi
kstamp=$(cd "$LAB_WORK/debs-kbuild" && ls -1 ./*.deb | sort | sha256sum | cut -c1-16)
if [ "$(cat "$LAB_WORK/kbuild/.debs" 2>/dev/null)" != "$kstamp" ]; then
  lab_log "unpacking $HPKG, $HCOMMON and $KBPKG into $LAB_WORK/kbuild (dpkg -x, nothing installed)"
  rm -rf "$LAB_WORK/kbuild"
  mkdir -p "$LAB_WORK/kbuild"
  for d in "$LAB_WORK"/debs-kbuild/*.deb; do dpkg -x "$d" "$LAB_WORK/kbuild"; done
  echo "$kstamp" > "$LAB_WORK/kbuild/.debs"
fi
echo "$HPKG" > "$LAB_WORK/kbuild/headers-package"
lab_log "payload ready: kernel $(cat "$LAB_WORK/kernel-version"), Xen $(ls "$LAB_WORK"/debs/xen-hypervisor-4.17-amd64_*.deb | sed 's/.*_\(.*\)_amd64.deb/\1/')"
