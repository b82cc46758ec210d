import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SEED } from '../world.js'
import { drawVocabulary, vocabularyFor } from './vocabulary.js'

describe('filler vocabularies', () => {
  it('ship the default seed precomputed, equal to what faker draws for it (run `node scripts/vocabularies.mjs` when this fails)', async () => {
    // @ts-expect-error: a plain .mjs build script without declarations
    const { generateVocabularies, TARGET } = (await import('../../scripts/vocabularies.mjs')) as { generateVocabularies: () => Promise<string>; TARGET: string }
    expect(readFileSync(TARGET, 'utf8') === (await generateVocabularies())).toBe(true)
    expect(vocabularyFor(DEFAULT_SEED)).toEqual(drawVocabulary(DEFAULT_SEED))
    expect(vocabularyFor(String(DEFAULT_SEED))).toBe(vocabularyFor(DEFAULT_SEED))
  })

  it('draw another seed from faker, differently', () => {
    const other = vocabularyFor(2)
    expect(other).toEqual(drawVocabulary(2))
    expect(other.words).not.toEqual(vocabularyFor(DEFAULT_SEED).words)
  })
})
