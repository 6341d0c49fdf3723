/**
 * What every boot-loader parser (grub legacy, grub2, extlinux) reports about one menu entry, so a
 * check can ask "what does Xen get, what does dom0 get" without knowing which loader wrote it.
 */

export interface BootImage {
  /** The image as written (`/xen.gz-2.6.18-406.el5`, `(hd0,0)/vmlinuz`, `/boot/initrd-4.19-xen.img`). */
  path: string
  /**
   * The arguments as the loaded image receives them: for grub2 after quote removal with variables
   * expanded (to '' when unknown) and Debian's leading `placeholder` word dropped; for grub legacy
   * and extlinux, which pass text verbatim, the same as `argsRaw`.
   */
  args: string
  /** The arguments exactly as written after the path, trimmed. */
  argsRaw: string
  /** 1-based line of the command that loads the image. */
  line: number
}

export interface BootEntry {
  title: string
  /** 1-based line of the `title` / `menuentry` / `label`. */
  line: number
  /** Boots the Xen hypervisor (directly or after tboot). */
  isXen: boolean
  /** The hypervisor and its command line (the Xen line that `crashkernel=` must be on). */
  xen?: BootImage
  /** The Linux kernel: dom0's under Xen, else the kernel itself. */
  linux?: BootImage
  initrds: BootImage[]
  /** Further multiboot modules (XSM policy, microcode) or a non-Xen multiboot kernel's modules. */
  otherModules: BootImage[]
}

/** Xen images are named `xen.gz`, `xen-4.17-amd64.gz`, `xen.gz-2.6.18-406.el5`, `xen-4.1.5.gz`, `xen.efi`. */
export function looksLikeXen(path: string): boolean {
  const base = path.replace(/^\([^)]*\)/, '').split('/').pop() ?? ''
  return /^xen(?:[-.]|$)/i.test(base) && !/^xen[-_]?policy/i.test(base)
}

function looksLikeTboot(path: string): boolean {
  return /^tboot/i.test(path.split('/').pop() ?? '')
}

/**
 * Sorts a multiboot kernel and its modules into hypervisor, dom0 kernel and initrd. Xen takes its
 * first module as dom0's kernel and the second as dom0's initrd; tboot (Intel TXT) comes first
 * and loads Xen as its first module.
 */
export function classifyMultiboot(kernel: BootImage, modules: BootImage[]): Pick<BootEntry, 'isXen' | 'xen' | 'linux' | 'initrds' | 'otherModules'> {
  let xen: BootImage | undefined
  let rest = modules
  if (looksLikeXen(kernel.path)) xen = kernel
  else if (looksLikeTboot(kernel.path)) {
    const i = modules.findIndex((m) => looksLikeXen(m.path))
    if (i >= 0) {
      xen = modules[i]
      rest = [...modules.slice(0, i), ...modules.slice(i + 1)]
    }
  }
  if (!xen) return {isXen: false, initrds: [], otherModules: modules}
  const [linux, initrd, ...others] = rest
  const out: Pick<BootEntry, 'isXen' | 'xen' | 'linux' | 'initrds' | 'otherModules'> = {isXen: true, xen, initrds: initrd ? [initrd] : [], otherModules: others}
  if (linux) out.linux = linux
  return out
}
