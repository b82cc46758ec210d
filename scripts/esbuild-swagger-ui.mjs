// An esbuild plugin for the docs page: Swagger UI's script and style sheet (swagger-ui-dist, a dev
// dependency) replace src/openapi/swagger-ui-files.ts, which reads them from node_modules when run from
// source. ES module builds (dist/ chunks, the Docker bundle) carry them gzipped inside a module that is
// imported lazily (a chunk of its own where the build splits); a CommonJS build, which cannot split,
// reads them from <outdir>/assets/ instead, so requiring the package does not parse them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'

const NAMES = ['swagger-ui-bundle.js', 'swagger-ui.css']
const gzipped = new Map()

function packed(name) {
  if (!gzipped.has(name)) {
    const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
    gzipped.set(name, gzipSync(readFileSync(join(dir, name)), { level: 9 }))
  }
  return gzipped.get(name)
}

const header = `import { gunzipSync } from 'node:zlib'
export const SWAGGER_UI_FILE_NAMES = ${JSON.stringify(NAMES)}
let files
export function swaggerUiFiles() {
  files ??= Promise.resolve().then(() => Object.fromEntries(SWAGGER_UI_FILE_NAMES.map((name) => [name, gunzipSync(read(name)).toString('utf8')])))
  return files
}
`

/**
 * `assets` (CommonJS builds): the folder, relative to the output, the files are read from and written to; a build
 * whose output sits below another's (dist/chunks/ under dist/) reads that one's (`../assets`) instead of a copy.
 */
export function swaggerUiFiles({ assets = 'assets' } = {}) {
  return {
    name: 'swagger-ui-files',
    setup(b) {
      const fromFiles = b.initialOptions.format === 'cjs'
      b.onLoad({ filter: /[\\/]src[\\/]openapi[\\/]swagger-ui-files\.ts$/ }, () => ({
        loader: 'js',
        contents: fromFiles
          ? `${header}import { readFileSync } from 'node:fs'\nimport { join } from 'node:path'\nconst read = (name) => readFileSync(join(__dirname, ${JSON.stringify(assets)}, name + '.gz'))\n`
          : `${header}const PACKED = { ${NAMES.map((n) => `${JSON.stringify(n)}: ${JSON.stringify(packed(n).toString('base64'))}`).join(', ')} }\nconst read = (name) => Buffer.from(PACKED[name], 'base64')\n`,
      }))
      if (fromFiles)
        b.onEnd(() => {
          const dir = join(b.initialOptions.outdir ?? dirname(b.initialOptions.outfile), assets)
          mkdirSync(dir, { recursive: true })
          for (const name of NAMES) writeFileSync(join(dir, `${name}.gz`), packed(name))
        })
    },
  }
}
