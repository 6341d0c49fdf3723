/**
 * Wording chosen for the host: a fix names the commands of this host's distribution and boot loader only, and a
 * host without Xen never reads Xen advice. When what decides the wording is unknown, every variant is kept (a
 * reader on an unidentified host gets the whole list, as before).
 *
 * Checks stay pure: they build wording from facts through hostContext(); the engine (report/report.ts) picks a
 * check's `nativeTitle` and `fixFor` with the same context.
 */
import type {Facts} from '../../facts/facts.js'

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
  image: boolean
}

/** Every variant applies: the wording for a host nothing is known about. */
export const ANY_HOST: HostContext = {xen: undefined, family: undefined, legacyInit: undefined, loader: undefined, toolstack: undefined, image: false}

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
  return {xen, family, legacyInit, loader: bootLoader, toolstack, image: facts.kind === 'static'}
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
  if (when.xen !== undefined && host.xen !== undefined && when.xen !== host.xen) return false
  return true
}

/**
 * The variants for this host: those whose selector fits (a fact that is not known excludes nothing). When the
 * host fits none (a distribution no variant names), all of them: better every family's commands than none.
 */
export function forHost(host: HostContext, variants: readonly Variant[]): string[] {
  const chosen = variants.filter(([when]) => fits(host, when))
  return (chosen.length > 0 ? chosen : variants.filter(([when]) => when.image !== true || host.image)).map(([, text]) => text)
}

/**
 * A text with host variants: `full` (every variant, for the rule's page and unknown hosts) and `for(host)`.
 * Lines of `variants` become bullets, unless one alone is chosen, which then reads as a sentence.
 */
export function hostText(intro: string, variants: readonly Variant[], outro = ''): {full: string; for: (host: HostContext) => string} {
  const render = (chosen: string[]): string => {
    const body = chosen.length === 1 ? [`${intro ? `${intro} ` : ''}${chosen[0]}`] : [...(intro ? [intro] : []), ...chosen.map((t) => `- ${t}`)]
    return [...body, ...(outro ? [outro] : [])].join('\n')
  }
  return {full: render(variants.map(([, t]) => t)), for: (host) => render(forHost(host, variants))}
}
