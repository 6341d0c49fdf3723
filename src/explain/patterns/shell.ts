/**
 * Commands an operator typed, reduced to what they did to the crash path: a sysctl written, a
 * sysrq key sent, a capture kernel loaded or queried. Pure and total.
 */
export type Command =
  | {type: 'sysctl-write'; key: string; value?: string}
  | {type: 'sysrq-trigger'; key?: string}
  | {type: 'kexec-load'; kernel?: string; append?: string}
  | {type: 'kexec-status'}
  | {type: 'kexec-unload'}
  | {type: 'kdump-service'; tool: string; action: string}
  | {type: 'proc-stack'; pid: number}
  | {type: 'ps'}
  | {type: 'top'}
  | {type: 'xen-key-crash'}
  | {type: 'other'; name: string}

/** `echo V > /proc/...`, `echo V | sudo tee /proc/...`, `printf V > /proc/...`. */
const ECHO_TO_PROC = /^(?:sudo\s+)?(?:echo|printf)\s+(?:-[ne]+\s+)?(?:'([^']*)'|"([^"]*)"|(\S+))\s*(?:\|\s*(?:sudo\s+)?tee(?:\s+-a)?\s+|>>?\s*)(\/proc\/\S+)/
const SYSCTL = /^(?:sudo\s+)?sysctl\s+(?:-[wq]+\s+)*([\w./-]+)\s*=\s*(?:'([^']*)'|"([^"]*)"|(\S+))/
const KEXEC = /^(?:sudo\s+)?(?:\/\S*\/)?kexec\s+(.*)$/
const KDUMP_TOOL = /^(?:sudo\s+)?(?:\/\S*\/)?(kdumpctl|kdump-config)\s+(\S+)/
const KDUMP_UNIT = /^(?:sudo\s+)?(?:systemctl\s+(\S+)\s+(kdump(?:-tools)?)(?:\.service)?|service\s+(kdump(?:-tools)?)\s+(\S+))/
const PROC_STACK = /^(?:sudo\s+)?cat\s+\/proc\/(\d+)\/stack\b/
const SUDO_COMMAND = /COMMAND=(\S+)(?:\s+(.*))?$/

/** `/proc/sys/kernel/core_pattern` -> `kernel.core_pattern`. */
function sysctlKey(path: string): string | undefined {
  const m = /^\/proc\/sys\/(.+)$/.exec(path)
  return m ? m[1]!.replace(/\//g, '.') : undefined
}

function option(args: string, names: string[]): string | undefined {
  for (const name of names) {
    const m = new RegExp(`(?:^|\\s)${name}(?:=|\\s+)(?:"([^"]*)"|'([^']*)'|(\\S+))`).exec(args)
    if (m) return m[1] ?? m[2] ?? m[3]
  }
  return undefined
}

function parseKexec(args: string): Command {
  const words = args.split(/\s+/)
  if (words.some((w) => w === '-S' || w === '--status' || /^-[a-zA-Z]*S$/.test(w))) return {type: 'kexec-status'}
  if (words.some((w) => w === '-u' || w === '--unload')) return {type: 'kexec-unload'}
  if (words.some((w) => w === '-p' || w === '--load-panic' || /^-[a-zA-Z]*p$/.test(w))) {
    const append = option(args, ['--append', '--command-line'])
    const stripped = args.replace(/--[\w-]+=(?:"[^"]*"|'[^']*'|\S+)/g, ' ')
    const kernel = stripped.split(/\s+/).find((w) => w.length > 0 && !w.startsWith('-'))
    return {type: 'kexec-load', ...(kernel ? {kernel} : {}), ...(append !== undefined ? {append} : {})}
  }
  return {type: 'other', name: 'kexec'}
}

export function parseCommand(text: string): Command {
  try {
    return parse(text.trim())
  } catch {
    return {type: 'other', name: '?'}
  }
}

function parse(text: string): Command {
  const echo = ECHO_TO_PROC.exec(text)
  if (echo) {
    const value = echo[1] ?? echo[2] ?? echo[3] ?? ''
    const target = echo[4]!
    if (target === '/proc/sysrq-trigger') return {type: 'sysrq-trigger', key: value}
    const key = sysctlKey(target)
    if (key) return {type: 'sysctl-write', key, value}
  }
  const sysctl = SYSCTL.exec(text)
  if (sysctl) return {type: 'sysctl-write', key: sysctl[1]!.replace(/\//g, '.'), value: sysctl[2] ?? sysctl[3] ?? sysctl[4] ?? ''}
  const kexec = KEXEC.exec(text)
  if (kexec) return parseKexec(kexec[1] ?? '')
  const tool = KDUMP_TOOL.exec(text)
  if (tool) return {type: 'kdump-service', tool: tool[1]!, action: tool[2]!}
  const unit = KDUMP_UNIT.exec(text)
  if (unit) return {type: 'kdump-service', tool: unit[2] ?? unit[3]!, action: unit[1] ?? unit[4]!}
  const stack = PROC_STACK.exec(text)
  if (stack) return {type: 'proc-stack', pid: Number(stack[1])}
  if (/^(?:sudo\s+)?xl\s+debug-keys\s+C\b/.test(text)) return {type: 'xen-key-crash'}
  const name = (text.replace(/^sudo\s+/, '').split(/\s+/)[0] ?? '').replace(/^.*\//, '')
  if (name === 'ps') return {type: 'ps'}
  if (name === 'top') return {type: 'top'}
  return {type: 'other', name}
}

/**
 * sudo's log line names the command but not what was piped into it: `COMMAND=/usr/bin/tee /proc/sysrq-trigger`
 * proves a write to the trigger, not which key.
 */
export function parseSudoLog(text: string): Command | undefined {
  const m = SUDO_COMMAND.exec(text)
  if (!m) return undefined
  const program = m[1]!.replace(/^.*\//, '')
  const args = m[2] ?? ''
  if (program === 'tee') {
    const target = args.split(/\s+/).find((w) => w.startsWith('/proc/'))
    if (target === '/proc/sysrq-trigger') return {type: 'sysrq-trigger'}
    const key = target ? sysctlKey(target) : undefined
    if (key) return {type: 'sysctl-write', key}
    return undefined
  }
  const parsed = parseCommand(`${program} ${args}`)
  return parsed.type === 'other' ? undefined : parsed
}

/** How a command reads in a story. */
export function describeCommand(command: Command): string {
  switch (command.type) {
    case 'sysctl-write':
      return command.value === undefined ? `wrote ${command.key}` : `set ${command.key}=${command.value}`
    case 'sysrq-trigger':
      return command.key === undefined ? 'wrote to /proc/sysrq-trigger' : `sent sysrq '${command.key}' through /proc/sysrq-trigger${command.key === 'c' ? ' (crash the kernel)' : ''}`
    case 'kexec-load':
      return `loaded a capture kernel with kexec -p${command.kernel ? ` (${command.kernel})` : ''}`
    case 'kexec-status':
      return 'asked whether a capture kernel is loaded (kexec -S)'
    case 'kexec-unload':
      return 'unloaded the capture kernel (kexec -u)'
    case 'kdump-service':
      return `${command.tool} ${command.action}`
    case 'proc-stack':
      return `read the kernel stack of pid ${command.pid}`
    case 'ps':
      return 'listed processes (ps)'
    case 'top':
      return 'ran top'
    case 'xen-key-crash':
      return "sent Xen's debug key C (crash the host into the capture kernel)"
    case 'other':
      return `ran ${command.name}`
  }
}
