/**
 * @module dist/ for tests that run what the build makes (the command, the Docker bundle): built when an output is
 * missing or older than its sources, by one test file at a time (a lock folder: test files run in parallel, and a
 * build starts by clearing dist/chunks).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** What scripts/build.mjs makes that tests run. */
const OUTPUTS = ['dist/cli.js', 'dist/docker/server.mjs'].map((file) => join(ROOT, file))
const SOURCES = ['src', 'fixtures', 'schemas', 'scripts'].map((dir) => join(ROOT, dir))
/** Longer than a build takes: only a hang or a lock left by a killed run reaches it. */
const LOCK_MS = 120_000

function newestSourceMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceMtime(path))
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/** Run `fn` while holding a directory lock; a lock older than LOCK_MS is taken as left behind. */
async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(ROOT, 'node_modules/.cache', name)
  mkdirSync(dirname(lock), { recursive: true })
  const deadline = Date.now() + LOCK_MS
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false })
      if (!held) continue
      if (Date.now() > deadline || Date.now() - held.mtimeMs > LOCK_MS) {
        rmSync(lock, { recursive: true, force: true })
        continue
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

const fresh = (): boolean => {
  const sources = Math.max(...SOURCES.map(newestSourceMtime))
  return OUTPUTS.every((file) => existsSync(file) && statSync(file).mtimeMs >= sources)
}

/** dist/ as the sources say: `node scripts/build.mjs` when an output is missing or older than a source. */
export async function ensureBuilt(): Promise<void> {
  if (fresh()) return
  await withLock('gitlab-runners-mock-build.lock', async () => {
    if (!fresh()) await run(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, timeout: LOCK_MS })
  })
}

/** The path of dist/cli.js, built first when stale. */
export async function ensureBuiltCli(): Promise<string> {
  await ensureBuilt()
  return join(ROOT, 'dist/cli.js')
}
