/**
 * Shell completion scripts for bash and zsh, generated from the command metadata oclif loads from
 * oclif.manifest.json (the same metadata the README's command reference and the man page come from), so a new
 * command or flag completes without anyone editing a script. Nothing is installed at `npm install`: the user
 * writes `kdumpcheck completion bash` where their shell looks (README, "Shell completion"), and the script
 * never runs kdumpcheck while completing, so a TAB costs no Node start-up.
 */

/** What a flag's value or an argument completes to. */
export type ValueKind = {kind: 'none'; hint: string} | {kind: 'words'; words: string[]} | {kind: 'files'} | {kind: 'dirs'} | {kind: 'hosts'}

export interface CompletionFlag {
  name: string
  char?: string
  summary: string
  /** Undefined for a boolean flag. */
  value?: ValueKind
  multiple: boolean
}

export interface CompletionArg {
  name: string
  summary: string
  value: ValueKind
  /** The command takes any number of these (oclif `strict: false`). */
  variadic: boolean
  required: boolean
}

export interface CompletionCommand {
  id: string
  summary: string
  flags: CompletionFlag[]
  args: CompletionArg[]
}

/** The parts of oclif's Command.Loadable (or a manifest entry) completion needs. */
export interface CommandMetadata {
  id: string
  summary?: string
  description?: string
  hidden?: boolean
  strict?: boolean
  flags: Record<string, {name: string; char?: string; type: string; summary?: string; description?: string; hidden?: boolean; options?: readonly string[]; helpValue?: string | string[]; multiple?: boolean}>
  args: Record<string, {name: string; description?: string; options?: readonly string[]; required?: boolean}>
}

const WORD = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/

function word(s: string, what: string): string {
  if (!WORD.test(s)) throw new Error(`completion: ${what} ${JSON.stringify(s)} is not a plain word`)
  return s
}

function firstLine(s: string | undefined): string {
  return (s ?? '').split('\n')[0]!.trim()
}

/** A flag value's kind, from its options or its help value (FILE, DIR, [USER@]HOST[:PORT]...). */
export function valueKind(options: readonly string[] | undefined, helpValue: string | undefined, name: string): ValueKind {
  if (options && options.length > 0) return {kind: 'words', words: options.map((o) => word(o, 'option'))}
  const hint = helpValue ?? name.toUpperCase()
  if (/\bUSER@\]?HOST\b|^\[?USER@/.test(hint)) return {kind: 'hosts'}
  if (/\b(FILE|PATH|TAR)\b/.test(hint) || /^FILE\./.test(hint)) return {kind: 'files'}
  if (/\bDIR\b/.test(hint)) return {kind: 'dirs'}
  return {kind: 'none', hint}
}

/**
 * The commands and their flags as completion sees them: hidden commands and flags left out, --help added (oclif
 * gives every command one), argument values from `argValues` (e.g. the check IDs for `rules`) or, for an argument
 * named like a file, files.
 */
export function completionModel(commands: readonly CommandMetadata[], argValues: Record<string, string[]> = {}): CompletionCommand[] {
  return commands
    .filter((c) => !c.hidden)
    .map((c) => {
      const flags: CompletionFlag[] = Object.values(c.flags)
        .filter((f) => !f.hidden)
        .map((f) => ({
          name: word(f.name, 'flag'),
          ...(f.char ? {char: word(f.char, 'flag character')} : {}),
          summary: firstLine(f.summary ?? f.description),
          ...(f.type === 'boolean' ? {} : {value: valueKind(f.options, Array.isArray(f.helpValue) ? f.helpValue.join(' ') : f.helpValue, f.name)}),
          multiple: Boolean(f.multiple),
        }))
      if (!flags.some((f) => f.name === 'help')) flags.push({name: 'help', summary: 'Show help for this command.', multiple: false})
      const argList = Object.values(c.args)
      const args: CompletionArg[] = argList.map((a, i) => {
        const known = argValues[`${c.id} ${a.name}`]
        const value: ValueKind = known
          ? {kind: 'words', words: known.map((w) => word(w, 'argument value'))}
          : a.options && a.options.length > 0
            ? {kind: 'words', words: a.options.map((o) => word(o, 'argument value'))}
            : /file|path/i.test(a.name)
              ? {kind: 'files'}
              : {kind: 'none', hint: a.name.toUpperCase()}
        return {name: word(a.name, 'argument'), summary: firstLine(a.description), value, variadic: c.strict === false && i === argList.length - 1, required: Boolean(a.required)}
      })
      return {id: word(c.id, 'command'), summary: firstLine(c.summary ?? c.description), flags, args}
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

function flagWords(f: CompletionFlag): string[] {
  return [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]
}

function bashValue(v: ValueKind): string {
  switch (v.kind) {
    case 'words':
      return `COMPREPLY=($(compgen -W '${v.words.join(' ')}' -- "$cur"))`
    case 'files':
      return '_kdumpcheck_files'
    case 'dirs':
      return '_kdumpcheck_files -d'
    case 'hosts':
      return '_kdumpcheck_hosts'
    case 'none':
      return ':'
  }
}

/** The bash script: `complete -F _kdumpcheck kdumpcheck`, needing bash 4 and nothing else (bash-completion's host list is used when present). */
export function bashCompletion(commands: readonly CompletionCommand[], version: string): string {
  const ids = commands.map((c) => c.id)
  const out: string[] = []
  out.push(
    `# bash completion for kdumpcheck ${version}: generated by \`kdumpcheck completion bash\` from its command metadata.`,
    '# Install: kdumpcheck completion bash > ~/.local/share/bash-completion/completions/kdumpcheck',
    '# (or /usr/share/bash-completion/completions/kdumpcheck), or source it from ~/.bashrc.',
    '',
    '_kdumpcheck_files() {',
    '  local IFS=$\'\\n\'',
    '  compopt -o filenames 2>/dev/null',
    '  if [[ $1 == -d ]]; then COMPREPLY=($(compgen -d -- "$cur")); else COMPREPLY=($(compgen -f -- "$cur")); fi',
    '}',
    '',
    '_kdumpcheck_hosts() {',
    '  if declare -F _known_hosts_real >/dev/null; then _known_hosts_real -a -- "$cur"; return; fi',
    '  local user=',
    '  [[ $cur == *@* ]] && user=${cur%%@*}@',
    '  COMPREPLY=($(compgen -P "$user" -A hostname -- "${cur#*@}"))',
    '}',
    '',
    '_kdumpcheck() {',
    '  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} cword=$COMP_CWORD',
    '  COMPREPLY=()',
    '  # --flag=value: bash splits at the = (COMP_WORDBREAKS); complete the value of the flag before it.',
    '  if [[ $cur == = ]]; then prev=${COMP_WORDS[COMP_CWORD-1]}; cur=; elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}; fi',
    '  if ((cword == 1)); then',
    `    COMPREPLY=($(compgen -W '${ids.join(' ')} --help --version' -- "$cur"))`,
    '    return',
    '  fi',
    '  local cmd=${COMP_WORDS[1]} i w',
    '  local -a pos=()',
    '  case $cmd in',
  )
  for (const c of commands) {
    out.push(`    ${c.id})`)
    const valued = c.flags.filter((f) => f.value)
    if (valued.length > 0) {
      out.push('      case $prev in')
      for (const f of valued) out.push(`        ${flagWords(f).join('|')}) ${bashValue(f.value!)}; return ;;`)
      out.push('      esac')
    }
    // The positional arguments so far: words not starting with -, and not the value of a flag that takes one.
    if (c.args.length > 0) {
      const skip = ['=', ...valued.flatMap(flagWords)].join('|')
      out.push(`      for ((i = 2; i < cword; i++)); do w=\${COMP_WORDS[i]}; case \${COMP_WORDS[i-1]} in ${skip}) continue ;; esac; case $w in -*|=) ;; *) pos+=("$w") ;; esac; done`)
    }
    const words = c.flags.flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])])
    out.push(`      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W '${words.join(' ')}' -- "$cur")); return; fi`)
    if (c.args.length > 0) {
      c.args.forEach((a, i) => {
        const test = a.variadic ? `((\${#pos[@]} >= ${i}))` : `((\${#pos[@]} == ${i}))`
        out.push(`      if ${test}; then ${bashValue(a.value)}; return; fi`)
      })
    }
    out.push('      ;;')
  }
  out.push('  esac', '}', '', 'complete -F _kdumpcheck kdumpcheck', '')
  return out.join('\n')
}

/** A string inside single quotes in zsh. */
function zq(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`
}

/** A description inside an _arguments [...] spec (unquoted form: the caller quotes the whole spec). */
function zdesc(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll('[', '\\[').replaceAll(']', '\\]')
}

/** A message in an _arguments :message:action spec. */
function zmsg(s: string): string {
  return s.replaceAll('\\', '\\\\').replaceAll(':', '\\:')
}

function zshAction(v: ValueKind): string {
  switch (v.kind) {
    case 'words':
      return `(${v.words.join(' ')})`
    case 'files':
      return '_files'
    case 'dirs':
      return '_files -/'
    case 'hosts':
      return '_user_at_host'
    case 'none':
      return ' '
  }
}

function zshMessage(v: ValueKind, fallback: string): string {
  if (v.kind === 'none') return v.hint
  if (v.kind === 'files') return 'file'
  if (v.kind === 'dirs') return 'directory'
  if (v.kind === 'hosts') return 'host'
  return fallback
}

/** The zsh script: `#compdef` for a file named _kdumpcheck in $fpath, and also works when sourced after compinit. */
export function zshCompletion(commands: readonly CompletionCommand[], version: string): string {
  const out: string[] = []
  out.push(
    '#compdef kdumpcheck',
    `# zsh completion for kdumpcheck ${version}: generated by \`kdumpcheck completion zsh\` from its command metadata.`,
    '# Install: kdumpcheck completion zsh > "${fpath[1]}/_kdumpcheck" (any directory in $fpath), then start a new shell;',
    '# or, after compinit in ~/.zshrc: source <(kdumpcheck completion zsh)',
    '',
    '_kdumpcheck() {',
    '  local -a commands',
    '  commands=(',
    ...commands.map((c) => `    ${zq(`${c.id}:${c.summary}`)}`),
    '  )',
    '  if ((CURRENT == 2)); then',
    "    _describe -t commands 'kdumpcheck command' commands",
    "    compadd -- --help --version",
    '    return',
    '  fi',
    '  local cmd=${words[2]}',
    '  shift words',
    '  ((CURRENT--))',
    '  case $cmd in',
  )
  for (const c of commands) {
    out.push(`    ${c.id})`, '      _arguments -s -S \\')
    const specs: string[] = []
    for (const f of c.flags) {
      const desc = `[${zdesc(f.summary)}]`
      const value = f.value ? `:${zmsg(zshMessage(f.value, f.name))}:${zshAction(f.value)}` : ''
      const repeat = f.multiple ? '*' : ''
      if (f.char) {
        const exclude = f.multiple ? '' : `(-${f.char} --${f.name})`
        const forms = f.value ? `{-${f.char}+,--${f.name}=}` : `{-${f.char},--${f.name}}`
        specs.push(`${zq(exclude)}${repeat ? "'*'" : ''}${forms}${zq(`${desc}${value}`)}`)
      } else {
        specs.push(zq(`${repeat}--${f.name}${f.value ? '=' : ''}${desc}${value}`))
      }
    }
    c.args.forEach((a, i) => {
      const msg = zmsg(a.summary || a.name)
      if (a.variadic) specs.push(zq(`*:${msg}:${zshAction(a.value)}`))
      else specs.push(zq(`${i + 1}${a.required ? '' : ':'}:${msg}:${zshAction(a.value)}`))
    })
    specs.forEach((s, i) => out.push(`        ${s}${i < specs.length - 1 ? ' \\' : ''}`))
    out.push('      ;;')
  }
  out.push(
    '  esac',
    '}',
    '',
    '# Loaded from $fpath, run it; sourced (after compinit), register it.',
    'if [[ ${zsh_eval_context[-1]} == loadautofunc ]]; then',
    '  _kdumpcheck "$@"',
    'else',
    '  compdef _kdumpcheck kdumpcheck',
    'fi',
    '',
  )
  return out.join('\n')
}
