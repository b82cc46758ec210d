// Builds dist/ with esbuild: the library and CLI (dependencies left to node_modules), and a
// self-contained bundle for the Docker image (dist/docker/server.mjs: nothing else needed but Node).
import { build } from 'esbuild'
import { chmodSync, mkdirSync, rmSync } from 'node:fs'
import { swaggerUiFiles } from './esbuild-swagger-ui.mjs'

const common = { bundle: true, platform: 'node', target: 'node20', format: 'esm', sourcemap: false, logLevel: 'warning', plugins: [swaggerUiFiles()] }

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
