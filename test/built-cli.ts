/** @module The built command (dist/cli.js) for tests that spawn it: built when missing, by one test file at a time (a lock directory), since test files run in parallel. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
export const BUILT_CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const LOCK = fileURLToPath(new URL('../node_modules/.cache/gitlab-runners-mock-build-lock', import.meta.url))
/** Longer than a build takes; only a hang reaches it. */
const WAIT_MS = 120_000

/** The path of dist/cli.js, after building the package if there is none yet. */
export async function ensureBuiltCli(): Promise<string> {
  const until = Date.now() + WAIT_MS
  while (!existsSync(BUILT_CLI)) {
    let mine = false
    try {
      mkdirSync(LOCK, { recursive: false })
      mine = true
    } catch {
      // another test file is building
    }
    if (mine) {
      try {
        const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' })
        if (build.status !== 0) throw new Error('node scripts/build.mjs failed')
      } finally {
        rmSync(LOCK, { recursive: true, force: true })
      }
    } else {
      if (Date.now() > until) throw new Error(`dist/cli.js did not appear within ${WAIT_MS} ms (a stale lock? remove ${LOCK})`)
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  return BUILT_CLI
}
