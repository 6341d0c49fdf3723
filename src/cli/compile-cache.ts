/**
 * Node's module compile cache (Node 22.1+): V8 code for kdumpcheck's bundled chunks is kept on disk, so a run
 * after the first skips compiling ~1 MB of JavaScript (bench/RESULTS.md has the figures). bin/run.js calls
 * `enableCompileCache()` before it imports anything else; the module imports only Node built-ins.
 *
 * Where: `$XDG_CACHE_HOME/kdumpcheck` when XDG_CACHE_HOME is an absolute path, else `<os temp dir>/kdumpcheck-<uid>`.
 * Node reads and writes files inside that directory by name, and following a planted symlink or opening a planted
 * FIFO there would let another user redirect root's writes or hang it. So the cache is used only when the directory
 * is one nobody else can change: created here with mode 0700 (or found so), a real directory owned by this user and
 * writable by no one else, under parents that only root or this user can rename entries in (sticky, like /tmp, counts).
 * Anything else (read-only file system, foreign owner, symlink, odd mode, any error) means no cache: never fatal,
 * never a message. Node's own NODE_COMPILE_CACHE and NODE_DISABLE_COMPILE_CACHE=1 are honoured.
 */
import {lstatSync, mkdirSync, realpathSync} from 'node:fs'
import module from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'

export type CompileCacheOutcome =
  | {enabled: true; directory: string}
  | {enabled: false; reason: string}

interface NodeCompileCacheResult {
  status: number
  message?: string
  directory?: string
}

type EnableCompileCache = (directory?: string) => NodeCompileCacheResult

/** The directory kdumpcheck asks Node to keep its compile cache in, or undefined when there is none to ask for. */
export function compileCacheDirectory(env: NodeJS.ProcessEnv, uid: number | undefined, tmp: string): string | undefined {
  const xdg = env.XDG_CACHE_HOME
  // The XDG base directory spec says relative values are invalid and must be ignored.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'kdumpcheck')
  if (uid === undefined || !path.isAbsolute(tmp)) return undefined
  return path.join(tmp, `kdumpcheck-${uid}`)
}

const STICKY = 0o1000

/**
 * Checks `dir`'s existing ancestors, makes what is missing of it (mode 0700, as the XDG spec asks for a missing
 * $XDG_CACHE_HOME), and returns the directory to use (symlinks in its existing part resolved) or why there is none:
 * `dir` must be a real directory owned by `uid` and writable by nobody else, and every existing ancestor must be
 * owned by root or `uid` and be writable only by its owner or sticky.
 */
export function safeCacheDirectory(
  dir: string,
  uid: number,
  /** Creates the missing part (tests put a racing user in here). */
  make: (directory: string) => void = (directory) => mkdirSync(directory, {recursive: true, mode: 0o700}),
): {directory: string} | {unsafe: string} {
  try {
    // The ancestors are checked first, so that nothing is created under a directory someone else controls.
    let existing = path.dirname(dir)
    const missing = [path.basename(dir)]
    while (!exists(existing)) {
      const up = path.dirname(existing)
      if (up === existing) return {unsafe: `no existing ancestor of ${dir}`}
      missing.unshift(path.basename(existing))
      existing = up
    }
    const parent = realpathSync(existing)
    for (let up = parent; ; ) {
      const st = lstatSync(up)
      if (st.uid !== 0 && st.uid !== uid) return {unsafe: `${up} is owned by uid ${st.uid}`}
      if ((st.mode & 0o022) !== 0 && (st.mode & STICKY) === 0) return {unsafe: `${up} is writable by others and not sticky`}
      const next = path.dirname(up)
      if (next === up) break
      up = next
    }
    const directory = path.join(parent, ...missing)
    try {
      make(directory)
    } catch (error) {
      // Something that is not a directory is there: the checks below say what.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    // What was missing is checked again now that it exists, top down: between the checks above and the mkdir,
    // another user could have made a missing component (in a sticky /tmp) as a link or as a directory of their
    // own, and then rename what was created inside it at will. Each level must be this user's own real
    // directory that nobody else can write to, so that nothing below it can be swapped afterwards.
    for (let i = 1; i < missing.length; i++) {
      const level = path.join(parent, ...missing.slice(0, i))
      const st = lstatSync(level)
      if (st.isSymbolicLink() || !st.isDirectory()) return {unsafe: `${level} is not a directory`}
      if (st.uid !== uid) return {unsafe: `${level} is owned by uid ${st.uid}, not ${uid}`}
      if ((st.mode & 0o022) !== 0) return {unsafe: `${level} is writable by group or others`}
    }
    const own = lstatSync(directory)
    if (own.isSymbolicLink()) return {unsafe: `${directory} is a symbolic link`}
    if (!own.isDirectory()) return {unsafe: `${directory} is not a directory`}
    if (own.uid !== uid) return {unsafe: `${directory} is owned by uid ${own.uid}, not ${uid}`}
    if ((own.mode & 0o022) !== 0) return {unsafe: `${directory} is writable by group or others`}
    return {directory}
  } catch (error) {
    return {unsafe: `cannot use ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`}
  }
}

/** Whether anything (a dangling symlink too) is at `p`. */
function exists(p: string): boolean {
  try {
    lstatSync(p)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

/** Turns the compile cache on when Node has one and a safe directory exists; says what happened and why. */
export function enableCompileCache(env: NodeJS.ProcessEnv = process.env): CompileCacheOutcome {
  try {
    const enable = (module as unknown as {enableCompileCache?: EnableCompileCache}).enableCompileCache
    if (typeof enable !== 'function') return {enabled: false, reason: `node ${process.version} has no module.enableCompileCache`}
    if (env.NODE_DISABLE_COMPILE_CACHE) return {enabled: false, reason: 'NODE_DISABLE_COMPILE_CACHE is set'}
    // The user's own NODE_COMPILE_CACHE was already applied by Node at start-up: leave it alone.
    if (env.NODE_COMPILE_CACHE) return {enabled: false, reason: 'NODE_COMPILE_CACHE is set: Node manages the cache'}
    // The effective uid: the one that owns what Node writes.
    const uid = process.geteuid?.()
    const dir = compileCacheDirectory(env, uid, tmpdir())
    if (dir === undefined || uid === undefined) return {enabled: false, reason: 'no cache directory on this platform'}
    const safe = safeCacheDirectory(dir, uid)
    if ('unsafe' in safe) return {enabled: false, reason: safe.unsafe}
    const result = enable(safe.directory)
    const status = (module as unknown as {constants?: {compileCacheStatus?: Record<string, number>}}).constants?.compileCacheStatus
    if (result.directory && (result.status === status?.ENABLED || result.status === status?.ALREADY_ENABLED)) return {enabled: true, directory: result.directory}
    return {enabled: false, reason: result.message ?? `status ${result.status}`}
  } catch (error) {
    return {enabled: false, reason: String(error)}
  }
}
