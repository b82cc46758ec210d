/**
 * @module The README's vitest recipe in a consumer project (a temporary directory): the globalSetup
 * starts one server, `useMockGitLab()` gives each file its own world, 4 workers are forced and three
 * files write and count at once; then the files type-check with tsc. The package is linked to this
 * checkout's sources (`gitlab-runners-mock` in the consumer's node_modules, exports → src/*.ts), so no
 * build is needed.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const run = promisify(execFile)

// Three files that each write and count: registering runners, moving the clock, resetting.
const FILES: Record<string, string> = {
  'vitest.config.ts': `import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['gitlab-runners-mock/vitest/setup'],
    pool: 'forks',
    maxWorkers: 4,
    fileParallelism: true,
  },
})
`,
  'register.test.ts': `import { expect, it } from 'vitest'
import { useMockGitLab } from 'gitlab-runners-mock/vitest'

const gitlab = useMockGitLab()

async function countRunners(): Promise<number> {
  const res = await fetch(\`\${gitlab.apiUrl}/runners/all?per_page=100\`, { headers: { 'PRIVATE-TOKEN': gitlab.tokens.users.root } })
  return ((await res.json()) as unknown[]).length
}

for (const n of [1, 2, 3]) {
  it(\`registers runner \${n} and counts \${31 + n}\`, async () => {
    const res = await fetch(\`\${gitlab.apiUrl}/runners\`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: gitlab.tokens.registration.instance, description: \`mine-\${n}\` }),
    })
    expect(res.status).toBe(201)
    await new Promise((r) => setTimeout(r, 30))
    expect(await countRunners()).toBe(31 + n)
  })
}

it('saw exactly its own registrations', async () => {
  await gitlab.control.expectRequest({ endpoint: 'POST /api/v4/runners', count: 3 })
})
`,
  'clock.test.ts': `import { expect, it } from 'vitest'
import { useMockGitLab } from 'gitlab-runners-mock/vitest'

const gitlab = useMockGitLab()

async function status(id: number): Promise<string> {
  const res = await fetch(\`\${gitlab.apiUrl}/runners/\${id}\`, { headers: { 'PRIVATE-TOKEN': gitlab.tokens.users.root } })
  return ((await res.json()) as { status: string }).status
}

it('ages its own world only', async () => {
  expect(await status(1)).toBe('online')
  await gitlab.control.advanceClock('3h')
  await new Promise((r) => setTimeout(r, 60))
  expect(await status(1)).toBe('offline')
  await gitlab.control.reset()
  expect(await status(1)).toBe('online')
})

it('deletes a runner and counts 30', async () => {
  const del = await fetch(\`\${gitlab.apiUrl}/runners/2\`, { method: 'DELETE', headers: { 'PRIVATE-TOKEN': gitlab.tokens.users.root } })
  expect(del.status).toBe(204)
  const res = await fetch(\`\${gitlab.apiUrl}/runners/all?per_page=100\`, { headers: { 'PRIVATE-TOKEN': gitlab.tokens.users.root } })
  expect(((await res.json()) as unknown[]).length).toBe(30)
})
`,
  'per-test.test.ts': `import { expect, it } from 'vitest'
import { useMockGitLab } from 'gitlab-runners-mock/vitest'

const gitlab = useMockGitLab({ per: 'test' })

for (const n of [1, 2]) {
  it(\`starts every test from the initial state (\${n})\`, async () => {
    const put = await fetch(\`\${gitlab.apiUrl}/runners/1\`, {
      method: 'PUT',
      headers: { 'PRIVATE-TOKEN': gitlab.tokens.users.root, 'content-type': 'application/json' },
      body: JSON.stringify({ description: \`edited \${n}\` }),
    })
    expect(put.status).toBe(200)
    const { requests } = await gitlab.control.requests({ method: 'PUT' })
    expect(requests).toHaveLength(1)
    const res = await fetch(\`\${gitlab.apiUrl}/runners/all?per_page=100\`, { headers: { 'PRIVATE-TOKEN': gitlab.tokens.users.root } })
    expect(((await res.json()) as unknown[]).length).toBe(31)
  })
}
`,
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        types: ['node'],
        strict: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['*.ts'],
    },
    null,
    2,
  ),
  'package.json': JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
}

let dir: string | undefined
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

function consumer(): string {
  dir = mkdtempSync(join(tmpdir(), 'grm-consumer-'))
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text)
  // node_modules: this project's dependencies, and gitlab-runners-mock exported from its sources.
  const modules = join(dir, 'node_modules')
  mkdirSync(modules)
  for (const dep of ['vitest', '@types', 'typescript', 'hono', '@hono', 'ajv', 'ajv-formats', '@faker-js', 'vite', '@vitest'])
    symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep))
  const pkg = join(modules, 'gitlab-runners-mock')
  mkdirSync(pkg)
  for (const sub of ['src', 'fixtures', 'schemas']) symlinkSync(join(ROOT, sub), join(pkg, sub))
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'gitlab-runners-mock',
      type: 'module',
      exports: { './vitest': './src/vitest/index.ts', './vitest/setup': './src/vitest/setup.ts' },
    }),
  )
  return dir
}

describe('the README’s vitest recipe in a consumer project', () => {
  it('passes with 4 workers forced and three files writing and counting at once, and type-checks', async () => {
    const cwd = consumer()
    const vitest = join(ROOT, 'node_modules/vitest/vitest.mjs')
    const result = await run(process.execPath, [vitest, 'run', '--reporter=verbose'], { cwd, timeout: 120_000, env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' } }).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`the consumer's tests failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`)
      },
    )
    const out = result.stdout.replace(/\x1b\[[0-9;]*m/g, '')
    expect(out).toMatch(/Test Files\s+3 passed \(3\)/)
    expect(out).toMatch(/Tests\s+8 passed \(8\)/)
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd, timeout: 120_000 }).catch((error: { stdout?: string }) => {
      throw new Error(`the consumer does not type-check:\n${error.stdout ?? ''}`)
    })
  }, 240_000)
})
