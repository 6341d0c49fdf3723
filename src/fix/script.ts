/**
 * A plan as a POSIX sh script that applies it on the host it was computed for (the Ansible
 * remediation runs it with the `script` module: no Python on the hosts). It needs only sh, cat,
 * cmp, cp, mv, mkdir, ln, readlink, rm, mktemp and printf. For every file it first checks that the host's
 * file is still byte for byte the one the plan was computed from (a file changed since the
 * collection is not touched), then replaces it atomically (a copy beside it keeps mode and owner,
 * is written and renamed over it). Symlinked files are left alone. `--check` only reports;
 * `--activate` also runs the activation commands (never a reboot). The root is $KDUMPCHECK_ROOT
 * when set (a chroot, a test tree), else `/`.
 * Exit: 0 nothing to change, 1 changed (or would change), 2 a file changed since the collection
 * or could not be written (nothing after it is applied).
 */
import type {FixPlan} from './types.js'

function q(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`
}

export function planScript(plan: FixPlan, meta: {host: string; source: string}): string {
  const out: string[] = [
    '#!/bin/sh',
    `# kdumpcheck fix for ${meta.host.replace(/[^\x20-\x7e]/g, '?')}, computed from ${meta.source.replace(/[^\x20-\x7e]/g, '?')}.`,
    '# Usage: sh this-script [--check | --activate]. See kdumpcheck fix --help.',
    'set -u',
    'ROOT=${KDUMPCHECK_ROOT:-}',
    'ROOT=${ROOT%/}',
    'mode=apply',
    'case ${1:-} in --check) mode=check ;; --activate) mode=activate ;; "") ;; *) echo "usage: $0 [--check|--activate]" >&2; exit 2 ;; esac',
    'tmp=$(mktemp -d) || exit 2',
    "trap 'rm -rf \"$tmp\"' EXIT",
    'changed=0',
    'fail() { echo "kdumpcheck fix: $*" >&2; exit 2; }',
    '',
    '# put PATH WANT BEFORE: WANT is the new content; BEFORE the content it was computed from ("" for a new file).',
    'put() {',
    '  f=$ROOT$1',
    '  if [ -L "$f" ]; then fail "$1: a symlink; apply the diff by hand"; fi',
    '  if [ -f "$f" ] && cmp -s "$f" "$2"; then return 0; fi',
    '  if [ -n "$3" ]; then',
    '    [ -f "$f" ] || fail "$1: missing since the collection; not written"',
    '    cmp -s "$f" "$3" || fail "$1: changed since the collection; not overwritten (collect and run fix again)"',
    '  else',
    '    [ ! -e "$f" ] || fail "$1: exists now; not overwritten"',
    '  fi',
    '  changed=1',
    '  if [ "$mode" = check ]; then echo "would change $1"; return 0; fi',
    '  mkdir -p "${f%/*}" || fail "$1: cannot create its directory"',
    '  new="${f%/*}/.${f##*/}.kdumpcheck.$$"',
    '  rm -f "$new"',
    '  if [ -n "$3" ]; then cp -p "$f" "$new" || fail "$1: cannot copy"; fi',
    '  cat "$2" >"$new" || { rm -f "$new"; fail "$1: cannot write"; }',
    '  mv -f "$new" "$f" || { rm -f "$new"; fail "$1: cannot rename into place"; }',
    '  echo "changed $1"',
    '}',
    '',
    '# link PATH TARGET',
    'link() {',
    '  f=$ROOT$1',
    '  if [ -L "$f" ]; then',
    '    [ "$(readlink "$f")" = "$2" ] && return 0',
    '    fail "$1: a different link is there; not replaced"',
    '  fi',
    '  [ ! -e "$f" ] || fail "$1: something else is there; not replaced"',
    '  changed=1',
    '  if [ "$mode" = check ]; then echo "would link $1 -> $2"; return 0; fi',
    '  mkdir -p "${f%/*}" && ln -s "$2" "$f" || fail "$1: cannot create the link"',
    '  echo "linked $1 -> $2"',
    '}',
    '',
  ]
  plan.files.forEach((f, i) => {
    out.push(`# ${f.path.replace(/[^\x20-\x7e]/g, '?')}`)
    out.push(`printf '%s' ${q(f.after)} >"$tmp/${i}.after"`)
    if (f.before !== undefined) out.push(`printf '%s' ${q(f.before)} >"$tmp/${i}.before"`)
    out.push(`put ${q(f.path)} "$tmp/${i}.after" ${f.before !== undefined ? `"$tmp/${i}.before"` : '""'}`)
  })
  for (const l of plan.links) out.push(`link ${q(l.path)} ${q(l.target)}`)
  const commands = [...new Set(plan.items.flatMap((i) => i.activation).filter((a) => !a.reboot).map((a) => a.command))]
  const reboot = plan.items.some((i) => i.activation.some((a) => a.reboot))
  out.push('')
  if (commands.length > 0) {
    out.push('if [ "$mode" = activate ]; then')
    for (const c of commands) out.push(`  echo "running: ${c.replace(/["$`\\]/g, '\\$&')}"`, `  ${c} || fail ${q(`${c} failed`)}`)
    out.push('else')
    for (const c of commands) out.push(`  echo ${q(`then run: ${c}`)}`)
    out.push('fi')
  }
  if (reboot) out.push(`echo 'reboot required: the crash region is reserved, and Xen reads its command line, only at boot'`)
  out.push('exit $changed', '')
  return out.join('\n')
}
