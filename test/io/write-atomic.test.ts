/**
 * The one write helper (src/io/write-atomic.ts), in a temporary directory: atomic replacement with
 * an unpredictable O_EXCL temp name, links refused (never written through), special files written in
 * place, `expect` preconditions, directory trees that never follow a link inside them, and cleanup of
 * temporaries when a build fails or the process is interrupted.
 */
import {spawn, spawnSync} from 'node:child_process'
import {chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {beforeEach, describe, expect, it} from 'vitest'
import {
  DirectoryWriter,
  fileStamp,
  openAppend,
  openAtomicOutput,
  removePendingTemporaries,
  sha256,
  writeDirectoryAtomic,
  writeExisting,
  writeFileAtomic,
} from '../../src/io/write-atomic.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kdc-write-'))
})

const here = (...parts: string[]) => path.join(dir, ...parts)

describe('writeFileAtomic', () => {
  it('creates a new file with 0666 minus the umask, and leaves no temporary file', async () => {
    expect(await writeFileAtomic(here('a.txt'), 'hello\n')).toBe('created')
    expect(readFileSync(here('a.txt'), 'utf8')).toBe('hello\n')
    const umask = Number.parseInt(/^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]!, 8)
    expect(statSync(here('a.txt')).mode & 0o777).toBe(0o666 & ~umask)
    expect(readdirSync(dir)).toEqual(['a.txt'])
  })

  it('replaces a regular file (a new inode: readers never see half a file) and keeps its mode', async () => {
    writeFileSync(here('a.txt'), 'old')
    chmodSync(here('a.txt'), 0o640)
    const before = statSync(here('a.txt')).ino
    expect(await writeFileAtomic(here('a.txt'), 'new')).toBe('replaced')
    expect(readFileSync(here('a.txt'), 'utf8')).toBe('new')
    expect(statSync(here('a.txt')).ino).not.toBe(before)
    expect(statSync(here('a.txt')).mode & 0o777).toBe(0o640)
    await writeFileAtomic(here('a.txt'), 'mode', {mode: 0o600})
    expect(statSync(here('a.txt')).mode & 0o777).toBe(0o600)
  })

  it('refuses a symbolic link at the target and leaves what it points to untouched', async () => {
    writeFileSync(here('victim'), 'precious')
    symlinkSync(here('victim'), here('out.txt'))
    await expect(writeFileAtomic(here('out.txt'), 'x')).rejects.toThrow(/out\.txt: is a symbolic link; kdumpcheck never writes through a link/)
    expect(readFileSync(here('victim'), 'utf8')).toBe('precious')
    expect(lstatSync(here('out.txt')).isSymbolicLink()).toBe(true)
    // A dangling link too: writing through it would create the file it names.
    symlinkSync(here('created-elsewhere'), here('dangling'))
    await expect(writeFileAtomic(here('dangling'), 'x')).rejects.toThrow(/symbolic link/)
    expect(existsSync(here('created-elsewhere'))).toBe(false)
  })

  it('uses an unpredictable temporary name: links planted at every name the old scheme used redirect nothing', async () => {
    writeFileSync(here('victim'), 'precious')
    symlinkSync(here('victim'), here(`.out.txt.${process.pid}.tmp`))
    symlinkSync(here('victim'), here('out.txt.tmp'))
    await writeFileAtomic(here('out.txt'), 'report')
    expect(readFileSync(here('victim'), 'utf8')).toBe('precious')
    expect(readFileSync(here('out.txt'), 'utf8')).toBe('report')
  })

  it('refuses a directory, an empty path and a path ending in /', async () => {
    mkdirSync(here('d'))
    await expect(writeFileAtomic(here('d'), 'x')).rejects.toThrow(/d: is a directory/)
    await expect(writeFileAtomic('', 'x')).rejects.toThrow(/an empty path/)
    await expect(writeFileAtomic(`${here('e')}/`, 'x')).rejects.toThrow(/names a directory/)
    await expect(writeFileAtomic(here('missing', 'x.txt'), 'x')).rejects.toThrow(/its directory does not exist/)
  })

  it('writes into a FIFO in place (its reader gets the data, the FIFO stays)', async () => {
    spawnSync('mkfifo', [here('fifo')])
    const cat = spawn('cat', [here('fifo')])
    let out = ''
    cat.stdout.on('data', (c: Buffer) => (out += c.toString()))
    const reader = new Promise<string>((resolve) => cat.on('close', () => resolve(out)))
    expect(await writeFileAtomic(here('fifo'), 'through the pipe\n')).toBe('special')
    expect(await reader).toBe('through the pipe\n')
    expect(lstatSync(here('fifo')).isFIFO()).toBe(true)
  })

  it('replaces only an unchanged file when `expect` is given (stamp, content hash, absent)', async () => {
    writeFileSync(here('grub'), 'GRUB_CMDLINE_XEN_DEFAULT=""\n')
    const stamp = (await fileStamp(here('grub')))!
    const hash = sha256(readFileSync(here('grub')))
    await writeFileAtomic(here('grub'), 'edited once\n', {expect: stamp})
    // The stamp now names the old inode: a second edit from the same read is refused.
    await expect(writeFileAtomic(here('grub'), 'edited twice\n', {expect: stamp})).rejects.toThrow(/changed since it was read/)
    await expect(writeFileAtomic(here('grub'), 'edited twice\n', {expect: {sha256: hash}})).rejects.toThrow(/its content differs/)
    expect(readFileSync(here('grub'), 'utf8')).toBe('edited once\n')
    await writeFileAtomic(here('grub'), 'by hash\n', {expect: {sha256: sha256('edited once\n')}})
    expect(readFileSync(here('grub'), 'utf8')).toBe('by hash\n')
    await expect(writeFileAtomic(here('grub'), 'x', {expect: 'absent'})).rejects.toThrow(/it exists now/)
    await writeFileAtomic(here('new'), 'x', {expect: 'absent'})
    expect(readdirSync(dir).sort()).toEqual(['grub', 'new'])
  })
})

describe('writeExisting (kernel control files)', () => {
  it('writes into an existing file without creating, truncating or following a link', async () => {
    writeFileSync(here('trigger'), '')
    await writeExisting(here('trigger'), 'c')
    expect(readFileSync(here('trigger'), 'utf8')).toBe('c')
    await expect(writeExisting(here('absent'), 'c')).rejects.toThrow(/absent: cannot write \(no such file or directory\)/)
    expect(existsSync(here('absent'))).toBe(false)
    writeFileSync(here('victim'), 'precious')
    symlinkSync(here('victim'), here('link'))
    await expect(writeExisting(here('link'), 'c')).rejects.toThrow(/symbolic link/)
    expect(readFileSync(here('victim'), 'utf8')).toBe('precious')
  })
})

describe('openAppend (results files)', () => {
  it('refuses a link and a non-regular file, creates exclusively when asked', async () => {
    writeFileSync(here('victim'), 'precious')
    symlinkSync(here('victim'), here('results.jsonl'))
    await expect(openAppend(here('results.jsonl'), {exclusive: false})).rejects.toThrow(/symbolic link/)
    await expect(openAppend(here('results.jsonl'), {exclusive: true})).rejects.toThrow()
    expect(readFileSync(here('victim'), 'utf8')).toBe('precious')
    spawnSync('mkfifo', [here('fifo')])
    await expect(openAppend(here('fifo'), {exclusive: false})).rejects.toThrow(/fifo: is a FIFO, not a regular file/)
    const handle = await openAppend(here('fresh.jsonl'), {exclusive: true})
    await handle.write('a\n')
    await handle.close()
    expect(readFileSync(here('fresh.jsonl'), 'utf8')).toBe('a\n')
  })
})

describe('DirectoryWriter', () => {
  it('never follows a link below its directory: not to create a file, not to enter a directory', async () => {
    mkdirSync(here('outside'))
    mkdirSync(here('root'))
    symlinkSync(here('outside'), here('root', 'etc'))
    symlinkSync(here('outside', 'passwd'), here('root', 'passwd'))
    const writer = await DirectoryWriter.open(here('root'))
    await expect(writer.writeFile('etc/kdump.conf', 'x')).rejects.toThrow(/etc is a symbolic link; kdumpcheck never follows a link inside a directory it writes/)
    await expect(writer.writeFile('passwd', 'x')).rejects.toThrow(/cannot write \(already exists\)/)
    await expect(writer.replaceFile('passwd', 'x')).rejects.toThrow(/symbolic link/)
    await expect(writer.replaceFile('etc/kdump.conf', 'x')).rejects.toThrow(/symbolic link/)
    await expect(writer.writeFile('../escape', 'x')).rejects.toThrow(/not a plain name/)
    await writer.writeFile('boot/grub/grub.cfg', 'menuentry\n')
    await writer.replaceFile('boot/grub/grub.cfg', 'menuentry 2\n', {expect: {sha256: sha256('menuentry\n')}})
    await writer.close()
    expect(readdirSync(here('outside'))).toEqual([])
    expect(readFileSync(here('root', 'boot/grub/grub.cfg'), 'utf8')).toBe('menuentry 2\n')
  })
})

describe('writeDirectoryAtomic', () => {
  it('builds beside the target and renames into place; an empty target directory is replaced', async () => {
    mkdirSync(here('snap'))
    await writeDirectoryAtomic(here('snap'), async (w) => {
      await w.writeFile('snapshot.json', '{}\n')
      await w.writeFile('files/proc/cmdline', 'ro\n')
    })
    expect(readdirSync(here('snap')).sort()).toEqual(['files', 'snapshot.json'])
    expect(readdirSync(dir)).toEqual(['snap'])
  })

  it('refuses a non-empty target unless forced; forced, the old tree goes and a link inside it is never followed', async () => {
    mkdirSync(here('outside'))
    mkdirSync(here('snap'))
    symlinkSync(here('outside'), here('snap', 'files'))
    const build = async (w: DirectoryWriter) => w.writeFile('files/etc/kdump.conf', 'path /var/crash\n')
    await expect(writeDirectoryAtomic(here('snap'), build)).rejects.toThrow(/snap: exists and is not empty; choose a new directory, or pass --force to replace it/)
    await writeDirectoryAtomic(here('snap'), build, {force: true})
    expect(lstatSync(here('snap', 'files')).isDirectory()).toBe(true)
    expect(readdirSync(here('outside'))).toEqual([])
    expect(readdirSync(dir).sort()).toEqual(['outside', 'snap'])
  })

  it('refuses a symbolic link or a file at the target', async () => {
    mkdirSync(here('real'))
    symlinkSync(here('real'), here('link'))
    writeFileSync(here('file'), '')
    await expect(writeDirectoryAtomic(here('link'), async () => {})).rejects.toThrow(/link: is a symbolic link/)
    await expect(writeDirectoryAtomic(here('file'), async () => {})).rejects.toThrow(/file: exists and is a regular file, not a directory/)
  })

  it('leaves nothing behind when the build fails', async () => {
    await expect(
      writeDirectoryAtomic(here('snap'), async (w) => {
        await w.writeFile('snapshot.json', '{}')
        throw new Error('disk on fire')
      }),
    ).rejects.toThrow(/snap: cannot write \(disk on fire\)/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('removes its temporary directory when the process is interrupted mid-build', async () => {
    let seen: string[] = []
    await expect(
      writeDirectoryAtomic(here('snap'), async (w) => {
        await w.writeFile('snapshot.json', '{}')
        seen = readdirSync(dir)
        // What the SIGINT/SIGTERM handler and the exit hook run.
        removePendingTemporaries()
        throw new Error('interrupted')
      }),
    ).rejects.toThrow()
    expect(seen).toEqual([expect.stringMatching(/^\.snap\.kdumpcheck-/)])
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('openAtomicOutput (streamed output)', () => {
  const finish = (out: {stream: NodeJS.WritableStream}, text: string) =>
    new Promise<void>((resolve, reject) => {
      out.stream.once('error', reject)
      out.stream.once('finish', () => resolve())
      out.stream.end(text)
    })

  it('streams into a temporary file renamed into place; abort leaves the target as it was', async () => {
    writeFileSync(here('image.tar'), 'old')
    const out = await openAtomicOutput(here('image.tar'))
    expect(readdirSync(dir).length).toBe(2)
    await finish(out, 'new tarball')
    expect(readFileSync(here('image.tar'), 'utf8')).toBe('old')
    expect(await out.commit()).toBe('replaced')
    expect(readFileSync(here('image.tar'), 'utf8')).toBe('new tarball')
    const aborted = await openAtomicOutput(here('image.tar'))
    aborted.stream.write('half')
    await aborted.abort()
    expect(readdirSync(dir)).toEqual(['image.tar'])
    expect(readFileSync(here('image.tar'), 'utf8')).toBe('new tarball')
  })

  it('refuses a link at the target and streams into a FIFO in place', async () => {
    writeFileSync(here('victim'), 'precious')
    symlinkSync(here('victim'), here('out.tar'))
    await expect(openAtomicOutput(here('out.tar'))).rejects.toThrow(/symbolic link/)
    spawnSync('mkfifo', [here('fifo')])
    const cat = spawn('cat', [here('fifo')])
    let got = ''
    cat.stdout.on('data', (c: Buffer) => (got += c.toString()))
    const closed = new Promise<void>((resolve) => cat.on('close', () => resolve()))
    const out = await openAtomicOutput(here('fifo'))
    await finish(out, 'streamed')
    expect(await out.commit()).toBe('special')
    await closed
    expect(got).toBe('streamed')
    expect(lstatSync(here('fifo')).isFIFO()).toBe(true)
    expect(readFileSync(here('victim'), 'utf8')).toBe('precious')
  })
})

describe('DirectoryWriter.symlink', () => {
  it('creates a link once, accepts the identical one, and never replaces anything else', async () => {
    const writer = await DirectoryWriter.open(dir)
    expect(await writer.symlink('etc/systemd/system/multi-user.target.wants/kdump-tools.service', '/lib/systemd/system/kdump-tools.service')).toBe('created')
    expect(await writer.symlink('etc/systemd/system/multi-user.target.wants/kdump-tools.service', '/lib/systemd/system/kdump-tools.service')).toBe('exists')
    await expect(writer.symlink('etc/systemd/system/multi-user.target.wants/kdump-tools.service', '/elsewhere')).rejects.toThrow(/something else is already there/)
    writeFileSync(here('file'), 'x')
    await expect(writer.symlink('file', '/x')).rejects.toThrow(/something else is already there/)
    await writer.close()
    expect(readFileSync(here('file'), 'utf8')).toBe('x')
  })
})
