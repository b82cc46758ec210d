/**
 * @module The Docker image's entry: the CLI in one self-contained file. The image has no node_modules, so faker
 * (loaded on first use elsewhere, for seeds other than the default) is imported here and bundled in.
 */
import { faker } from '@faker-js/faker/locale/en'
import { provideFaker } from '../seed/vocabulary.js'

provideFaker(faker)
await import('../cli.js')
