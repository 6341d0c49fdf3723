/**
 * /proc/iomem: `start-end : name` lines (hex, inclusive end), nesting shown by two spaces per level.
 * Addresses are bigints: machine addresses above 2^53 exist. What kdump cares about:
 * - `Crash kernel` (the reserved region; Linux, and xenolinux dom0s copying Xen's range),
 * - `Hypervisor code and data` and `Crash note` (only xenolinux dom0s: RHEL5 kernel-xen),
 * - total `System RAM`.
 * A reader without CAP_SYS_ADMIN sees every range as `00000000-00000000`: names stay, addresses do
 * not, which `zeroedAddresses` flags so checks do not compute sizes from zeros.
 */
import {parsed, splitLines, total, unparsable, type ParseProblem, type Parsed} from './parse-result.js'

export interface IomemNode {
  start: bigint
  /** Inclusive, as printed. */
  end: bigint
  name: string
  depth: number
  /** 1-based line. */
  line: number
  children: IomemNode[]
}

export interface Iomem {
  roots: IomemNode[]
  /** Every node in file order. */
  nodes: IomemNode[]
  /** `Crash kernel` regions (Linux `crashkernel=X,high` + `,low` gives two). */
  crashKernel: IomemNode[]
  hypervisor: IomemNode[]
  crashNotes: IomemNode[]
  /** Sum of the outermost `System RAM` ranges; undefined when addresses are hidden. */
  systemRamBytes?: bigint
  /** Every range reads 00000000-00000000: an unprivileged read, addresses unknown. */
  zeroedAddresses: boolean
}

const LINE = /^( *)([0-9a-fA-F]{1,16})-([0-9a-fA-F]{1,16}) : (.*)$/

export function iomemSize(node: IomemNode): bigint {
  return node.end - node.start + 1n
}

export function findIomem(iomem: Iomem, name: string): IomemNode[] {
  return iomem.nodes.filter((node) => node.name === name)
}

export function parseIomem(text: string): Parsed<Iomem> {
  return total<Iomem>('iomem', () => {
    const problems: ParseProblem[] = []
    const roots: IomemNode[] = []
    const nodes: IomemNode[] = []
    const stack: {indent: number; node: IomemNode; inRam: boolean}[] = []
    let ramBytes = 0n
    splitLines(text).forEach((raw, index) => {
      if (raw.trim() === '') return
      const match = LINE.exec(raw.replace(/\t/g, '  '))
      if (!match) {
        problems.push({line: index + 1, message: `not an iomem line: ${JSON.stringify(raw.slice(0, 80))}`})
        return
      }
      const indent = (match[1] ?? '').length
      while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop()
      const top = stack[stack.length - 1]
      const parent = top?.node
      const node: IomemNode = {
        start: BigInt(`0x${match[2]}`),
        end: BigInt(`0x${match[3]}`),
        name: (match[4] ?? '').trim(),
        depth: stack.length,
        line: index + 1,
        children: [],
      }
      if (node.end < node.start) problems.push({line: node.line, message: `range ends before it starts: ${raw.trim()}`})
      ;(parent ? parent.children : roots).push(node)
      nodes.push(node)
      const isRam = node.name === 'System RAM'
      // Only the outermost System RAM counts: nested ones (rare) are already inside it.
      if (isRam && !top?.inRam) ramBytes += iomemSize(node)
      stack.push({indent, node, inRam: isRam || (top?.inRam ?? false)})
    })
    if (nodes.length === 0) return unparsable('iomem: no ranges')
    const zeroedAddresses = nodes.every((node) => node.start === 0n && node.end === 0n)
    const iomem: Iomem = {
      roots,
      nodes,
      crashKernel: nodes.filter((node) => node.name === 'Crash kernel'),
      hypervisor: nodes.filter((node) => node.name === 'Hypervisor code and data'),
      crashNotes: nodes.filter((node) => node.name === 'Crash note'),
      zeroedAddresses,
    }
    if (!zeroedAddresses) iomem.systemRamBytes = ramBytes
    return parsed(iomem, problems)
  })
}
