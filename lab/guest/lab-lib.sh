# shellcheck shell=sh
# Shared by the lab's guest scripts (dash or busybox ash). Everything the lab prints goes to the console with a
# marker, LAB: in dom0 and KDUMP: in the capture kernel, in the transcript form `kdumpcheck explain`
# reads: `----- <command>` before a command, its output indented by two spaces, `exit status: N` after.
MARK=${MARK:-LAB}

say() { echo "$MARK: $*"; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

# shown COMMAND [NOTE]: runs COMMAND under sh, prints it (and the note) and its output as a transcript.
shown() {
  echo "$MARK: ----- $1${2:+  ($2)}"
  sh -c "$1" >/tmp/shown.out 2>&1
  _rc=$?
  sed "s/^/$MARK:   /" /tmp/shown.out
  echo "$MARK:   exit status: $_rc"
  return $_rc
}

# load_modules: the modules the image was built with, in dependency order.
load_modules() {
  while read -r m; do
    insmod "/lib/modules/lab/$m.ko" 2>/tmp/insmod.err || sed "s/^/$MARK: insmod $m: /" /tmp/insmod.err
  done </lib/modules/lab/order
}

wait_for_block() { # DEVICE SECONDS
  _n=0
  while [ ! -b "$1" ] && [ "$_n" -lt "$2" ]; do sleep 1; _n=$((_n + 1)); done
  [ -b "$1" ]
}

# The lab disk (/dev/vda, raw): a 4 KiB text header at 0 and the snapshot from 1 MiB (written by dom0),
# a 4 KiB text header at 32 MiB (written by the capture kernel).
LAB_DISK=/dev/vda
write_header() { # OFFSET_IN_4K_BLOCKS FILE
  dd if="$2" of="$LAB_DISK" bs=4096 count=1 seek="$1" conv=sync,notrunc 2>/dev/null
}
