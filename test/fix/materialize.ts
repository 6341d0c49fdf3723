/**
 * A fixture's evidence laid out as a root filesystem: files/ copied, and what the image listings
 * (ls-boot, ls-services) show recreated (symlinks, directories, sparse files of the listed size,
 * their times), so that `--root` reads the same evidence as the fixture's snapshot.
 */
import {cpSync, existsSync, lstatSync, lutimesSync, mkdirSync, readFileSync, symlinkSync, truncateSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {parseLsBoot} from '../../src/parsers/ls-boot.js'

export function materializeRoot(fixture: string, dest: string): void {
  mkdirSync(dest, {recursive: true})
  const files = path.join(fixture, 'files')
  if (existsSync(files)) cpSync(files, dest, {recursive: true})
  const meta = JSON.parse(readFileSync(path.join(fixture, 'snapshot.json'), 'utf8')) as {collected_at: string}
  for (const probe of ['ls-services', 'ls-boot']) {
    const out = path.join(fixture, 'commands', `${probe}.out`)
    if (!existsSync(out)) continue
    const listing = parseLsBoot(readFileSync(out, 'utf8'), '', {referenceTime: meta.collected_at})
    if (!listing.ok) continue
    for (const d of listing.value.dirs) mkdirSync(path.join(dest, d.path), {recursive: true})
    for (const e of listing.value.entries) {
      if (e.dir === null) continue
      const at = path.join(dest, e.dir, e.name)
      const when = e.mtime.value === null ? undefined : new Date(e.mtime.value)
      if (e.type === 'symlink' && e.linkTarget !== undefined) {
        if (!lstatSync(at, {throwIfNoEntry: false})) symlinkSync(e.linkTarget, at)
        if (when) lutimesSync(at, when, when)
      } else if (e.type === 'dir') {
        mkdirSync(at, {recursive: true})
      } else if (e.type === 'file') {
        if (!existsSync(at)) {
          writeFileSync(at, '')
          truncateSync(at, e.size ?? 0)
        }
        if (when) utimesSync(at, when, when)
      }
    }
  }
}

