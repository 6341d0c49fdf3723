# shellcheck shell=bash
# Shared by the lab's host-side scripts (sourced). Bash.
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$LAB_DIR/.." && pwd)
LAB_WORK=${LAB_WORK:-$LAB_DIR/work}
mkdir -p "$LAB_WORK"
LAB_WORK=$(cd "$LAB_WORK" && pwd)
export LAB_DIR REPO_DIR LAB_WORK

lab_log() { printf '[lab %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
lab_die() { lab_log "ERROR: $*"; exit 2; }

# apt-get update at most once per hour of lab runs (apt-cache and apt-get download need fresh lists).
lab_apt_update_once() {
  local mark=$LAB_WORK/.apt-updated
  if [ -z "$(find "$mark" -mmin -60 2>/dev/null)" ]; then
    lab_log "apt-get update"
    apt-get update -qq >/dev/null || lab_die "apt-get update failed"
    touch "$mark"
  fi
}
