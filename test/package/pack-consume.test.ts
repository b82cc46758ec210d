/**
 * @module The package as a user gets it: `npm pack` (its prepare script builds dist/ in a staged copy of
 * the sources), then a throwaway consumer outside the tree installs the tarball offline (its runtime
 * dependencies come from the npm cache through a lockfile derived from this project's) and: imports it
 * as ESM, requires it as CommonJS, runs `npx gitlab-runners-mock --version`, type-checks consumer files
 * with TypeScript 5.6, the project's TypeScript and 7.x (with and without skipLibCheck), and runs the
 * README's jest test (default CommonJS config) and vitest globalSetup test. The test tools are this
 * project's (linked into the consumer), so only the package and its dependencies are installed.
 * Prints how long each step took.
 */
import { execFile, type ExecFileOptions } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const EXAMPLES = join(ROOT, 'examples')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; dependencies: Record<string, string> }
const timings: Record<string, number> = {}
const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error']

interface Run {
  code: number
  stdout: string
  stderr: string
}

function run(command: string, args: string[], options: ExecFileOptions & { label: string }): Promise<Run> {
  const started = performance.now()
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 240_000, maxBuffer: 32 * 1024 * 1024, encoding: 'utf8', ...options }, (error, stdout, stderr) => {
      timings[options.label] = Math.round(performance.now() - started)
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) })
    })
  })
}

// eslint-disable-next-line no-control-regex
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '')
const show = (r: Run) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`.trim()

/** The consumer's lockfile: the tarball plus the closure of its runtime dependencies as this project's lockfile pins them. */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }> }
  const packages: Record<string, unknown> = {}
  const visit = (name: string, from: string) => {
    // Node's lookup: the nearest node_modules/<name> above the dependent.
    let base = from
    for (;;) {
      const key = `${base ? `${base}/` : ''}node_modules/${name}`
      if (lock.packages[key]) {
        if (packages[key]) return
        const { dev, devOptional, peer, ...entry } = lock.packages[key] as Record<string, unknown>
        void dev, void devOptional, void peer
        packages[key] = entry
        for (const dep of Object.keys({ ...(lock.packages[key].dependencies ?? {}), ...(lock.packages[key].optionalDependencies ?? {}) })) visit(dep, key)
        return
      }
      if (!base) throw new Error(`${name} is not in package-lock.json`)
      base = base.includes('/node_modules/') ? base.slice(0, base.lastIndexOf('/node_modules/')) : ''
    }
  }
  for (const dep of Object.keys(pkg.dependencies)) visit(dep, '')
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`
  return {
    name: 'consumer',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'consumer', dependencies: { [pkg.name]: `file:${tarball}` } },
      [`node_modules/${pkg.name}`]: {
        version: pkg.version,
        resolved: `file:${tarball}`,
        integrity,
        license: 'MIT',
        dependencies: pkg.dependencies,
        bin: { 'gitlab-runners-mock': 'dist/cli.js' },
        engines: { node: '>=20.19' },
        peerDependencies: { testcontainers: '^11.0.0' },
        peerDependenciesMeta: { testcontainers: { optional: true } },
      },
      ...packages,
    },
  }
}

let work: string
let consumer: string
let tarball: string
let packedFiles: string[] = []
let installed: Run
/** Set when the npm cache lacks a dependency (a clone that never ran `npm ci`): the consumer tests skip, saying so. */
let skipReason: string | undefined

/**
 * Skips a consumer test, with the reason printed, when the offline install could not run: installing from the
 * tarball with nothing but the npm cache cannot work on a clone whose cache lacks the dependencies (no network).
 */
function offlineInstallImpossible(ctx: { skip: (note?: string) => void }): boolean {
  if (skipReason) ctx.skip(skipReason) // the npm cache lacks a dependency: nothing to install offline from
  return skipReason !== undefined
}

beforeAll(async () => {
  const started = performance.now()
  work = mkdtempSync(join(tmpdir(), 'gitlab-runners-mock-pack-'))
  // A staged copy of what the package is built from (prepare writes dist/ there, not in the working tree).
  const stage = join(work, 'stage')
  mkdirSync(stage)
  for (const item of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts', 'fixtures', 'schemas'])
    cpSync(join(ROOT, item), join(stage, item), { recursive: true, filter: (source) => !source.endsWith('.test.ts') })
  symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'dir')
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work, ...NPM_FLAGS], { cwd: stage, label: 'npm pack (prepare builds dist/)' })
  expect(packed.code, show(packed)).toBe(0)
  const report = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>
  tarball = join(work, report[0]!.filename)
  packedFiles = report[0]!.files.map((f) => f.path)

  consumer = join(work, 'consumer')
  mkdirSync(consumer)
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [pkg.name]: `file:${tarball}` } }, null, 2))
  writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(tarball), null, 2))
  installed = await run('npm', ['ci', '--offline', ...NPM_FLAGS], { cwd: consumer, label: 'npm ci --offline (tarball + cached dependencies)' })
  if (installed.code !== 0 && /ENOTCACHED/.test(installed.stderr)) {
    skipReason = `the npm cache lacks the package's dependencies (run \`npm ci\` in this project first): ${installed.stderr.split('\n')[1] ?? ''}`
    console.warn(`[pack-consume skipped] ${skipReason}`)
  }
  if (installed.code !== 0) return
  // The test tools come from this project (linked), so the consumer installs nothing but the package.
  for (const tool of ['jest', 'vitest', '@types/node', 'testcontainers']) {
    mkdirSync(join(consumer, 'node_modules', tool, '..'), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules', tool), join(consumer, 'node_modules', tool), 'dir')
  }
  cpSync(join(EXAMPLES, 'consumer'), consumer, { recursive: true })
  cpSync(join(EXAMPLES, 'jest'), join(consumer, 'jest'), { recursive: true })
  cpSync(join(EXAMPLES, 'vitest'), join(consumer, 'vitest'), { recursive: true })
  const tsconfig = (skipLibCheck: boolean, files: string[]) =>
    JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2023'], types: ['node'], strict: true, noEmit: true, skipLibCheck }, files })
  // Without skipLibCheck: the package's own declarations (and what they pull in) must compile as they are.
  writeFileSync(join(consumer, 'tsconfig.strict.json'), tsconfig(false, ['usage.ts', 'usage.cts']))
  // With skipLibCheck (as most projects run): the testcontainers helper (dockerode's typings are not ours) and the README's vitest recipe.
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    tsconfig(true, ['usage.ts', 'usage.cts', 'usage-testcontainers.ts', 'vitest/vitest.global-setup.ts', 'vitest/vitest.config.ts', 'vitest/runners.test.ts']),
  )
  timings['set-up total'] = Math.round(performance.now() - started)
}, 600_000)

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true })
  console.log(`[pack-consume] ${Object.entries(timings).map(([step, ms]) => `${step}: ${ms} ms`).join('; ')}`)
})

describe("this project's toolchain", () => {
  it('runs its own TypeScript as `tsc`, not one of the aliased consumer compilers (npm links one `tsc` for all three)', () => {
    const target = realpathSync(join(ROOT, 'node_modules', '.bin', 'tsc'))
    expect(target, 'node_modules/.bin/tsc points at an aliased TypeScript: run `npm ci` (or relink it to ../typescript/bin/tsc)').toBe(
      realpathSync(join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')),
    )
  })
})

describe('the packed package, installed offline in a consumer outside the tree', () => {
  it('packs built ESM and CommonJS entries, both kinds of declarations, the CLI, fixtures and schemas, and no sources', () => {
    for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/testcontainers.js', 'dist/testcontainers.cjs', 'dist/cli.js', 'dist/assets/swagger-ui.css.gz', 'dist/types/index.d.ts', 'dist/types/index.d.cts', 'dist/types/testcontainers/index.d.cts', 'dist/types/vitest-context.d.ts', 'fixtures/default.json', 'schemas/fixture.schema.json', 'package.json', 'README.md'])
      expect(packedFiles).toContain(file)
    expect(packedFiles.filter((f) => f.startsWith('src/') || f.startsWith('dist/docker/') || f.endsWith('.test.ts'))).toEqual([])
  })

  it('installs from the tarball with nothing but the npm cache', (ctx) => {
    if (offlineInstallImpossible(ctx)) return
    expect(installed.code, show(installed)).toBe(0)
  })

  it('imports as ESM and requires as CommonJS, subpaths included', { timeout: 120_000 }, async (ctx) => {
    if (offlineInstallImpossible(ctx)) return
    const [esm, cjs] = await Promise.all([
      run(process.execPath, ['esm.mjs'], { cwd: consumer, label: 'ESM import' }),
      run(process.execPath, ['cjs.cjs'], { cwd: consumer, label: 'CommonJS require' }),
    ])
    expect(esm.code, show(esm)).toBe(0)
    expect(JSON.parse(esm.stdout)).toEqual({ status: 200, username: 'root', version: '18.11', world: '18.11', container: 'function' })
    expect(cjs.code, show(cjs)).toBe(0)
    expect(JSON.parse(cjs.stdout)).toEqual({ status: 200, id: 1, docs: 200, container: 'function' })
  })

  it('runs `npx gitlab-runners-mock --version`', { timeout: 120_000 }, async (ctx) => {
    if (offlineInstallImpossible(ctx)) return
    const version = await run('npx', ['--offline', '--no-install', 'gitlab-runners-mock', '--version'], { cwd: consumer, label: 'npx --version' })
    expect(version.code, show(version)).toBe(0)
    expect(version.stdout).toBe(`${pkg.version}\n`)
  })

  // The oldest TypeScript the declarations promise (5.6: no generic Uint8Array, so Hono's own .d.ts would fail
  // there) and the newest (7.x, the native compiler); the project's own TypeScript builds them in the first place.
  const compilers: Array<[name: string, bin: string]> = [
    ['TypeScript 5.6', 'typescript-5.6/bin/tsc'],
    ['TypeScript 7', 'typescript-7/bin/tsc'],
  ]
  it.for(compilers)('type-checks consumer files with %s, without and with skipLibCheck', { timeout: 240_000 }, async ([name, bin], ctx) => {
    if (offlineInstallImpossible(ctx)) return
    const tsc = join(ROOT, 'node_modules', bin)
    const [strict, recipes] = await Promise.all([
      run(process.execPath, [tsc, '-p', 'tsconfig.strict.json'], { cwd: consumer, label: `tsc ${name} (no skipLibCheck)` }),
      run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer, label: `tsc ${name} (skipLibCheck)` }),
    ])
    expect(strict.code, show(strict)).toBe(0)
    expect(recipes.code, show(recipes)).toBe(0)
  })

  it("runs the README's jest test with jest's default (CommonJS) configuration", { timeout: 120_000 }, async (ctx) => {
    if (offlineInstallImpossible(ctx)) return
    const jest = await run(process.execPath, [join(consumer, 'node_modules/jest/bin/jest.js'), '--ci', 'jest/'], { cwd: consumer, label: 'jest' })
    expect(jest.code, show(jest)).toBe(0)
    expect(plain(jest.stderr)).toMatch(/Tests:\s+1 passed, 1 total/)
  })

  it("runs the README's vitest globalSetup recipe", { timeout: 120_000 }, async (ctx) => {
    if (offlineInstallImpossible(ctx)) return
    const vitest = await run(process.execPath, [join(consumer, 'node_modules/vitest/vitest.mjs'), 'run', '--root', 'vitest'], { cwd: consumer, label: 'vitest', env: { ...process.env, CI: 'true' } })
    expect(vitest.code, show(vitest)).toBe(0)
    expect(plain(vitest.stdout)).toMatch(/Tests\s+1 passed \(1\)/)
  })
})
