/** @module Runner rules tested through the domain's public functions where HTTP cannot reach them (parameters arrive already trimmed). */
import { describe, expect, it } from 'vitest'
import { normalizeTags } from './runners.js'

describe('tags as GitLab stores them', () => {
  // gitlab-behaviour.md §3 "tag_list": items trimmed, case-sensitive (acts-as-taggable with strict_case_match);
  // acts-as-taggable drops blank and repeated tags when it saves a tag list.
  it('trims each tag, drops blank and repeated ones, and keeps case and order', () => {
    expect(normalizeTags([' linux ', '', '   ', 'docker', 'linux', 'Linux', ' docker'])).toEqual(['linux', 'docker', 'Linux'])
  })
})
