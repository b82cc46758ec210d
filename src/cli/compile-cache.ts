/**
 * @module The command's start-up without compiling twice: the CLI bundle (a CommonJS file) runs through
 * V8's code cache, as Node 22's `module.enableCompileCache()` does for every module (Node 20 has no such
 * switch). The first start writes the compiled code of what ran to a private cache directory; later starts
 * hand it back to V8, which checks it against its own version and flags and the source, and compiles
 * afresh where it does not fit. Any trouble with the cache (unreadable, unwritable, someone else's
 * directory) only means compiling as usual: the bundle always runs, once.
 */
import { closeSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, type Stats } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { Script, constants as vmConstants } from 'node:vm'
import { seedFrom } from '../domain/random.js'

/** What became of the cache on one start: read and taken, absent or refused by V8 (then written after), or not used. */
export type CacheOutcome = 'used' | 'absent' | 'rejected' | 'off'

export interface CachedRun {
  outcome: CacheOutcome
  /** Write the compiled code for the next start (only after 'absent' or 'rejected': else it does nothing); true when written. */
  save(): boolean
}

/**
 * Where the cache lives: NODE_COMPILE_CACHE when set (Node 22's variable for the same purpose), else a
 * directory of this user's own under the system's temporary folder; none when NODE_DISABLE_COMPILE_CACHE
 * is set (Node's switch to turn its cache off) or the platform has no user id to keep the folder private.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, uid: number | undefined, tmp: string): string | null {
  if (env.NODE_DISABLE_COMPILE_CACHE) return null
  if (env.NODE_COMPILE_CACHE) return env.NODE_COMPILE_CACHE
  return uid === undefined ? null : join(tmp, `gitlab-runners-mock-compile-cache-${uid}`)
}

/** Only this user can have written it: theirs (where the platform has users), and neither group- nor world-writable. */
function onlyMine(stat: Stats): boolean {
  const uid = process.getuid?.()
  return (uid === undefined || stat.uid === uid) && (stat.mode & 0o022) === 0
}

/** Compiled code runs as it is read: a folder another user could have placed, or can change, is never read nor written. */
function isPrivateDir(path: string): boolean {
  try {
    const stat = lstatSync(path)
    return stat.isDirectory() && onlyMine(stat)
  } catch {
    return false
  }
}

/**
 * The cache file for a bundle. V8 checks a cache against its version, its flags and the source's length only, so
 * the name carries the rest: the bundle's name (the build puts a hash of its content there), size and modification
 * time (an edit in place, as patch-package makes, gets a cache of its own), its folder (compiled code keeps the file
 * name it was compiled under, for stack traces), and the runtime: Node version, architecture and the flags Node was
 * started with (a start with other flags would find the cache refused and write it again each time).
 */
export function cacheFileFor(dir: string, file: string): string {
  const { size, mtimeMs } = statSync(file)
  return join(dir, `${basename(file)}-${size}-${Math.floor(mtimeMs)}${installKey(file)}${CACHE_EXT}`)
}

const CACHE_EXT = '.v8cache'

/** The part of a cache's name that a later build installed in the same folder, run by the same runtime, shares. */
function installKey(file: string): string {
  const flags = seedFrom(`${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`).toString(16)
  return `-${seedFrom(dirname(file)).toString(16)}-${process.version}-${process.arch}-${flags}`
}

/** Remove the caches earlier builds left in the same folder for the same runtime (an upgrade leaves the old one behind). */
function pruneOthers(dir: string, file: string, kept: string): void {
  const suffix = `${installKey(file)}${CACHE_EXT}`
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return // the folder went away meanwhile: nothing left to prune
  }
  for (const name of names) {
    const path = join(dir, name)
    if (name.endsWith(suffix) && path !== kept)
      try {
        unlinkSync(path)
      } catch {
        // another start removed it first
      }
  }
}

/** The cache's bytes when the folder and the file are this user's alone; else undefined. */
function readCache(dir: string, cacheFile: string): Buffer | undefined {
  if (!isPrivateDir(dir)) return undefined
  let fd: number
  try {
    fd = openSync(cacheFile, 'r')
  } catch {
    return undefined
  }
  try {
    const stat = fstatSync(fd)
    return stat.isFile() && onlyMine(stat) ? readFileSync(fd) : undefined
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** Write through a file of this start's own (containers sharing /tmp may share a pid), then rename: a start that reads meanwhile sees the old file or the new, never half. */
function writeCache(dir: string, cacheFile: string, bytes: Buffer): boolean {
  const partial = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    if (!isPrivateDir(dir)) return false
    writeFileSync(partial, bytes, { mode: 0o600 })
    renameSync(partial, cacheFile)
    return true
  } catch {
    try {
      unlinkSync(partial)
    } catch {
      // nothing was written
    }
    return false
  }
}

/**
 * Run the CommonJS file `file` as `require` would (its own `require`, `module`, `__filename`), compiled from
 * the cache in `dir` when one fits. With `dir` null the file is simply required.
 */
export function runWithCompileCache(file: string, dir: string | null): CachedRun {
  if (dir === null) {
    createRequire(file)(file)
    return { outcome: 'off', save: () => false }
  }
  const cacheFile = cacheFileFor(dir, file)
  const cached = readCache(dir, cacheFile)
  // The wrapper stays on the source's first line, so line numbers in stack traces are the file's own.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'utf8')}\n})`, {
    filename: file,
    cachedData: cached,
    importModuleDynamically: vmConstants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const outcome: CacheOutcome = cached === undefined ? 'absent' : script.cachedDataRejected === true ? 'rejected' : 'used'
  const module = { exports: {} }
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file))
  const save = () => {
    if (outcome === 'used' || !writeCache(dir, cacheFile, script.createCachedData())) return false
    pruneOthers(dir, file, cacheFile)
    return true
  }
  return { outcome, save }
}
