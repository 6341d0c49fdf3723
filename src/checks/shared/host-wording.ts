/**
 * Wording chosen for the host: a fix names the commands of this host's distribution and boot loader only, and a
 * host without Xen never reads Xen advice. When what decides the wording is unknown, every variant is kept (a
 * reader on an unidentified host gets the whole list, as before).
 *
 * Checks stay pure: they build wording from facts through hostContext(); the engine (report/report.ts) picks a
 * check's `nativeTitle` and `fixFor` with the same context.
 */
import type {Facts} from '../../facts/facts.js'
import type {XenMajorMinor} from '../../parsers/xen-version.js'

export type BootLoaderKind = 'grub2' | 'grub2-defaults' | 'grub-legacy' | 'extlinux' | 'xenserver'

export type Family = 'rhel' | 'debian' | 'suse' | 'xenserver'

export interface HostContext {
  /** true: a Xen dom0 or domU (or an image that boots Xen); false: no Xen anywhere; undefined: not known. */
  xen: boolean | undefined
  family: Family | 'other' | undefined
  /** SysV init (RHEL/CentOS 5 and 6, SLES 11, XenServer 5/6) rather than systemd; undefined when not known. */
  legacyInit: boolean | undefined
  loader: BootLoaderKind | undefined
  /** The Xen toolstack whose commands this host answered (xm on old Xen), when known. */
  toolstack: 'xl' | 'xm' | undefined
  /** The Xen version, when known (the crashkernel= syntax it accepts differs). */
  xenVersion: XenMajorMinor | undefined
  image: boolean
}

/** Every variant applies: the wording for a host nothing is known about. */
export const ANY_HOST: HostContext = {xen: undefined, family: undefined, legacyInit: undefined, loader: undefined, toolstack: undefined, xenVersion: undefined, image: false}

export function hostContext(facts: Facts): HostContext {
  const role = facts.role.known ? facts.role.value : undefined
  const xen = role ? role.kind === 'xen-dom0' || role.kind === 'xen-domu-pv' : undefined
  const distro = facts.distribution.known ? facts.distribution.value : undefined
  const service = facts.kdumpService.known ? facts.kdumpService.value.family : undefined
  const family: HostContext['family'] = distro && distro.family !== 'unknown' ? distro.family : service ?? (distro ? 'other' : undefined)
  const major = distro ? Number.parseInt(distro.versionId, 10) : Number.NaN
  const legacyInit = Number.isNaN(major)
    ? undefined
    : family === 'rhel' && /^(rhel|centos|ol|ovs|oraclelinux|scientific|redhat)/.test(distro!.id)
      ? major <= 6
      : family === 'suse'
        ? major <= 11
        : family === 'xenserver'
          ? major <= 6
          : family === 'debian'
            ? false
            : undefined
  const xenSource = facts.xenVersion.known ? facts.xenVersion.evidence[0]?.source : undefined
  const toolstack = xenSource?.includes('xm-') ? 'xm' : xenSource?.includes('xl-') ? 'xl' : undefined
  const bootLoader = family === 'xenserver' || service === 'xenserver' ? 'xenserver' : facts.nextBoot.known ? facts.nextBoot.value.loader : undefined
  return {xen, family, legacyInit, loader: bootLoader, toolstack, xenVersion: facts.xenVersion.known ? facts.xenVersion.value : undefined, image: facts.kind === 'static'}
}

/** Which hosts a variant of a text is for; a key left out means any. */
export interface HostSelector {
  family?: Family[]
  legacyInit?: boolean
  loader?: BootLoaderKind[]
  image?: boolean
  xen?: boolean
}

export type Variant = [HostSelector, string]

function fits(host: HostContext, when: HostSelector): boolean {
  if (when.family && host.family !== undefined && !when.family.includes(host.family as Family)) return false
  if (when.legacyInit !== undefined && host.legacyInit !== undefined && when.legacyInit !== host.legacyInit) return false
  if (when.loader && host.loader !== undefined && !when.loader.includes(host.loader)) return false
  if (when.image !== undefined && when.image !== host.image) return false
  // Native wording only where Xen is known to be absent; Xen wording wherever it may be present.
  if (when.xen === false && host.xen !== false) return false
  if (when.xen === true && host.xen === false) return false
  return true
}

/**
 * The variants for this host: those whose selector fits (a fact that is not known excludes nothing). When the
 * host fits none (a distribution no variant names), all of them: better every family's commands than none.
 */
export function forHost(host: HostContext, variants: readonly Variant[], fallback = true): string[] {
  const chosen = variants.filter(([when]) => fits(host, when))
  if (!fallback) return chosen.map(([, text]) => text)
  return (chosen.length > 0 ? chosen : variants.filter(([when]) => when.xen !== false).filter(([when]) => when.image !== true || host.image)).map(([, text]) => text)
}

/**
 * A text with host variants: `full` (every variant, for the rule's page and unknown hosts) and `for(host)`.
 * Lines of `variants` become bullets, unless one alone is chosen, which then reads as a sentence.
 */
export function hostText(intro: string | Sentence, variants: readonly Variant[], outro: string | Sentence = ''): HostText {
  const part = (text: string | Sentence, host: HostContext): string => {
    if (typeof text === 'string') return text
    const chosen = forHost(host, text.variants, false)
    return chosen.length === 1 ? chosen[0]! : chosen.length === 0 ? '' : text.any
  }
  const render = (host: HostContext): string => {
    const chosen = forHost(host, variants)
    const head = part(intro, host)
    const tail = part(outro, host)
    // One variant left reads as a sentence: its label (who it is for) goes with the list it came from.
    const only = chosen.length === 1 ? chosen[0]!.replace(/^[^:`]{1,80}:\s+/, '') : undefined
    const body = only !== undefined ? [`${head ? `${head} ` : ''}${only}`] : [...(head ? [head] : []), ...chosen.map((t) => `- ${t}`)]
    return [...body, ...(tail ? [tail] : [])].join('\n')
  }
  return {full: render(ANY_HOST), for: render}
}

/** A sentence with host variants: the one that fits, `any` when several do (an unknown host), none when none does. */
export interface Sentence {
  any: string
  variants: readonly Variant[]
}

export interface HostText {
  /** The text for a host nothing is known about: every variant (the rule's page, SARIF). */
  full: string
  for: (host: HostContext) => string
}

const XEN_WORDS = /\bxen|\bxl\b|\bxm\b|dom0|hypervisor/i
const BULLET = /^(\s*(?:[-*]|\d+\.)\s+)(.*)$/
/** Which families a bullet's label names (the words before its first colon), as the fix texts write them. */
const FAMILY_WORDS: Array<[Family, RegExp]> = [
  ['rhel', /\b(RHEL|CentOS|Rocky|Alma|Fedora|Oracle Linux|kdump\.conf)\b/],
  ['debian', /\b(Debian|Ubuntu|kdump-tools)\b/],
  ['suse', /\b(SUSE|SLES|openSUSE)\b/],
  ['xenserver', /\b(XenServer|XCP-ng)\b/],
]

function labelFamilies(label: string): Family[] {
  return FAMILY_WORDS.filter(([, re]) => re.test(label)).map(([family]) => family)
}

/** A line without what speaks of Xen: its parentheticals, then its sentences; '' when nothing else is left. */
function withoutXen(line: string): string {
  if (!XEN_WORDS.test(line)) return line
  const bullet = BULLET.exec(line)
  const [lead, body] = bullet ? [bullet[1]!, bullet[2]!] : ['', line]
  const label = /^([^:`]{1,80}):\s/.exec(body)?.[1]
  // A bullet for Xen hosts goes whole; a label that only lists Xen among others (in parentheses) keeps its advice.
  const bare = label?.replace(/\([^()]*\)/g, '')
  if (bare && XEN_WORDS.test(bare) && !/\bnative|\bnatively/i.test(bare)) return ''
  let text = body.replace(/\s*\((?:[^()]|\([^()]*\))*\)/g, (group) => (XEN_WORDS.test(group) ? '' : group))
  text = text
    .split(/(?<=[.;])\s+(?=[A-Z`(])/)
    .filter((sentence) => !XEN_WORDS.test(sentence))
    .join(' ')
  return text.trim() === '' ? '' : lead + text
}

/**
 * A fix (or any advice) in this host's words, mechanically, for texts written for every host: on a host without
 * Xen, what speaks of Xen goes (a bullet whose label names it, a parenthetical, a sentence); on a host whose
 * distribution is known, bullets labelled for other distributions go (when one for this host remains).
 */
export function tailorAdvice(text: string, host: HostContext): string {
  // A bullet and the indented lines that continue it stand or fall together.
  const items: string[][] = []
  for (const line of text.split('\n')) {
    const last = items.at(-1)
    if (last && BULLET.test(last[0]!) && /^\s+\S/.test(line) && !BULLET.test(line)) last.push(line)
    else items.push([line])
  }
  let kept = items
  if (host.xen === false) {
    kept = kept
      .map((item) => (XEN_WORDS.test(item.join(' ')) ? [withoutXen(item.map((l) => l.trim()).join(' ').replace(/^/, /^\s*/.exec(item[0]!)![0]))] : item))
      .filter((item, i, all) => item[0] !== '' || (items[i]![0] === '' && i > 0 && all[i - 1]![0] !== ''))
  }
  const family = host.family
  if (family && family !== 'other') {
    // Only "- " bullets are alternatives for different hosts; numbered lines are steps, all of them kept.
    const labelled = kept.map((item) => {
      const bullet = /^\s*[-*]\s/.test(item[0]!) ? BULLET.exec(item[0]!) : null
      const label = bullet ? /^([^:`]{1,80}):\s/.exec(bullet[2]!)?.[1] : undefined
      return label ? labelFamilies(label) : []
    })
    if (labelled.some((families) => families.includes(family))) kept = kept.filter((_, i) => labelled[i]!.length === 0 || labelled[i]!.includes(family))
  }
  return kept.flat().join('\n')
}
