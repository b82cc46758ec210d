/** @module npm run mutate [-- FILE...]: Stryker over the rule files of stryker.config.mjs, or over the files named. Extra `--flags` pass through. */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
if (args.includes('--help')) {
  console.log('usage: npm run mutate [-- src/domain/status.ts ...] [-- --concurrency 1]\n  reports: reports/mutation/index.html and mutation.json')
  process.exit(0)
}
const files = args.filter((a) => !a.startsWith('-') && (a.endsWith('.ts') || a.includes('/')))
const flags = args.filter((a) => !files.includes(a))
for (const file of files) {
  if (!existsSync(join(ROOT, file))) {
    console.error(`mutate: no such file: ${file}`)
    process.exit(2)
  }
}
// One file named: its own report folder, so per-file runs do not overwrite each other.
const env = { ...process.env }
if (files.length === 1 && !env.MUTATION_REPORT_DIR) env.MUTATION_REPORT_DIR = join('reports/mutation', files[0].replace(/^src\//, '').replace(/\.ts$/, ''))
const stryker = join(ROOT, 'node_modules/.bin/stryker')
const run = spawnSync(stryker, ['run', 'stryker.config.mjs', ...(files.length ? ['--mutate', files.join(',')] : []), ...flags], { cwd: ROOT, stdio: 'inherit', env })
process.exit(run.status ?? 1)
