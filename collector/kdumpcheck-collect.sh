#!/bin/sh
# kdumpcheck-collect: gathers the evidence kdumpcheck needs from a live host and writes it to
# standard output as a kdumpcheck-snapshot/1 (docs: ARCHITECTURE.md) packed as a gzip'd tar stream.
#
#   sh kdumpcheck-collect.sh [--probe-timeout N] [--deadline N] > host.tar.gz
#   ssh root@host sh -s -- --deadline 60 < kdumpcheck-collect.sh > host.tar.gz
#
# It is read-only on the host: it reads files, runs a fixed list of read-only query commands, and
# writes only inside a private temporary directory (mode 700) that it removes on exit, also on
# SIGINT, SIGTERM and SIGHUP. It never reads its standard input (the script itself may arrive there).
# Portable POSIX sh: it must run unchanged under bash 3.2 (RHEL 5), dash and busybox ash.
# See collector/README.md for the rules it follows and the test hooks.

KDC_NAME=kdumpcheck-collect
KDC_VERSION=0.1.0

# A file larger than this keeps only its head (the snapshot reader applies the same cap).
KDC_CAP=8388608
# Seconds between SIGTERM and SIGKILL for a probe that outlives its timeout.
KDC_GRACE=1

IFS=' 	
'
LC_ALL=C
LANG=C
export LC_ALL LANG
unset CDPATH
SYSTEMD_PAGER='cat'
PAGER='cat'
export SYSTEMD_PAGER PAGER
set +m 2>/dev/null

KDC_TMP=
KDC_WORK=
KDC_SNAP=
KDC_CHILD=
KDC_PGRP=
KDC_WATCHDOG=
KDC_SLEEPER=
# Directories already made under files/, one per line.
KDC_DIRS='
'

kdc_usage() {
	cat <<'EOF'
Usage: kdumpcheck-collect.sh [--probe-timeout N] [--deadline N] > snapshot.tar.gz

Writes a kdumpcheck-snapshot/1 (gzip'd tar) of this host's kdump evidence to standard output.

  --probe-timeout N   seconds one probe (or one file read) may take, default 10
                      (env KDUMPCHECK_PROBE_TIMEOUT)
  --deadline N        seconds for the whole collection, default 60; probes not started by then
                      are recorded as 'timeout' without running (env KDUMPCHECK_DEADLINE;
                      --timeout N is an alias)
  --version           print the collector's name and version
  --help              this text

Test hooks, for kdumpcheck's own tests only: KDUMPCHECK_TEST_ROOT=/dir reads every host file under
/dir, KDUMPCHECK_TEST_HOSTNAME and KDUMPCHECK_TEST_COLLECTED_AT override snapshot.json's volatile
fields. A snapshot collected with any of them set says so in its "collector" field.
EOF
}

kdc_die() {
	printf '%s: %s\n' "$KDC_NAME" "$1" >&2
	exit 2
}

# kdc_posint VALUE OPTION: VALUE must be a whole number of seconds, at least 1.
kdc_posint() {
	case $1 in
	'' | *[!0-9]*) kdc_die "$2 needs a whole number of seconds, not '$1'" ;;
	esac
	[ "$1" -ge 1 ] 2>/dev/null || kdc_die "$2 needs at least 1 second"
	[ "${#1}" -le 6 ] || kdc_die "$2 is too large"
}

# ---------------------------------------------------------------------------------------------
# Killing, watchdogs and bounded execution

# kdc_kill SIGNAL PID: the probe's whole process group when it has one of its own, else the PID.
# shellcheck disable=SC2317 # used by kdc_cleanup, from traps
kdc_kill() {
	if [ -n "$KDC_PGRP" ]; then
		kill -"$1" -"$2" 2>/dev/null || kill -"$1" "$2" 2>/dev/null
	else
		kill -"$1" "$2" 2>/dev/null
	fi
}

# kdc_nap SECONDS: sleeps in one-second steps (the deadline sleeper's fallback, stopped with
# SIGKILL, so at most a one-second `sleep 1` outlives it).
kdc_nap() {
	_kn_n=0
	while [ "$_kn_n" -lt "$1" ]; do
		sleep 1
		_kn_n=$((_kn_n + 1))
	done
}

# The watchdog, a separate `sh` so that it can lead a process group of its own (setsid) and be
# stopped together with its `sleep` by one SIGKILL to the group. Only SIGKILL is used to stop it:
# a process that a shell has just forked can lose a SIGTERM that arrives before it resets its
# handlers. Arguments: SECONDS PID WORKDIR GRACE GROUP(1 or empty) MAINPID. After SECONDS it marks
# the task as timed out, sends SIGTERM to the task's process group, SIGKILL GRACE seconds later,
# and if even that does not end it (a process stuck in the kernel, state D) tells the main shell,
# with SIGUSR1, to stop waiting for it.
# shellcheck disable=SC2016
KDC_WATCHDOG_SH='t=$1 pid=$2 work=$3 grace=$4 group=$5 main=$6
nap() { n=0; while [ "$n" -lt "$1" ]; do sleep 1; n=$((n + 1)); done; }
signal() {
	if [ -n "$group" ]; then kill -"$1" -"$pid" 2>/dev/null || kill -"$1" "$pid" 2>/dev/null
	else kill -"$1" "$pid" 2>/dev/null; fi
}
nap "$t"
: >"$work/fired"
signal TERM
nap "$grace"
kill -0 "$pid" 2>/dev/null || exit 0
signal KILL
nap 2
if kill -0 "$pid" 2>/dev/null; then : >"$work/abandoned"; kill -USR1 "$main" 2>/dev/null; fi
exit 0'

kdc_stop_watchdog() {
	if [ -n "$KDC_WATCHDOG" ]; then
		if [ -n "$KDC_SETSID" ]; then
			kill -KILL -"$KDC_WATCHDOG" 2>/dev/null || kill -KILL "$KDC_WATCHDOG" 2>/dev/null
		else
			kill -KILL "$KDC_WATCHDOG" 2>/dev/null
		fi
		wait "$KDC_WATCHDOG" 2>/dev/null
		KDC_WATCHDOG=
	fi
}

# kdc_run SECONDS OUT ERR COMMAND [ARG...]: runs COMMAND with stdin from /dev/null, stdout and
# stderr into OUT and ERR, bounded by SECONDS. Sets KDC_RC to its exit status or to "timeout".
kdc_run() {
	_kr_t=$1
	_kr_o=$2
	_kr_e=$3
	shift 3
	if [ -f "$KDC_WORK/fired" ] || [ -f "$KDC_WORK/abandoned" ]; then
		rm -f "$KDC_WORK/fired" "$KDC_WORK/abandoned"
	fi
	_kr_wd=$_kr_t
	KDC_PGRP=
	if [ -n "$KDC_TIMEOUT" ]; then
		# GNU timeout puts itself and the command in a new process group and kills that group;
		# the watchdog below is then only a backstop.
		set -- "$KDC_TIMEOUT" -k "$KDC_GRACE" "$_kr_t" "$@"
		_kr_wd=$((_kr_t + KDC_GRACE + 2))
		KDC_PGRP=1
	fi
	if [ -n "$KDC_SETSID" ]; then
		# A background job of a non-interactive shell is no group leader, so setsid execs the
		# command in place: $! is then both its PID and its new process group, in a session
		# without a terminal.
		set -- "$KDC_SETSID" "$@"
		KDC_PGRP=1
	fi
	"$@" </dev/null >"$_kr_o" 2>"$_kr_e" &
	KDC_CHILD=$!
	$KDC_SETSID sh -c "$KDC_WATCHDOG_SH" kdc-watchdog "$_kr_wd" "$KDC_CHILD" "$KDC_WORK" "$KDC_GRACE" \
		"$KDC_PGRP" "$KDC_MAIN" </dev/null >/dev/null 2>&1 &
	KDC_WATCHDOG=$!
	wait "$KDC_CHILD" 2>/dev/null
	_kr_rc=$?
	if [ -f "$KDC_WORK/abandoned" ]; then
		# Still alive after SIGKILL: leave it behind rather than hang with it.
		kdc_stop_watchdog
		KDC_RC=timeout
		KDC_CHILD=
		return
	fi
	kdc_stop_watchdog
	KDC_CHILD=
	if [ -f "$KDC_WORK/fired" ]; then
		KDC_RC=timeout
	elif [ -n "$KDC_TIMEOUT" ] && { [ "$_kr_rc" = 124 ] || [ "$_kr_rc" = 137 ]; }; then
		KDC_RC=timeout
	else
		KDC_RC=$_kr_rc
	fi
}

# kdc_budget: sets KDC_T to the seconds the next task may take, 0 once the deadline has passed.
kdc_budget() {
	if [ -f "$KDC_WORK/deadline" ]; then
		KDC_T=0
		return
	fi
	_kb_left=$KDC_PROBE_TIMEOUT
	if [ -n "$KDC_T0" ]; then
		_kb_now=$(date +%s 2>/dev/null)
		case $_kb_now in
		'' | *[!0-9]*) ;;
		*) _kb_left=$((KDC_T0 + KDC_DEADLINE - _kb_now)) ;;
		esac
	fi
	if [ "$_kb_left" -le 0 ]; then
		KDC_T=0
	elif [ "$_kb_left" -lt "$KDC_PROBE_TIMEOUT" ]; then
		KDC_T=$_kb_left
	else
		KDC_T=$KDC_PROBE_TIMEOUT
	fi
}

# shellcheck disable=SC2317 # invoked from traps
kdc_cleanup() {
	if [ -n "$KDC_CHILD" ]; then
		kdc_kill TERM "$KDC_CHILD"
		if kill -0 "$KDC_CHILD" 2>/dev/null; then
			sleep 1
			kdc_kill KILL "$KDC_CHILD"
		fi
		KDC_CHILD=
	fi
	kdc_stop_watchdog
	if [ -n "$KDC_SLEEPER" ]; then
		kill -KILL "$KDC_SLEEPER" 2>/dev/null
		wait "$KDC_SLEEPER" 2>/dev/null
		KDC_SLEEPER=
	fi
	if [ -n "$KDC_TMP" ] && [ -d "$KDC_TMP" ]; then
		rm -rf "$KDC_TMP"
	fi
	KDC_TMP=
}

# shellcheck disable=SC2317 # invoked from traps
kdc_on_signal() {
	trap '' INT TERM HUP
	kdc_cleanup
	trap - EXIT
	exit "$1"
}

# ---------------------------------------------------------------------------------------------
# Evidence

# kdc_error MESSAGE: one entry of snapshot.json's "errors" (one line, control characters dropped).
kdc_error() {
	printf '%s\n' "$1" | tr -d '\000-\037' >>"$KDC_WORK/errors"
	printf '\n' >>"$KDC_WORK/errors"
}

# kdc_reason FILE: the end of a tool's first error line ("head: cannot open 'x': Permission
# denied" gives "Permission denied"), without the tool's view of the path.
kdc_reason() {
	_kr_line=
	if [ -s "$1" ]; then
		IFS= read -r _kr_line <"$1"
	fi
	_kr_line=${_kr_line##*: }
	[ -n "$_kr_line" ] || _kr_line='read failed'
	printf '%s' "$_kr_line"
}

# kdc_cap FILE WHAT: cuts FILE down to KDC_CAP bytes, noting it in errors.
kdc_cap() {
	[ -s "$1" ] || return 0
	_kc_size=$(wc -c <"$1" 2>/dev/null)
	_kc_size=${_kc_size#"${_kc_size%%[!	 ]*}"}
	case $_kc_size in '' | *[!0-9]*) return 0 ;; esac
	if [ "$_kc_size" -gt "$KDC_CAP" ]; then
		if [ -n "$KDC_HEAD_C" ]; then
			head -c "$KDC_CAP" "$1" >"$KDC_WORK/cut" 2>/dev/null
		else
			dd "if=$1" bs=1024 count=$((KDC_CAP / 1024)) >"$KDC_WORK/cut" 2>/dev/null
		fi && mv -f "$KDC_WORK/cut" "$1"
		kdc_error "$2: larger than $KDC_CAP bytes, only the first $KDC_CAP bytes were kept"
	fi
}

# kdc_file PATH: copies the host file PATH (read under KDUMPCHECK_TEST_ROOT) to files/PATH.
kdc_file() {
	_kf_src=$KDC_ROOT$1
	if [ ! -e "$_kf_src" ]; then
		if [ -L "$_kf_src" ]; then
			kdc_error "$1: a symlink that does not resolve (dangling or a loop), not read"
		fi
		return 0
	fi
	if [ ! -f "$_kf_src" ]; then
		kdc_error "$1: not a regular file, not read"
		return 0
	fi
	if [ ! -r "$_kf_src" ]; then
		kdc_error "$1: could not be read: Permission denied"
		return 0
	fi
	kdc_budget
	if [ "$KDC_T" -le 0 ]; then
		kdc_error "$1: not read, the ${KDC_DEADLINE} s deadline had passed"
		return 0
	fi
	_kf_dst=$KDC_SNAP/files$1
	_kf_dir=${_kf_dst%/*}
	case $KDC_DIRS in
	*"
$_kf_dir
"*) ;;
	*)
		mkdir -p "$_kf_dir" 2>/dev/null
		KDC_DIRS="$KDC_DIRS$_kf_dir
"
		;;
	esac
	if [ -n "$KDC_HEAD_C" ]; then
		kdc_run "$KDC_T" "$_kf_dst" "$KDC_WORK/read.err" head -c "$((KDC_CAP + 1))" "$_kf_src"
	else
		kdc_run "$KDC_T" "$_kf_dst" "$KDC_WORK/read.err" dd "if=$_kf_src" bs=1024 count=$((KDC_CAP / 1024 + 1))
	fi
	if [ "$KDC_RC" = timeout ]; then
		rm -f "$_kf_dst"
		kdc_error "$1: could not be read: timed out after $KDC_T s"
	elif [ "$KDC_RC" != 0 ]; then
		rm -f "$_kf_dst"
		kdc_error "$1: could not be read: $(kdc_reason "$KDC_WORK/read.err")"
	else
		kdc_cap "$_kf_dst" "$1"
	fi
}

# kdc_glob PATTERN: kdc_file for every match of PATTERN (an absolute host path with a glob)
# under the root. A pattern that matches nothing reads nothing.
kdc_glob() {
	# The directory the first wildcard lists: a glob silently matches nothing in a directory it cannot
	# read, but what such a directory holds is unknown evidence, not absent evidence.
	_kg_dir=${1%%[*?[]*}
	_kg_dir=${_kg_dir%/*}
	if [ -d "$KDC_ROOT$_kg_dir" ] && { [ ! -r "$KDC_ROOT$_kg_dir" ] || [ ! -x "$KDC_ROOT$_kg_dir" ]; }; then
		kdc_error "$_kg_dir: could not be read: Permission denied"
	fi
	# shellcheck disable=SC2086 # $1 is one of this script's own patterns, globbed on purpose
	for _kg in "$KDC_ROOT"$1; do
		if [ -e "$_kg" ] || [ -L "$_kg" ]; then
			kdc_file "${_kg#"$KDC_ROOT"}"
		fi
	done
}

# kdc_probe NAME PROGRAM [ARG...]: runs a probe into commands/NAME.{out,err,exit}.
kdc_probe() {
	_kp_name=$1
	shift
	_kp_base=$KDC_SNAP/commands/$_kp_name
	if ! command -v "$1" >/dev/null 2>&1; then
		: >"$_kp_base.out"
		printf 'missing\n' >"$_kp_base.exit"
		return 0
	fi
	kdc_budget
	if [ "$KDC_T" -le 0 ]; then
		: >"$_kp_base.out"
		printf 'timeout\n' >"$_kp_base.exit"
		kdc_error "probe $_kp_name ($*): not run, the ${KDC_DEADLINE} s deadline had passed"
		return 0
	fi
	kdc_run "$KDC_T" "$_kp_base.out" "$_kp_base.err" "$@"
	printf '%s\n' "$KDC_RC" >"$_kp_base.exit"
	if [ "$KDC_RC" = timeout ]; then
		kdc_error "probe $_kp_name ($*): timed out after $KDC_T s"
	fi
	kdc_cap "$_kp_base.out" "commands/$_kp_name.out"
	kdc_cap "$_kp_base.err" "commands/$_kp_name.err"
}

# kdc_ls NAME FLAGS PATH...: the listing probe NAME as `ls -FLAGSq PATH...`. POSIX -q prints each
# byte of a name that ls cannot print as `?`, so no file name (one holding a newline) can start a
# line of the listing and fake an entry. An ls that rejects -q (busybox, which always prints names
# that way) prints nothing but a usage error: the probe is then run again without it.
kdc_ls() {
	_kl_name=$1
	_kl_flags=$2
	shift 2
	kdc_probe "$_kl_name" ls "-${_kl_flags}q" "$@"
	if [ ! -s "$KDC_SNAP/commands/$_kl_name.out" ] && [ -s "$KDC_SNAP/commands/$_kl_name.err" ]; then
		case $(cat "$KDC_SNAP/commands/$_kl_name.err") in
		*'invalid option'* | *'illegal option'* | *'unrecognized option'* | *'unknown option'*)
			kdc_probe "$_kl_name" ls "-$_kl_flags" "$@"
			;;
		esac
	fi
}

# kdc_first_line FILE: its first line without a trailing CR.
kdc_first_line() {
	_kl=
	if [ -s "$1" ]; then
		IFS= read -r _kl <"$1"
	fi
	_kl=${_kl%"$(printf '\r')"}
	printf '%s' "$_kl"
}

# kdc_json TEXT: TEXT as a JSON string literal.
kdc_json() {
	printf '"'
	printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\n'
	printf '"'
}

kdc_collected_at() {
	if [ -n "$KDUMPCHECK_TEST_COLLECTED_AT" ]; then
		printf '%s' "$KDUMPCHECK_TEST_COLLECTED_AT"
		return
	fi
	# Local time with the host's offset (ls -l prints local times); UTC where %z is unknown.
	_kc=$(date '+%Y-%m-%dT%H:%M:%S%z' 2>/dev/null)
	case $_kc in
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9][+-][0-9][0-9][0-9][0-9])
		_kc_z=${_kc#"${_kc%?????}"}
		printf '%s%s:%s' "${_kc%?????}" "${_kc_z%??}" "${_kc_z#???}"
		;;
	*) date -u '+%Y-%m-%dT%H:%M:%SZ' ;;
	esac
}

# kdc_hooks: the test hooks set in this run, comma-separated (empty in production).
kdc_hooks() {
	_kh=
	for _kh_name in KDUMPCHECK_TEST_ROOT KDUMPCHECK_TEST_HOSTNAME KDUMPCHECK_TEST_COLLECTED_AT; do
		eval "_kh_value=\${$_kh_name-}"
		if [ -n "$_kh_value" ]; then
			_kh=${_kh:+$_kh, }$_kh_name
		fi
	done
	printf '%s' "$_kh"
}

kdc_write_meta() {
	_kw_host=$KDUMPCHECK_TEST_HOSTNAME
	if [ -z "$_kw_host" ] && [ "$(cat "$KDC_SNAP/commands/hostname.exit" 2>/dev/null)" = 0 ]; then
		_kw_host=$(kdc_first_line "$KDC_SNAP/commands/hostname.out")
	fi
	if [ -z "$_kw_host" ] && [ -f "$KDC_ROOT/proc/sys/kernel/hostname" ]; then
		_kw_host=$(kdc_first_line "$KDC_ROOT/proc/sys/kernel/hostname")
	fi
	{
		printf '{\n'
		printf '  "format": "kdumpcheck-snapshot/1",\n'
		printf '  "hostname": %s,\n' "$(kdc_json "$_kw_host")"
		printf '  "collected_at": %s,\n' "$(kdc_json "$KDC_COLLECTED_AT")"
		printf '  "kind": "runtime",\n'
		# A run under test hooks is not a host's own evidence: the snapshot says so, and reports show it.
		_kw_hooks=$(kdc_hooks)
		printf '  "collector": %s,\n' "$(kdc_json "$KDC_NAME $KDC_VERSION${_kw_hooks:+ (test hooks set: $_kw_hooks)}")"
		if [ -s "$KDC_WORK/errors" ]; then
			printf '  "errors": [\n'
			_kw_sep=
			while IFS= read -r _kw_line; do
				[ -n "$_kw_line" ] || continue
				printf '%s    %s' "$_kw_sep" "$(kdc_json "$_kw_line")"
				_kw_sep=',
'
			done <"$KDC_WORK/errors"
			printf '\n  ]\n'
		else
			printf '  "errors": []\n'
		fi
		printf '}\n'
	} >"$KDC_SNAP/snapshot.json"
}

# ---------------------------------------------------------------------------------------------

kdc_main() {
	KDC_PROBE_TIMEOUT=${KDUMPCHECK_PROBE_TIMEOUT:-10}
	KDC_DEADLINE=${KDUMPCHECK_DEADLINE:-60}
	while [ $# -gt 0 ]; do
		case $1 in
		--probe-timeout)
			[ $# -ge 2 ] || kdc_die "$1 needs a value"
			KDC_PROBE_TIMEOUT=$2
			shift 2
			;;
		--probe-timeout=*)
			KDC_PROBE_TIMEOUT=${1#*=}
			shift
			;;
		--deadline | --timeout)
			[ $# -ge 2 ] || kdc_die "$1 needs a value"
			KDC_DEADLINE=$2
			shift 2
			;;
		--deadline=* | --timeout=*)
			KDC_DEADLINE=${1#*=}
			shift
			;;
		--version)
			printf '%s %s\n' "$KDC_NAME" "$KDC_VERSION"
			return 0
			;;
		-h | --help)
			kdc_usage
			return 0
			;;
		--)
			shift
			;;
		*) kdc_die "unknown argument '$1' (try --help)" ;;
		esac
	done
	kdc_posint "$KDC_PROBE_TIMEOUT" --probe-timeout
	kdc_posint "$KDC_DEADLINE" --deadline
	if [ -t 1 ]; then
		kdc_die "refusing to write a gzip'd tar stream to a terminal; redirect standard output to a file"
	fi

	# The test hook: every host file is read under this directory. A bare / means the host itself.
	# Namespaced KDUMPCHECK_TEST_*: no variable a production environment might carry changes a run.
	KDC_ROOT=$KDUMPCHECK_TEST_ROOT
	while :; do
		case $KDC_ROOT in
		*/) KDC_ROOT=${KDC_ROOT%/} ;;
		*) break ;;
		esac
	done

	# Non-root logins (RHEL 5, sudo) often lack the sbin directories where kexec, chkconfig and
	# service live. Under the test hook they are looked up under the root, so a test PATH never
	# finds the test machine's own programs.
	for _km_dir in /sbin /usr/sbin /usr/local/sbin; do
		case :$PATH: in
		*":$KDC_ROOT$_km_dir:"*) ;;
		*) PATH=${PATH:+$PATH:}$KDC_ROOT$_km_dir ;;
		esac
	done
	export PATH

	umask 077
	KDC_MAIN=$$
	trap 'kdc_cleanup' EXIT
	trap 'kdc_on_signal 130' INT
	trap 'kdc_on_signal 143' TERM
	trap 'kdc_on_signal 129' HUP
	trap ':' USR1

	_km_base=${TMPDIR:-/tmp}
	case $_km_base in
	/*) ;;
	*) _km_base=/tmp ;;
	esac
	if [ ! -d "$_km_base" ] || [ ! -w "$_km_base" ]; then
		_km_base=/tmp
	fi
	KDC_TMP=$(mktemp -d "$_km_base/kdumpcheck.XXXXXXXXXX" 2>/dev/null)
	if [ -z "$KDC_TMP" ] || [ ! -d "$KDC_TMP" ] || [ -L "$KDC_TMP" ]; then
		# No mktemp -d: mkdir is atomic and fails on anything already there, symlinks included.
		KDC_TMP=
		_km_n=0
		while [ "$_km_n" -lt 100 ]; do
			if mkdir "$_km_base/kdumpcheck.$$.$_km_n" 2>/dev/null; then
				KDC_TMP=$_km_base/kdumpcheck.$$.$_km_n
				break
			fi
			_km_n=$((_km_n + 1))
		done
		[ -n "$KDC_TMP" ] || kdc_die "cannot create a private directory in $_km_base (set TMPDIR)"
	fi
	chmod 700 "$KDC_TMP" || kdc_die "cannot make $KDC_TMP private"
	KDC_WORK=$KDC_TMP/work
	KDC_SNAP=$KDC_TMP/snapshot
	mkdir "$KDC_WORK" "$KDC_SNAP" "$KDC_SNAP/files" "$KDC_SNAP/commands" || kdc_die "cannot write in $KDC_TMP"
	: >"$KDC_WORK/errors"

	# Tools, found once. GNU timeout (coreutils 8+) has -k and kills a process group; busybox's
	# applet kills only one PID and exits with the probe's own status, so it is not used.
	KDC_TIMEOUT=
	if command -v timeout >/dev/null 2>&1; then
		_km_v=$(timeout --version 2>/dev/null </dev/null)
		case $_km_v in
		*'GNU coreutils'*' '[89].* | *'GNU coreutils'*' '[1-9][0-9].*) KDC_TIMEOUT=timeout ;;
		esac
	fi
	KDC_SETSID=
	if command -v setsid >/dev/null 2>&1; then
		KDC_SETSID=setsid
	fi
	KDC_HEAD_C=
	if [ "$(printf 'ab' | head -c 1 2>/dev/null)" = a ]; then
		KDC_HEAD_C=1
	fi
	KDC_T0=$(date +%s 2>/dev/null)
	case $KDC_T0 in
	'' | *[!0-9]*)
		# No date +%s: a sleeper marks the deadline; probes keep the full per-probe timeout.
		KDC_T0=
		(
			trap - EXIT
			kdc_nap "$KDC_DEADLINE"
			: >"$KDC_WORK/deadline"
		) </dev/null >/dev/null 2>&1 &
		KDC_SLEEPER=$!
		;;
	esac
	KDC_COLLECTED_AT=$(kdc_collected_at)

	# The running kernel first: /boot/config-$(uname -r) depends on it.
	kdc_probe uname-r uname -r
	kdc_probe uname-m uname -m
	kdc_probe hostname hostname
	KDC_KREL=
	if [ "$(cat "$KDC_SNAP/commands/uname-r.exit")" = 0 ]; then
		KDC_KREL=$(kdc_first_line "$KDC_SNAP/commands/uname-r.out")
	fi

	# Files: cheap and the most valuable evidence, so read before the probes that may hang.
	for _km_f in /proc/cmdline /proc/meminfo /proc/iomem /proc/mounts /proc/xen/capabilities \
		/sys/hypervisor/type /sys/hypervisor/version/major /sys/hypervisor/version/minor \
		/sys/hypervisor/version/extra /sys/hypervisor/guest_type \
		/sys/kernel/kexec_crash_loaded /sys/kernel/kexec_crash_size; do
		kdc_file "$_km_f"
	done
	for _km_f in core_pattern sysrq panic panic_on_oops hung_task_panic softlockup_panic \
		unknown_nmi_panic panic_on_io_nmi panic_on_unrecovered_nmi kexec_load_disabled; do
		kdc_file "/proc/sys/kernel/$_km_f"
	done
	for _km_f in /etc/kdump.conf /etc/sysconfig/kdump /etc/default/kdump-tools /etc/default/grub; do
		kdc_file "$_km_f"
	done
	kdc_glob '/etc/default/grub.d/*.cfg'
	for _km_f in /boot/grub/grub.conf /boot/grub/menu.lst /boot/grub/grub.cfg /boot/grub2/grub.cfg; do
		kdc_file "$_km_f"
	done
	kdc_glob '/boot/efi/EFI/*/grub.cfg'
	kdc_file /boot/extlinux.conf
	kdc_file /etc/sysctl.conf
	kdc_glob '/etc/sysctl.d/*.conf'
	kdc_glob '/usr/lib/sysctl.d/*.conf'
	for _km_f in /etc/os-release /etc/redhat-release /etc/debian_version /etc/xensource-inventory \
		/etc/fstab /var/lib/kdump/vmcore-creation.status; do
		kdc_file "$_km_f"
	done
	case $KDC_KREL in
	'' | . | .. | */*) ;;
	*) kdc_file "/boot/config-$KDC_KREL" ;;
	esac
	kdc_file /boot/grub/default
	kdc_file /boot/grub/grubenv
	kdc_file /boot/grub2/grubenv
	kdc_glob '/boot/loader/entries/*.conf'

	# Probes, the Xen and kexec ones first. Every one is a read-only query.
	kdc_probe xl-info xl info
	kdc_probe xl-dmesg xl dmesg
	kdc_probe xm-info xm info
	kdc_probe xm-dmesg xm dmesg
	kdc_probe kexec-version kexec --version
	kdc_probe kexec-status kexec -S
	kdc_probe systemctl-kdump systemctl show -p Id,LoadState,ActiveState,SubState,UnitFileState,Result \
		kdump.service kdump-tools.service
	kdc_probe chkconfig-kdump chkconfig --list kdump
	# shellcheck disable=SC2016
	kdc_probe rpm-q rpm -q --qf '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\n' \
		kexec-tools kdump-utils makedumpfile crash xen xen-hypervisor kernel kernel-xen
	# shellcheck disable=SC2016
	kdc_probe dpkg-query dpkg-query -W -f='${Package}\t${Version}\t${Status}\n' \
		kexec-tools kdump-tools makedumpfile crash 'xen-hypervisor-*' 'xen-utils-*' 'linux-image-*'
	kdc_probe df df -Pk
	kdc_ls ls-boot ln /boot /var/lib/kdump
	kdc_probe kdumpctl-status kdumpctl status
	kdc_probe kdump-config-status kdump-config status
	kdc_probe service-kdump-status service kdump status
	# `ls -lq /etc/systemd/system/*.wants ...` as a shell would run it: the glob expanded (under the
	# root), or passed literally when it matches nothing.
	set --
	for _km_f in "$KDC_ROOT"/etc/systemd/system/*.wants; do
		if [ -e "$_km_f" ] || [ -L "$_km_f" ]; then
			set -- "$@" "${_km_f#"$KDC_ROOT"}"
		fi
	done
	[ $# -gt 0 ] || set -- '/etc/systemd/system/*.wants'
	kdc_ls ls-services l "$@" /etc/rc.d/rc3.d /etc/rc3.d

	kdc_write_meta
	rm -f "$KDC_WORK/tar.failed"
	{
		(cd "$KDC_SNAP" && tar cf - snapshot.json files commands) || : >"$KDC_WORK/tar.failed"
	} | gzip -c
	_km_rc=$?
	if [ -f "$KDC_WORK/tar.failed" ] || [ "$_km_rc" != 0 ]; then
		printf '%s: writing the snapshot failed\n' "$KDC_NAME" >&2
		return 1
	fi
	return 0
}

# Everything runs with stdin from /dev/null: under `sh -s` the rest of stdin is this script.
kdc_main "$@" </dev/null
exit $?
