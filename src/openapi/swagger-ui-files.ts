/**
 * @module Swagger UI's browser files (from the swagger-ui-dist package) for the docs page. Run from
 * source, they are read from node_modules on first use; scripts/build.mjs replaces this module with
 * one that carries them compressed, so dist/ and the Docker bundle need no node_modules. Imported
 * lazily: nothing of it loads before the first docs request.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export interface SwaggerUiFiles {
  'swagger-ui-bundle.js': string
  'swagger-ui.css': string
}

export const SWAGGER_UI_FILE_NAMES = ['swagger-ui-bundle.js', 'swagger-ui.css'] as const

let files: Promise<SwaggerUiFiles> | undefined

export function swaggerUiFiles(): Promise<SwaggerUiFiles> {
  files ??= read()
  return files
}

async function read(): Promise<SwaggerUiFiles> {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  const [js, css] = await Promise.all(SWAGGER_UI_FILE_NAMES.map((name) => readFile(join(dir, name), 'utf8')))
  return { 'swagger-ui-bundle.js': js!, 'swagger-ui.css': css! }
}
