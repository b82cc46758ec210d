/** @module The README shows what the tests run: the recipe files under examples/ appear in it verbatim, and its CLI table is the option table's. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { markdownTable } from '../src/cli/options.js'

const ROOT = join(import.meta.dirname, '..')
const README = readFileSync(join(ROOT, 'README.md'), 'utf8')

describe('the README', () => {
  it.each([
    ['examples/vitest/vitest.global-setup.ts', 'ts'],
    ['examples/vitest/vitest.config.ts', 'ts'],
    ['examples/vitest/runners.test.ts', 'ts'],
    ['examples/jest/runners.test.cjs', 'js'],
  ])('includes %s verbatim (the package test runs that file)', (file, lang) => {
    const text = readFileSync(join(ROOT, file), 'utf8').trimEnd()
    expect(README.includes(`\`\`\`${lang}\n${text}\n\`\`\``), `README.md lost or changed ${file}: paste the file into its code block again`).toBe(true)
  })

  it("holds the CLI option table as src/cli/options.ts generates it", () => {
    expect(README).toContain(markdownTable())
  })
})
