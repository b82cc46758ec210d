import { describe, expect, it } from 'vitest'
import { allGitLabVersions, GitLabVersionError, inVersionRange, parseGitLabVersion } from './gitlab-version.js'
import { BASELINE_RULES, PROFILE_CHANGES, profileFor } from './profile.js'

describe('GitLab versions', () => {
  it('accepts X.Y (and X.Y.Z) from 15.11 through 18.11', () => {
    expect(parseGitLabVersion('15.11')).toBe('15.11')
    expect(parseGitLabVersion('17.0')).toBe('17.0')
    expect(parseGitLabVersion('18.11.2')).toBe('18.11')
  })

  it.each(['15.10', '18.12', '19.0', '14.0', '17', 'latest', '', ' 1 7.1'])('refuses %j with the range in the message', (input) => {
    expect(() => parseGitLabVersion(input)).toThrow(GitLabVersionError)
    expect(() => parseGitLabVersion(input)).toThrow(/from 15\.11 through 18\.11/)
  })

  it('orders versions numerically, not as text (17.10 after 17.9)', () => {
    expect(inVersionRange('17.10', '17.9')).toBe(true)
    expect(inVersionRange('17.9', '17.10')).toBe(false)
    expect(inVersionRange('17.1', undefined, '17.1')).toBe(false)
    expect(inVersionRange('17.0', undefined, '17.1')).toBe(true)
  })

  it('lists every emulated minor release once, oldest first', () => {
    const all = allGitLabVersions()
    expect(all[0]).toBe('15.11')
    expect(all.at(-1)).toBe('18.11')
    expect(all).toHaveLength(1 + 12 * 3)
  })
})

describe('version profiles', () => {
  it('15.11 is the baseline', () => {
    const { version, release, ...rules } = profileFor('15.11')
    expect(version).toBe('15.11')
    expect(release.version).toBe('15.11.13')
    expect(rules).toEqual(BASELINE_RULES)
  })

  it('a change applies from its first version on, not before', () => {
    for (const change of PROFILE_CHANGES)
      for (const [key, value] of Object.entries(change.set))
        expect(profileFor(change.since)[key as keyof typeof BASELINE_RULES], `${key} at ${change.since}`).toEqual(value)
    expect(profileFor('16.11').registrationTokensAllowedByDefault).toBe(true)
    expect(profileFor('17.0').registrationTokensAllowedByDefault).toBe(false)
    expect(profileFor('17.0').staleAfter).toEqual({ months: 3 })
    expect(profileFor('17.1').staleAfter).toEqual({ days: 7 })
  })

  it('changes are listed oldest first', () => {
    const order = PROFILE_CHANGES.map((c) => c.since)
    expect(order).toEqual([...order].sort((a, b) => (inVersionRange(a, b) ? (a === b ? 0 : 1) : -1)))
  })
})
