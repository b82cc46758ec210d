import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SEED } from '../world.js'
import { faker as installedFaker } from '@faker-js/faker/locale/en'
import { drawVocabulary, provideFaker, vocabularyFor } from './vocabulary.js'

describe('filler vocabularies', () => {
  it('ship the default seed precomputed, equal to what faker draws for it (run `node scripts/vocabularies.mjs` when this fails)', async () => {
    // @ts-expect-error: a plain .mjs build script without declarations
    const { generateVocabularies, TARGET } = (await import('../../scripts/vocabularies.mjs')) as { generateVocabularies: () => Promise<string>; TARGET: string }
    expect(readFileSync(TARGET, 'utf8') === (await generateVocabularies())).toBe(true)
    expect(vocabularyFor(DEFAULT_SEED)).toEqual(drawVocabulary(DEFAULT_SEED))
    expect(vocabularyFor(String(DEFAULT_SEED))).toBe(vocabularyFor(DEFAULT_SEED))
  })

  it('take faker from a provided loader (the Docker image), called on first use only: the default seed never calls it', () => {
    let loads = 0
    provideFaker(() => {
      loads++
      return installedFaker
    })
    try {
      vocabularyFor(DEFAULT_SEED)
      expect(loads).toBe(0)
      expect(vocabularyFor(3)).toEqual(vocabularyFor(3))
      drawVocabulary(4)
      expect(loads).toBe(1)
    } finally {
      provideFaker(() => installedFaker)
    }
  })

  it('draw another seed from faker, differently', () => {
    const other = vocabularyFor(2)
    expect(other).toEqual(drawVocabulary(2))
    expect(other.words).not.toEqual(vocabularyFor(DEFAULT_SEED).words)
  })
})
