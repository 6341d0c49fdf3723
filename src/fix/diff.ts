/**
 * Unified diffs (`diff -u`, git's extended headers) of a plan: paths relative to the root
 * (`a/etc/default/grub`, `b/etc/default/grub`), so that `patch -p1` (GNU patch 2.7+, which also
 * creates the `new file mode 120000` symlinks) or `git apply` applies it in the root. Lines keep
 * their own endings; a last line without one gets `\ No newline at end of file`.
 */
import type {FileChange, LinkChange} from './types.js'

const CONTEXT = 3

/** Lines with their endings (so that CRLF and a missing final newline are differences too). */
function lines(text: string): string[] {
  const out = text.match(/[^\n]*\n|[^\n]+$/g)
  return out ?? []
}

type Op = {kind: ' ' | '-' | '+'; line: string}

/** Myers' O(ND) diff of two line arrays. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length
  const m = b.length
  const max = n + m
  const v = new Map<number, number>([[1, 0]])
  const trace: Array<Map<number, number>> = []
  outer: for (let d = 0; d <= max; d++) {
    trace.push(new Map(v))
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v.get(k - 1) ?? -1) < (v.get(k + 1) ?? -1)) ? (v.get(k + 1) ?? 0) : (v.get(k - 1) ?? 0) + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v.set(k, x)
      if (x >= n && y >= m) break outer
    }
  }
  // Walk back through the trace.
  const ops: Op[] = []
  let x = n
  let y = m
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d]!
    const k = x - y
    const prevK = k === -d || (k !== d && (vd.get(k - 1) ?? -1) < (vd.get(k + 1) ?? -1)) ? k + 1 : k - 1
    const prevX = vd.get(prevK) ?? 0
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      ops.push({kind: ' ', line: a[--x]!})
      y--
    }
    if (x === prevX) ops.push({kind: '+', line: b[--y]!})
    else ops.push({kind: '-', line: a[--x]!})
  }
  while (x > 0 && y > 0) {
    ops.push({kind: ' ', line: a[--x]!})
    y--
  }
  return ops.reverse()
}

function hunks(ops: Op[]): string[] {
  const out: string[] = []
  let i = 0
  // Positions (1-based) in a and b before op i.
  const posA: number[] = []
  const posB: number[] = []
  let pa = 1
  let pb = 1
  for (const op of ops) {
    posA.push(pa)
    posB.push(pb)
    if (op.kind !== '+') pa++
    if (op.kind !== '-') pb++
  }
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.kind === ' ') i++
    if (i >= ops.length) break
    const start = Math.max(0, i - CONTEXT)
    let end = i
    let lastChange = i
    while (end < ops.length) {
      if (ops[end]!.kind !== ' ') lastChange = end
      else if (end - lastChange > 2 * CONTEXT) break
      end++
    }
    end = Math.min(ops.length, lastChange + CONTEXT + 1)
    const chunk = ops.slice(start, end)
    const countA = chunk.filter((o) => o.kind !== '+').length
    const countB = chunk.filter((o) => o.kind !== '-').length
    const startA = countA === 0 ? posA[start]! - 1 : posA[start]!
    const startB = countB === 0 ? posB[start]! - 1 : posB[start]!
    out.push(`@@ -${range(startA, countA)} +${range(startB, countB)} @@\n`)
    for (const op of chunk) {
      out.push(`${op.kind}${op.line.endsWith('\n') ? op.line : `${op.line}\n\\ No newline at end of file\n`}`)
    }
    i = end
  }
  return out
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`
}

function rel(path: string): string {
  return path.replace(/^\/+/, '')
}

export function fileDiff(change: FileChange): string {
  const p = rel(change.path)
  const before = change.before === undefined ? [] : lines(change.before)
  const after = lines(change.after)
  const header = [`diff --git a/${p} b/${p}\n`, ...(change.before === undefined ? ['new file mode 100644\n'] : []), `--- ${change.before === undefined ? '/dev/null' : `a/${p}`}\n`, `+++ b/${p}\n`]
  return [...header, ...hunks(diffLines(before, after))].join('')
}

export function linkDiff(link: LinkChange): string {
  const p = rel(link.path)
  return [`diff --git a/${p} b/${p}\n`, 'new file mode 120000\n', '--- /dev/null\n', `+++ b/${p}\n`, '@@ -0,0 +1 @@\n', `+${link.target}\n`, '\\ No newline at end of file\n'].join('')
}

export function planDiff(plan: {files: readonly FileChange[]; links: readonly LinkChange[]}): string {
  return [...plan.files.map(fileDiff), ...plan.links.map(linkDiff)].join('')
}
