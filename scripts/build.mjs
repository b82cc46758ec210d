// Builds dist/ with esbuild: the library and CLI (dependencies left to node_modules), and a
// self-contained bundle for the Docker image (dist/docker/server.mjs: nothing else needed but Node).
import { build } from 'esbuild'
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * The docs page's Swagger UI files go into the build, gzipped, in place of the module that reads them
 * from node_modules: dist/ and the Docker bundle serve them with no node_modules. The module is imported
 * lazily, so in dist/ it is a chunk of its own, loaded on the first docs request.
 */
const packedFiles = new Map()
const packed = (name) => {
  if (!packedFiles.has(name)) {
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
    packedFiles.set(name, JSON.stringify(gzipSync(readFileSync(join(dir, name)), { level: 9 }).toString('base64')))
  }
  return packedFiles.get(name)
}
const swaggerUiFiles = {
  name: 'swagger-ui-files',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]openapi[\\/]swagger-ui-files\.ts$/ }, () => {
      return {
        loader: 'ts',
        contents: `import { gunzipSync } from 'node:zlib'
export const SWAGGER_UI_FILE_NAMES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const
const unpack = (b64: string) => gunzipSync(Buffer.from(b64, 'base64')).toString('utf8')
let files: Promise<Record<string, string>> | undefined
export function swaggerUiFiles() {
  files ??= Promise.resolve({ 'swagger-ui-bundle.js': unpack(${packed('swagger-ui-bundle.js')}), 'swagger-ui.css': unpack(${packed('swagger-ui.css')}) })
  return files
}
`,
      }
    })
  },
}

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: false, logLevel: 'warning', plugins: [swaggerUiFiles] }

rmSync('dist/chunks', { recursive: true, force: true })
mkdirSync('dist', { recursive: true })
await build({
  ...common,
  entryPoints: {
    index: 'src/index.ts',
    cli: 'src/cli.ts',
    testcontainers: 'src/testcontainers/index.ts',
    vitest: 'src/vitest/index.ts',
    'vitest-setup': 'src/vitest/setup.ts',
  },
  outdir: 'dist',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  packages: 'external',
})
chmodSync('dist/cli.js', 0o755)
await build({
  ...common,
  entryPoints: { server: 'src/cli.ts' },
  outdir: 'dist/docker',
  outExtension: { '.js': '.mjs' },
  minify: true,
  legalComments: 'none',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
})
