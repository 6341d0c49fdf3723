#!/bin/bash
# kdumpcheck's ground-truth lab: boots the real Debian Xen 4.17 hypervisor with a Debian Linux dom0 (or
# the same kernel natively) under QEMU software emulation, runs the project's collector, makes the host
# fail as the scenario says (sysrq-c, an Oops, a hang, an NMI), and holds `kdumpcheck check`'s
# prediction, `check --root` on the host's image, and `kdumpcheck explain`'s reading of the console
# against what really happened (did a capture kernel run, is there a vmcore on the dump disk).
#
#   bash lab/run-lab.sh                      # every scenario (lab/scenarios.sh)
#   LAB_SCENARIOS="A B B-kdt C D" bash lab/run-lab.sh
#   LAB_JOBS=1 bash lab/run-lab.sh          # one QEMU at a time (default 2)
#
# Needs root on Debian 12 (apt-get installs the host tools it lacks; the guest's packages are only
# downloaded and unpacked into $LAB_WORK, default lab/work/). Writes lab/RESULTS.md (LAB_RESULTS=path to
# write elsewhere) and exits 0 when every scenario agrees, 1 when any disagrees or is not evidence, 2 when
# the lab itself could not run. See lab/README.md.
set -euo pipefail
main() {
. "$(dirname "$0")/lib/common.sh"
. "$LAB_DIR/scenarios.sh"

SCENARIOS=${LAB_SCENARIOS:-$LAB_ALL_SCENARIOS}
for s in $SCENARIOS; do
  declare -F "scenario_$s" >/dev/null || lab_die "unknown scenario '$s' (known: $LAB_ALL_SCENARIOS)"
done
[ "$(id -u)" = 0 ] || lab_die "the lab needs root (apt-get for host tools)"
T_START=$(date +%s)

# ---- host tools
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v cpio >/dev/null || need+=(cpio)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v debugfs >/dev/null || need+=(e2fsprogs)
command -v dpkg-deb >/dev/null || need+=(dpkg)
command -v gzip >/dev/null || need+=(gzip)
if [ ${#need[@]} -gt 0 ]; then
  lab_apt_update_once
  lab_log "apt-get install ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=600 --no-install-recommends "${need[@]}" >/dev/null || lab_die "apt-get install failed"
fi

# ---- kdumpcheck itself (a fresh clone has no dist/)
if [ ! -f "$REPO_DIR/dist/commands/check.js" ] || [ ! -f "$REPO_DIR/dist/commands/explain.js" ]; then
  [ -d "$REPO_DIR/node_modules" ] || (cd "$REPO_DIR" && npm ci --no-audit --no-fund)
  lab_log "npm run build (dist/ is missing)"
  (cd "$REPO_DIR" && npm run build >/dev/null) || lab_die "npm run build failed"
fi

# ---- payload and images
bash "$LAB_DIR/lib/fetch.sh"
bash "$LAB_DIR/lib/build.sh"
T_READY=$(date +%s)

# ---- the scenarios, LAB_JOBS at a time (default 2). A TCG guest keeps about one host core busy (its
# capture kernel runs on one CPU, dom0 is mostly idle on its second), so two at a time on two cores
# nearly halve the matrix. The longest (the dumps, the hangs) start first.
JOBS=${LAB_JOBS:-2}
RUNS=$LAB_WORK/runs/$(date +%Y%m%d-%H%M%S)
mkdir -p "$RUNS"
ln -sfn "$RUNS" "$LAB_WORK/runs/latest"
run_one() {
  local s=$1
  if bash "$LAB_DIR/lib/boot.sh" "$s" "$RUNS/$s" >"$RUNS/$s.boot.log" 2>&1; then
    local rc=0
    node "$LAB_DIR/lib/analyze.mjs" "$RUNS/$s" >"$RUNS/$s.summary" 2>&1 || rc=$?
    echo "$rc" >"$RUNS/$s.rc"
  else
    echo "$s: boot failed: $(tail -n 3 "$RUNS/$s.boot.log" | tr '\n' ' ')" >"$RUNS/$s.summary"
    echo 1 >"$RUNS/$s.rc"
  fi
  # The dump disk is up to 3 GiB (sparse): keep it only when asked.
  # So is the image tree (check --root read it; it holds a copy of the initramfs).
  [ -n "${LAB_KEEP_DISKS:-}" ] || rm -rf "$RUNS/$s/dump.img" "$RUNS/$s/capture-initrd.img" "$RUNS/$s/image"
  cat "$RUNS/$s.summary"
}
LONGEST="B-filter B FIXED NATIVE HUNG-PANIC OOPS-PANIC NMI D HUNG"
ordered=""
for s in $LONGEST; do case " $SCENARIOS " in *" $s "*) ordered="$ordered $s" ;; esac; done
for s in $SCENARIOS; do case " $LONGEST " in *" $s "*) ;; *) ordered="$ordered $s" ;; esac; done
lab_log "scenarios:$ordered ($JOBS at a time)"
for s in $ordered; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n || true; done
  run_one "$s" &
done
wait
status=0
for s in $SCENARIOS; do
  cat "$RUNS/$s.summary" >>"$RUNS/summary.txt" 2>/dev/null
  [ "$(cat "$RUNS/$s.rc" 2>/dev/null)" = 0 ] || status=1
done
T_END=$(date +%s)

LAB_SCENARIOS="$SCENARIOS" node "$LAB_DIR/lib/report.mjs" "$RUNS" "${LAB_RESULTS:-$LAB_DIR/RESULTS.md}" "$((T_END - T_START))" "$((T_READY - T_START))" || status=1
lab_log "matrix: $((T_END - T_START)) s in all ($((T_READY - T_START)) s fetch and build), runs in $RUNS"
if [ $status -eq 0 ]; then lab_log "every scenario agrees"; else lab_log "DISAGREEMENT (see ${LAB_RESULTS:-$LAB_DIR/RESULTS.md})"; fi
exit $status
}
# (one function, read whole before it runs: editing this file cannot disturb a run in progress)
main "$@"
