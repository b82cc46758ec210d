import { spawn } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setFlagsFromString } from 'node:v8'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ensureBuiltCli } from '../../test/built-dist.js'
import { TOKENS } from '../../test/harness.js'
import { cacheFileFor, compileCacheDir, runWithCompileCache } from './compile-cache.js'

const runs = globalThis as { compileCacheRuns?: string[] }

let work: string
let dir: string
let bundle: string

/**
 * A CommonJS file, cli-ABCDEFGH.cjs in `folder`, that records each run, requires a neighbour relative to itself,
 * and throws on line 4 when asked.
 */
function writeBundle(tag = 'v1', folder = work): string {
  mkdirSync(folder, { recursive: true })
  writeFileSync(join(folder, 'neighbour.cjs'), 'module.exports = "neighbour"\n')
  const path = join(folder, 'cli-ABCDEFGH.cjs')
  writeFileSync(
    path,
    [
      `const neighbour = require('./neighbour.cjs')`,
      `globalThis.compileCacheRuns.push(${JSON.stringify(tag)} + ':' + neighbour + ':' + require('node:path').basename(__filename))`,
      `if (globalThis.compileCacheThrow) {`,
      `  throw new Error('thrown on line 4')`,
      `}`,
      `module.exports = { tag: ${JSON.stringify(tag)} }`,
      '',
    ].join('\n'),
  )
  return path
}

// A process starts the real command once; these tests start the same file many times in one process, where V8
// would answer a second compile of a file from what it keeps in memory, without looking at the cache handed to it.
beforeAll(() => setFlagsFromString('--no-compilation-cache'))
afterAll(() => setFlagsFromString('--compilation-cache'))

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'compile-cache-test-'))
  dir = join(work, 'cache')
  bundle = writeBundle()
  runs.compileCacheRuns = []
})
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
  delete (globalThis as { compileCacheThrow?: boolean }).compileCacheThrow
})

describe('compileCacheDir', () => {
  it("is off with NODE_DISABLE_COMPILE_CACHE, NODE_COMPILE_CACHE's folder when set, else this user's own folder under the temporary one", () => {
    expect(compileCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1', NODE_COMPILE_CACHE: '/x' }, 1000, '/tmp')).toBeNull()
    expect(compileCacheDir({ NODE_COMPILE_CACHE: '/var/cache/x' }, 1000, '/tmp')).toBe('/var/cache/x')
    expect(compileCacheDir({}, 1000, '/tmp')).toBe('/tmp/gitlab-runners-mock-compile-cache-1000')
    expect(compileCacheDir({}, undefined, '/tmp')).toBeNull()
  })
})

describe('runWithCompileCache', () => {
  it('runs the file once as require would; the first start has no cache, saves one, and the next start uses it', () => {
    const first = runWithCompileCache(bundle, dir)
    expect(first.outcome).toBe('absent')
    expect(runs.compileCacheRuns).toEqual(['v1:neighbour:cli-ABCDEFGH.cjs'])
    expect(first.save()).toBe(true)
    const file = cacheFileFor(dir, bundle)
    expect(file.slice(dir.length + 1)).toMatch(new RegExp(`^cli-ABCDEFGH\\.cjs-\\d+-\\d+-[0-9a-f]+-${process.version}-${process.arch}-[0-9a-f]+\\.v8cache$`))
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual([file.slice(dir.length + 1)]) // no partial file left

    const second = runWithCompileCache(bundle, dir)
    expect(second.outcome).toBe('used')
    expect(second.save()).toBe(false)
    expect(runs.compileCacheRuns).toEqual(['v1:neighbour:cli-ABCDEFGH.cjs', 'v1:neighbour:cli-ABCDEFGH.cjs'])
  })

  it('compiles afresh when V8 refuses the cache (damaged), and saves a good one', () => {
    runWithCompileCache(bundle, dir).save()
    writeFileSync(cacheFileFor(dir, bundle), Buffer.from('not a code cache at all'), { mode: 0o600 })
    const damaged = runWithCompileCache(bundle, dir)
    expect(damaged.outcome).toBe('rejected')
    expect(damaged.save()).toBe(true)
    expect(runWithCompileCache(bundle, dir).outcome).toBe('used')
  })

  it('never runs the code of a cache made before the bundle was edited in place, even at the same length (V8 checks only the length)', () => {
    runWithCompileCache(bundle, dir).save()
    const before = statSync(bundle)
    writeBundle('v2') // the same length as 'v1'
    expect(statSync(bundle).size).toBe(before.size)
    utimesSync(bundle, before.atime, new Date(before.mtimeMs + 60_000))
    const edited = runWithCompileCache(bundle, dir)
    expect(edited.outcome).toBe('absent')
    expect(runs.compileCacheRuns?.at(-1)).toBe('v2:neighbour:cli-ABCDEFGH.cjs')
    expect(edited.save()).toBe(true)
    expect(readdirSync(dir)).toEqual([cacheFileFor(dir, bundle).slice(dir.length + 1)]) // the old build's cache pruned
  })

  it("never reads a cache another user could have written: a group- or world-writable folder or file is passed over, and nothing is written into such a folder", () => {
    runWithCompileCache(bundle, dir).save()
    chmodSync(cacheFileFor(dir, bundle), 0o666)
    expect(runWithCompileCache(bundle, dir).outcome).toBe('absent')
    chmodSync(cacheFileFor(dir, bundle), 0o600)
    expect(runWithCompileCache(bundle, dir).outcome).toBe('used')

    chmodSync(dir, 0o777)
    const open = runWithCompileCache(bundle, dir)
    expect(open.outcome).toBe('absent')
    rmSync(cacheFileFor(dir, bundle))
    expect(open.save()).toBe(false)
    expect(readdirSync(dir)).toEqual([])
    expect(runs.compileCacheRuns).toHaveLength(4)
  })

  it('still runs the file when the cache folder cannot be made (a file stands there)', () => {
    writeFileSync(dir, 'in the way')
    const run = runWithCompileCache(bundle, dir)
    expect(run.outcome).toBe('absent')
    expect(run.save()).toBe(false)
    expect(runs.compileCacheRuns).toHaveLength(1)
  })

  it('keeps a cache for each folder a build is installed in (compiled code keeps the file name stack traces show)', () => {
    runWithCompileCache(bundle, dir).save()
    const elsewhere = writeBundle('v1', join(work, 'other-project'))
    expect(cacheFileFor(dir, elsewhere)).not.toBe(cacheFileFor(dir, bundle))
    const other = runWithCompileCache(elsewhere, dir)
    expect(other.outcome).toBe('absent')
    expect(other.save()).toBe(true)
    expect(runWithCompileCache(bundle, dir).outcome).toBe('used')
    expect(runWithCompileCache(elsewhere, dir).outcome).toBe('used')
    expect(readdirSync(dir)).toHaveLength(2)
  })

  it("removes the cache of an earlier build in the same folder and runtime when it saves its own, and leaves other folders' and other runtimes' alone", () => {
    runWithCompileCache(bundle, dir).save()
    const elsewhere = writeBundle('v1', join(work, 'other-project'))
    runWithCompileCache(elsewhere, dir).save()
    const options = process.env.NODE_OPTIONS
    process.env.NODE_OPTIONS = '--max-old-space-size=4096' // Node started with other flags: a cache of its own
    let otherFlags: string
    try {
      otherFlags = cacheFileFor(dir, bundle)
      expect(otherFlags).not.toBe(cacheFileFor(dir, elsewhere))
      expect(runWithCompileCache(bundle, dir).save()).toBe(true)
    } finally {
      if (options === undefined) delete process.env.NODE_OPTIONS
      else process.env.NODE_OPTIONS = options
    }
    expect(readdirSync(dir)).toHaveLength(3)
    const upgraded = join(work, 'cli-IJKLMNOP.cjs')
    writeFileSync(upgraded, 'globalThis.compileCacheRuns.push("upgraded")\n')
    writeFileSync(join(dir, 'unrelated.txt'), 'kept')
    expect(runWithCompileCache(upgraded, dir).save()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual([cacheFileFor(dir, upgraded), cacheFileFor(dir, elsewhere), otherFlags, join(dir, 'unrelated.txt')].map((f) => f.slice(dir.length + 1)).sort())
  })

  it('with no folder, simply requires the file', () => {
    const run = runWithCompileCache(bundle, null)
    expect(run.outcome).toBe('off')
    expect(run.save()).toBe(false)
    expect(runs.compileCacheRuns).toEqual(['v1:neighbour:cli-ABCDEFGH.cjs'])
    expect(existsSync(dir)).toBe(false)
  })

  it("lets the file's own error through, with the file's line numbers, and runs it only once", () => {
    runWithCompileCache(bundle, dir).save()
    ;(globalThis as { compileCacheThrow?: boolean }).compileCacheThrow = true
    let error: Error | undefined
    try {
      runWithCompileCache(bundle, dir)
    } catch (e) {
      error = e as Error
    }
    expect(error?.message).toBe('thrown on line 4')
    expect(error?.stack).toContain(`${bundle}:4:`)
    expect(runs.compileCacheRuns).toHaveLength(2)
  })
})

describe('the built command (dist/cli.js)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
  let cli: string
  beforeAll(async () => {
    cli = await ensureBuiltCli()
  }, 300_000)

  /** Start the command with the cache in `cacheDir`, wait for a 200, keep it up `upMs`, stop it. */
  async function startAndStop(cli: string, cacheDir: string, upMs: number): Promise<number> {
    const child = spawn(process.execPath, [cli, '--port', '0', '--host', '127.0.0.1'], { env: { ...process.env, NODE_COMPILE_CACHE: cacheDir }, stdio: ['ignore', 'pipe', 'inherit'] })
    try {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      // Bounded only against a hang: a start takes well under a second.
      for (let i = 0; !/http:\/\/127\.0\.0\.1:\d+/.test(out); i++) {
        if (i > 300) throw new Error(`the command did not print its address: ${out}`)
        await sleep(50)
      }
      const url = (/http:\/\/127\.0\.0\.1:\d+/.exec(out) as RegExpExecArray)[0]
      const res = await fetch(`${url}/api/v4/runners/1`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
      await res.arrayBuffer()
      await sleep(upMs)
      return res.status
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)))
    }
  }

  it('writes its code cache a second after start-up and takes it, unchanged, on the next start', async () => {
    const cacheDir = join(work, 'command-cache')
    expect(await startAndStop(cli, cacheDir, 1500)).toBe(200)
    const [name] = readdirSync(cacheDir)
    expect(name).toMatch(/^cli-[A-Z0-9]+\.cjs-\d+-\d+-[0-9a-f]+-v\d+\.\d+\.\d+-\w+-[0-9a-f]+\.v8cache$/)
    const written = statSync(join(cacheDir, name as string)).mtimeMs
    expect(await startAndStop(cli, cacheDir, 1500)).toBe(200)
    // Taken: a refused or missing cache would have been written again after the second start's first second.
    expect(statSync(join(cacheDir, name as string)).mtimeMs).toBe(written)
    expect(readdirSync(cacheDir)).toEqual([name])
  }, 60_000)
})
