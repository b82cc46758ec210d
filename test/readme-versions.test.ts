/** The README's version matrix is the one generated from the profiles (npm run docs:versions rewrites it). */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { PROFILE_CHANGES } from '../src/domain/profile.js'
import { renderVersionMatrix, withVersionMatrix } from '../scripts/version-matrix.js'

describe('README version matrix', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

  it('is up to date with src/domain/profile.ts (run npm run docs:versions)', () => {
    expect(withVersionMatrix(readme)).toBe(readme)
  })

  it('has one row per profile change, and names every rule each one sets', () => {
    const rows = renderVersionMatrix().split('\n').slice(3)
    expect(rows).toHaveLength(PROFILE_CHANGES.length)
    PROFILE_CHANGES.forEach((change, i) => {
      expect(rows[i]!.startsWith(`| ${change.since} |`)).toBe(true)
      for (const key of Object.keys(change.set)) expect(rows[i]).toContain(`\`${key}\``)
    })
  })

  it('every change the reference does not pin has a row in the differences table', () => {
    const differences = readme.slice(readme.indexOf('## Differences from GitLab'))
    for (const change of PROFILE_CHANGES.filter((c) => !c.pinned)) expect(differences, change.since).toContain(`| ${change.since}: `)
  })
})
