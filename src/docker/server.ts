/**
 * @module The Docker image's entry: the CLI in one self-contained file. The image has no node_modules, so faker
 * (needed only for a seed without a precomputed vocabulary) comes from faker-en.cjs beside this file, built from
 * faker's English locale and loaded on first use: a start with the default seed never reads it.
 */
import { createRequire } from 'node:module'
import type { Faker } from '@faker-js/faker'
import { provideFaker } from '../seed/vocabulary.js'

provideFaker(() => (createRequire(import.meta.url)('./faker-en.cjs') as { faker: Faker }).faker)
await import('../cli.js')
