/**
 * KD101, KD102, KD103, KD104, KD106, KD107: the next boot's Xen line gets one crashkernel= that the
 * Xen it boots accepts, sized for the machine:
 * - the running line's value is kept when it reserved a region (KD103 and KD104 pass): KD106's
 *   "restore the running line's setting";
 * - else the next boot's own value when it is valid for this Xen;
 * - else a new one: `<size>M,below=4G` from Xen 4.10, `<size>M<4G` on 4.8-4.9 (grub2 needs `\<`),
 *   `<size>M@64M` before (the forms checks/shared/xen-fixes.ts recommends and KD103 replays).
 * The size holds the capture kernel and initrd, about 160 MiB for the capture kernel and makedumpfile
 * on Xen (KD105's working memory, 32 MiB of it makedumpfile's bitmaps), and the bitmaps beyond that
 * (one bit per 4 KiB page, twice: RAM/16384, more than 32 MiB above 512 GiB of RAM), rounded up to
 * 64 MiB and never below 256 MiB.
 * crashkernel= on dom0's line does nothing under Xen. It is MOVED off (removed where it is Xen's
 * own: a module line, extlinux's dom0 part, GRUB_CMDLINE_LINUX_XEN_REPLACE*) except on Debian,
 * whose kdump-config refuses to load without crashkernel= in dom0's /proc/cmdline (seen in the lab),
 * and where it sits in GRUB_CMDLINE_LINUX*, which native entries share.
 */
import {crashkernelToken} from '../../facts/command-lines.js'
import {shellCommand} from '../../sources/shell-quote.js'
import {parseCrashkernel, selectSize, simulateXenCrashkernel, xenMinVersionFor, hasUnescapedLessThan} from '../../parsers/crashkernel.js'
import {compareXenVersions, xenAtLeast, type XenMajorMinor} from '../../parsers/xen-version.js'
import {REBOOT, type FixContext} from '../context.js'
import type {Activation} from '../types.js'
import type {WordOp} from '../editors/words.js'

const IDS = ['KD101', 'KD102', 'KD103', 'KD104', 'KD106', 'KD107'] as const
const MiB = 1048576

const isCrashkernel = (w: string): boolean => /^crashkernel=/.test(w)

export function crashkernelSize(imageBytes: number | undefined, ramBytes: number | undefined): number {
  const images = (imageBytes ?? 96 * MiB) / MiB
  // KD105's working memory on Xen (128 MiB + 32 MiB) already holds 32 MiB of bitmaps: 512 GiB of RAM.
  const bitmaps = Math.max(0, (ramBytes ?? 0) / 16384 / MiB - 32)
  return Math.max(256, Math.ceil((images + 160 + bitmaps) / 64) * 64)
}

export function xenCrashkernelValue(version: XenMajorMinor, sizeMiB: number): string {
  if (xenAtLeast(version, 4, 10)) return `${sizeMiB}M,below=4G`
  if (xenAtLeast(version, 4, 8)) return `${sizeMiB}M<4G`
  return `${sizeMiB}M@64M`
}

/** Whether Xen `version` reads `value` as written and reserves something on a machine of `ramBytes`. */
export function xenAccepts(value: string, version: XenMajorMinor, ramBytes: number | undefined): boolean {
  const spec = parseCrashkernel(value, {dialect: 'xen'})
  if (!spec.ok || spec.problems.length > 0) return false
  const needed = xenMinVersionFor(spec.value)
  if (!needed || compareXenVersions(version, needed) < 0) return false
  const replay = simulateXenCrashkernel(value, version)
  if (replay.warnings.length > 0 || replay.unitless.length > 0) return false
  if (spec.value.form === 'ranges' && ramBytes !== undefined && (selectSize(spec.value, ramBytes) ?? 0n) === 0n) return false
  return true
}

export function fixCrashkernel(ctx: FixContext): void {
  const hits = IDS.map((id) => ctx.problem(id)).filter((f) => f !== undefined)
  if (hits.length === 0) return
  const v = ctx.view
  const ids = hits.map((f) => f.id)
  const kd106 = ctx.problem('KD106')
  const boot = v.nextBoot
  if (kd106 && boot.known && v.xenDom0 && !boot.value.entry.isXen) {
    ctx.person('KD106', `The default boot entry "${boot.value.entry.title}" does not start Xen: choose the Xen entry as the default (GRUB_DEFAULT / \`default\`) by hand; kdumpcheck does not pick boot entries.`)
  }
  if (!v.xenDom0) {
    for (const id of ids.filter((i) => i === 'KD101' || i === 'KD107')) {
      ctx.person(id, 'crashkernel= on a native (non-Xen) kernel line is not edited by kdumpcheck fix yet: follow the finding\'s fix (RHEL 8+: `kdumpctl reset-crashkernel`; Debian: kdump-tools\' grub drop-in, then update-grub).')
    }
    return
  }
  if (!ctx.boot) {
    for (const id of ids) ctx.person(id, 'The next boot\'s configuration (grub.cfg, grub.conf, menu.lst, extlinux.conf or /etc/default/grub) is not in the evidence, so there is nothing to edit: put crashkernel= on the Xen line by hand (see the finding\'s fix).')
    return
  }
  if (!v.xen) {
    for (const id of ids) ctx.person(id, 'The Xen version is unknown (no xl info, no xen-X.Y file in /boot, no xen-hypervisor package), and the crashkernel= syntax Xen accepts depends on it (`,below=` from 4.10, `<` from 4.8): tell which Xen boots and set it by hand.')
    return
  }
  const version = v.xen.version
  const f103 = v.findings.get('KD103')?.status
  const f104 = v.findings.get('KD104')?.status
  const running = ctx.live && v.runningXenLine.known ? crashkernelToken(v.runningXenLine.value) : undefined
  const nextLine = boot.known ? boot.value.xenLine : undefined
  const next = nextLine ? crashkernelToken(nextLine) : undefined
  const nextRaw = boot.known ? boot.value.entry.xen?.argsRaw : undefined
  const escapedBadly = boot.known && boot.value.loader === 'grub2' && nextRaw !== undefined && /crashkernel=/.test(nextRaw) && hasUnescapedLessThan(nextRaw)
  const failedToPlace = f104 === 'fail'
  const fixedOffset = (value: string | undefined): boolean => value !== undefined && /@/.test(value)
  const details: string[] = []
  let value: string
  if (running?.value !== undefined && f103 === 'pass' && f104 === 'pass' && xenAccepts(running.value, version, v.ramBytes)) {
    value = running.value
    details.push(`The running Xen line's ${running.raw} reserved a region, so the next boot gets the same (KD106: restore the running setting).`)
  } else if (next?.value !== undefined && !escapedBadly && xenAccepts(next.value, version, v.ramBytes) && !(failedToPlace && fixedOffset(next.value))) {
    value = next.value
    details.push(`The next boot already has ${next.raw}, which Xen ${v.xen.text} accepts.`)
  } else {
    const size = crashkernelSize(v.captureImageBytes, v.ramBytes)
    value = xenCrashkernelValue(version, size)
    const ram = v.ramBytes === undefined ? 'the machine\'s RAM is unknown here (an image), so it is sized for the capture kernel and makedumpfile alone; add RAM/16384 for makedumpfile\'s bitmaps on very large hosts' : `sized for ${(v.ramBytes / 2 ** 30).toFixed(0)} GiB of machine RAM`
    details.push(`crashkernel=${value}: the form Xen ${v.xen.text} (${v.xen.from}) accepts (\`,below=\` needs 4.10, \`<\` 4.8), ${ram}.`)
    if (failedToPlace && (fixedOffset(running?.value) || fixedOffset(next?.value))) details.push('The old value asked for a fixed address Xen could not reserve; the new one lets Xen place the region below 4 GiB.')
  }
  const word = `crashkernel=${value}`
  const ops: WordOp[] = [{kind: 'set', match: isCrashkernel, word}]
  const result = ctx.boot.edit(ctx.ws, 'xen', ops)
  if (!result.ok) {
    for (const id of ids) ctx.person(id, `${word} belongs on the Xen line, but ${result.reason}.`)
    return
  }
  const paths = [...result.paths]
  if (result.where.length > 0) details.unshift(`Set ${word} on the Xen line: ${result.where.join('; ')}.`)

  // crashkernel= on dom0's line.
  const dom0Line = boot.known ? boot.value.linuxLine : undefined
  const onDom0 = dom0Line ? crashkernelToken(dom0Line) : undefined
  if (onDom0) {
    const sharedDefaults = ctx.boot.defaults.length > 0 && !dom0UsesXenReplace(ctx)
    if (v.family === 'debian') details.push(`${onDom0.raw} stays on dom0's line: Debian's kdump-config refuses to load without crashkernel= in dom0's /proc/cmdline (under Xen the kernel ignores it).`)
    else if (v.family === undefined) details.push(`${onDom0.raw} stays on dom0's line: which kdump service loads the capture kernel is unknown, and Debian's needs it there.`)
    else if (sharedDefaults) details.push(`${onDom0.raw} stays in GRUB_CMDLINE_LINUX*: native (non-Xen) entries use the same variables and need it; under Xen it is ignored.`)
    else {
      const moved = ctx.boot.edit(ctx.ws, 'dom0', [{kind: 'remove', match: isCrashkernel}])
      if (moved.ok && moved.paths.length > 0) {
        paths.push(...moved.paths)
        details.push(`Removed ${onDom0.raw} from dom0's line (${moved.where.join('; ')}): under Xen it reserves nothing, and ${v.family === 'rhel' ? "RHEL's kdump" : v.family === 'suse' ? "SUSE's kdump" : "XenServer's kdump"} does not need it there.`)
      } else if (!moved.ok) details.push(`${onDom0.raw} stays on dom0's line: ${moved.reason}.`)
    }
  }

  if (!onDom0 && v.family === 'debian' && dom0Line) {
    // Seen in the lab (scenario FIXED): with crashkernel= on Xen's line only, Debian's kdump-config load
    // said "no crashkernel= parameter in the kernel cmdline" and loaded nothing. Restore what kdump-tools
    // itself puts there: its grub drop-in (the generated entries, and native ones, as packaged), or the
    // word on dom0's line where grub.cfg or a dom0-only variable is what the next boot reads.
    const added = addDebianDom0Crashkernel(ctx)
    if (added.ok && added.paths.length > 0) {
      paths.push(...added.paths)
      details.push(`Added ${DEBIAN_DOM0_CRASHKERNEL} to dom0's line (${added.where.join('; ')}): Debian's kdump-config refuses to load a capture kernel without crashkernel= in dom0's /proc/cmdline (under Xen the kernel ignores it; the region is Xen's).`)
    } else {
      details.push(`dom0's line has no crashkernel=: Debian's kdump-config refuses to load without one in dom0's /proc/cmdline. kdump-tools' drop-in ${KDUMP_TOOLS_DROPIN} adds it (GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT ${DEBIAN_DOM0_CRASHKERNEL}"); restore it${added.ok ? '' : ` (${added.reason})`}.`)
    }
  }
  const activation: Activation[] = []
  if (ctx.live) {
    activation.push(...regenerate(ctx), REBOOT)
    if (v.family === 'xenserver' && ctx.boot.defaults.length === 0) {
      details.push(`On XenServer/XCP-ng, \`/opt/xensource/libexec/xen-cmdline --set-xen ${word}\` makes the same change as the diff (use one or the other).`)
    }
  }
  const staticIds = ids.filter((id) => id === 'KD107')
  const liveIds = ids.filter((id) => id === 'KD101' || id === 'KD102' || id === 'KD103' || id === 'KD106')
  if (ids.includes('KD104')) details.push('Whether Xen can place the region shows only after the reboot: `xl dmesg | grep Kdump` must say "Kdump: ... at 0x...".')
  ctx.item({
    findings: ids,
    summary: paths.length > 0 ? `crashkernel=${value} on the Xen line of the next boot` : `the next boot already has crashkernel=${value}: ${ctx.live ? 'reboot to activate it' : 'nothing to edit'}`,
    details,
    paths: [...new Set(paths)],
    repairs: ctx.live ? [] : staticIds,
    repairsAfterActivation: ctx.live ? liveIds : [],
    activation,
  })
}

/** kdump-tools' grub drop-in, as Debian packages it (kdump-tools 1.8). */
const KDUMP_TOOLS_DROPIN = '/etc/default/grub.d/kdump-tools.cfg'
const DEBIAN_DOM0_CRASHKERNEL = 'crashkernel=384M-:128M'

function addDebianDom0Crashkernel(ctx: FixContext): {ok: true; paths: string[]; where: string[]} | {ok: false; reason: string} {
  const boot = ctx.boot!
  const paths: string[] = []
  const where: string[] = []
  // The drop-in adds to GRUB_CMDLINE_LINUX_DEFAULT, which dom0's Xen entries use unless
  // GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT replaces it; then that variable gets the word instead.
  const replaceDefault = boot.defaults.some((p) => /^\s*(export\s+)?GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT=["']?[^"'\s]/m.test(ctx.ws.read(p) ?? ''))
  const dropIn = boot.defaults.length > 0 && !replaceDefault
  if (dropIn && ctx.ws.read(KDUMP_TOOLS_DROPIN) !== undefined) return {ok: false, reason: `${KDUMP_TOOLS_DROPIN} exists but no longer adds it: edit it by hand`}
  // The boot file the next boot reads (grub.cfg, grub legacy, extlinux), and dom0's own variables.
  const direct = boot.edit(ctx.ws, 'dom0', [{kind: 'set', match: isCrashkernel, word: DEBIAN_DOM0_CRASHKERNEL}], {defaults: !dropIn})
  if (!direct.ok) return direct
  paths.push(...direct.paths)
  where.push(...direct.where)
  if (dropIn) {
    ctx.ws.write(KDUMP_TOOLS_DROPIN, `GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT ${DEBIAN_DOM0_CRASHKERNEL}"\n`)
    paths.push(KDUMP_TOOLS_DROPIN)
    where.push(`${KDUMP_TOOLS_DROPIN} (new, as kdump-tools packages it)`)
  }
  return {ok: true, paths, where}
}

function dom0UsesXenReplace(ctx: FixContext): boolean {
  return ctx.boot!.defaults.some((p) => /^\s*(export\s+)?GRUB_CMDLINE_LINUX_XEN_REPLACE(_DEFAULT)?=["']?[^"'\s]/m.test(ctx.ws.read(p) ?? ''))
}

/** The command that rebuilds grub.cfg from the defaults on a live host. */
export function regenerate(ctx: FixContext): Activation[] {
  const boot = ctx.boot
  if (!boot || boot.defaults.length === 0) return []
  if (ctx.view.family === 'debian' || ctx.view.snapshot.file('/etc/debian_version')) {
    return [{command: 'update-grub', why: 'grub.cfg is generated from /etc/default/grub (and grub.d); a kernel update runs it too'}]
  }
  const file = boot.bootFile ?? '/boot/grub2/grub.cfg'
  return [{command: shellCommand(['grub2-mkconfig', '-o', file]), why: 'grub.cfg is generated from /etc/default/grub'}]
}
