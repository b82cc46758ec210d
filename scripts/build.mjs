// Builds dist/ without the network: for every public entry an ES module (dist/<name>.js, shared chunks),
// a CommonJS module (dist/<name>.cjs) and declarations for both (dist/types/…d.ts and .d.cts); the CLI;
// and a self-contained bundle for the Docker image (dist/docker/server.mjs, and faker-en.cjs beside it: nothing else needed but Node).
// `--bundle-only` skips the declarations (npm start, docker:build). package.json's "exports" is kept in
// step with ENTRIES: adding a subpath is one line below (then run the build once).
import { build } from 'esbuild'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { swaggerUiFiles } from './esbuild-swagger-ui.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
process.chdir(root)

/** The package's public entries: subpath → source. */
export const ENTRIES = [
  { subpath: '.', source: 'src/index.ts' },
  { subpath: './testcontainers', source: 'src/testcontainers/index.ts' },
  { subpath: './vitest-context', source: 'src/vitest-context.ts' },
  { subpath: './vitest', source: 'src/vitest/index.ts' },
  { subpath: './vitest/setup', source: 'src/vitest/setup.ts' },
]

const nameOf = (entry) => (entry.subpath === '.' ? 'index' : entry.subpath.slice(2))
const typesOf = (entry, ext) => `./dist/types/${entry.source.replace(/^src\//, '').replace(/\.ts$/, ext)}`

/** package.json "exports" for ENTRIES: types first in each condition, CommonJS under require. */
export function exportsMap() {
  const map = {}
  for (const entry of ENTRIES) {
    const name = nameOf(entry)
    map[entry.subpath] = {
      import: { types: typesOf(entry, '.d.ts'), default: `./dist/${name}.js` },
      require: { types: typesOf(entry, '.d.cts'), default: `./dist/${name}.cjs` },
    }
  }
  map['./package.json'] = './package.json'
  return map
}

/** Runtime dependencies that cannot be required (ES modules only): the CommonJS build bundles them. */
function esmOnly(pkg) {
  const require = createRequire(join(root, 'package.json'))
  return Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((name) => {
    let manifest
    try {
      manifest = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'))
    } catch {
      return false
    }
    const conditions = JSON.stringify(manifest.exports ?? {})
    return manifest.type === 'module' && !conditions.includes('"require"')
  })
}

function syncExports() {
  const text = readFileSync('package.json', 'utf8')
  const pkg = JSON.parse(text)
  const wanted = exportsMap()
  if (JSON.stringify(pkg.exports) !== JSON.stringify(wanted)) {
    pkg.exports = wanted
    writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`)
    console.log('build: package.json "exports" updated from scripts/build.mjs ENTRIES')
  }
  return pkg
}

/** dist/types/**\/*.d.ts → .d.cts twins whose relative imports point at each other. */
function commonJsDeclarations(dir) {
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, item.name)
    if (item.isDirectory()) commonJsDeclarations(path)
    else if (item.name.endsWith('.d.ts')) {
      const text = readFileSync(path, 'utf8').replace(/((?:from|import\()\s*['"]\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1.cjs$2')
      writeFileSync(path.replace(/\.d\.ts$/, '.d.cts'), text)
    }
  }
}

const started = performance.now()
const pkg = syncExports()
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: false, logLevel: 'warning', plugins: [swaggerUiFiles()] }
rmSync('dist/chunks', { recursive: true, force: true })
mkdirSync('dist', { recursive: true })
const entryPoints = Object.fromEntries(ENTRIES.map((e) => [nameOf(e), e.source]))
const esmDependencies = esmOnly(pkg)
const commonJs = {
  ...common,
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // import.meta.url (a module's own URL, for createRequire) is the file's URL in CommonJS too.
  banner: { js: 'const __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  define: { 'import.meta.url': '__import_meta_url' },
  // Everything the package depends on stays a require(), except dependencies that ship only ES modules.
  external: Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies }).filter((name) => !esmDependencies.includes(name)).flatMap((n) => [n, `${n}/*`]),
}

/** Dependencies the CLI's bundle carries itself: what every start loads (a module resolved, read and compiled per file otherwise). */
const BUNDLED_IN_CLI = ['hono', '@hono/node-server']

/**
 * The CLI as one CommonJS file, dist/chunks/cli-<hash>.cjs: dist/cli.js (src/cli/launch.ts) runs it through
 * V8's code cache, which only a script (not an ES module) can use on Node 20; the content hash in the name
 * keeps a cache from ever meeting another build's code. Returns its path relative to dist/.
 */
async function buildCliBundle() {
  const external = commonJs.external.filter((name) => !BUNDLED_IN_CLI.some((pkg) => name === pkg || name === `${pkg}/*`))
  const result = await build({
    ...commonJs,
    external,
    // The docs page's files: the ones dist/index.cjs reads, in dist/assets.
    plugins: [swaggerUiFiles({ assets: '../assets' })],
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist/chunks',
    entryNames: '[name]-[hash]',
    metafile: true,
  })
  const [output] = Object.keys(result.metafile.outputs)
  return relative('dist', output).split('\\').join('/')
}

await Promise.all([
  buildCliBundle().then((bundle) =>
    build({
      ...common,
      format: 'esm',
      entryPoints: { ...entryPoints, cli: 'src/cli/launch.ts' },
      outdir: 'dist',
      splitting: true,
      chunkNames: 'chunks/[name]-[hash]',
      packages: 'external',
      define: { __CLI_BUNDLE__: JSON.stringify(`./${bundle}`) },
    }),
  ),
  build({ ...commonJs, entryPoints, outdir: 'dist' }),
  build({
    ...common,
    format: 'esm',
    entryPoints: { server: 'src/docker/server.ts' },
    outdir: 'dist/docker',
    outExtension: { '.js': '.mjs' },
    minify: true,
    legalComments: 'none',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  }),
  // faker's English locale as one CommonJS file beside the Docker bundle (faker ships ES modules only).
  build({
    ...common,
    format: 'cjs',
    plugins: [],
    stdin: { contents: "module.exports = require('@faker-js/faker/locale/en')", resolveDir: root, sourcefile: 'faker-en.cjs' },
    outfile: 'dist/docker/faker-en.cjs',
    minify: true,
    legalComments: 'none',
  }),
])
chmodSync('dist/cli.js', 0o755)

if (!process.argv.includes('--bundle-only')) {
  rmSync('dist/types', { recursive: true, force: true })
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' })
  commonJsDeclarations('dist/types')
  for (const entry of ENTRIES)
    for (const ext of ['.d.ts', '.d.cts']) if (!existsSync(typesOf(entry, ext))) throw new Error(`build: no declarations at ${typesOf(entry, ext)}`)
}
console.log(`build: dist/ in ${Math.round(performance.now() - started)} ms (${relative(root, dirname(fileURLToPath(import.meta.url)))}/build.mjs)`)
