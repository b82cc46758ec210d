#!/usr/bin/env node
/**
 * @module The `gitlab-runners-mock` command as installed (dist/cli.js): it runs the CLI (src/cli.ts, built to
 * a CommonJS file whose name carries a hash of its content) through V8's code cache, and writes the cache (when
 * there was none, or V8 refused it) once the server has been up a second, after the start it would otherwise
 * slow. `npm run dev` runs src/cli.ts directly.
 */
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { compileCacheDir, runWithCompileCache } from './compile-cache.js'

/** The built CLI bundle, relative to this file (set by scripts/build.mjs). */
declare const __CLI_BUNDLE__: string

const SAVE_AFTER_MS = 1000

const run = runWithCompileCache(fileURLToPath(new URL(__CLI_BUNDLE__, import.meta.url)), compileCacheDir(process.env, process.getuid?.(), tmpdir()))
setTimeout(run.save, SAVE_AFTER_MS).unref()
