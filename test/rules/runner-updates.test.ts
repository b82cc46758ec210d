/** @module Updating and deleting a runner through the HTTP API: the tag limit only for a change that touches tags, and If-Unmodified-Since's strict comparison. */
import { describe, expect, it } from 'vitest'
import { expectError, harness } from '../harness.js'
import { ADMIN, NOW, iso, rulesFixture } from './world.js'

const manyTags = Array.from({ length: 51 }, (_, i) => `tag${i}`)

describe('PUT /runners/:id on a runner that already holds more than 50 tags', () => {
  // gitlab-behaviour.md §6.3: "An update that does not touch tags succeeds even if the stored runner
  // already violates the tag limit (16.x/17.x spec)"; the limit itself is 50 tags.
  const fixture = rulesFixture({ runners: [{ id: 1, runner_type: 'instance_type', tag_list: manyTags, description: 'old' }] })

  it('succeeds when the change does not touch tags', async () => {
    const res = await harness({ fixture }).put('/runners/1', { token: ADMIN, body: { description: 'new' } })
    expect(res.status).toBe(200)
    expect(res.body.description).toBe('new')
    expect(res.body.tag_list).toHaveLength(51)
  })

  it('is refused when the change sends the tags again', async () => {
    expectError(await harness({ fixture }).put('/runners/1', { token: ADMIN, body: { tag_list: manyTags } }), 400, {
      message: { tags_list: ['Too many tags specified. Please limit the number of tags to 50'] },
    })
  })
})

describe('PUT /runners/:id validates the maintenance note it is sent', () => {
  // gitlab-behaviour.md §6.3: "`maintenance_note` > 1024 chars: `maintenance_note` → `is too long (maximum is 1024
  // characters)`"; the note is PUT-able from 16.10 (§M4, version table).
  const fixture = rulesFixture({ runners: [{ id: 1, runner_type: 'instance_type', description: 'old', maintenance_note: 'kept' }] })

  it('refuses a note of 1025 characters and keeps the stored one', async () => {
    const h = harness({ fixture, gitlabVersion: '16.10' })
    expectError(await h.put('/runners/1', { token: ADMIN, body: { maintenance_note: 'n'.repeat(1025) } }), 400, {
      message: { maintenance_note: ['is too long (maximum is 1024 characters)'] },
    })
    expect((await h.get('/runners/1', { token: ADMIN })).body.maintenance_note).toBe('kept')
  })

  it('stores a note of 1024 characters', async () => {
    const res = await harness({ fixture, gitlabVersion: '16.10' }).put('/runners/1', { token: ADMIN, body: { maintenance_note: 'n'.repeat(1024) } })
    expect(res.status).toBe(200)
    expect(res.body.maintenance_note).toHaveLength(1024)
  })
})

describe('DELETE /runners/:id with If-Unmodified-Since', () => {
  // gitlab-behaviour.md §6.2 (412 Precondition Failed) and lib/api/helpers.rb check_unmodified_since!:
  // refused only when the resource was updated strictly after the header's instant.
  const updated = NOW - 86_400_000
  const fixture = rulesFixture({ runners: [{ id: 1, runner_type: 'instance_type', created_at: iso(updated) }] })

  it('deletes when the header equals the runner’s updated_at', async () => {
    const h = harness({ fixture })
    expect((await h.del('/runners/1', { token: ADMIN, headers: { 'If-Unmodified-Since': new Date(updated).toUTCString() } })).status).toBe(204)
    expect((await h.get('/runners/1', { token: ADMIN })).status).toBe(404)
  })

  it('answers 412 when the runner changed one second after the header', async () => {
    const res = await harness({ fixture }).del('/runners/1', { token: ADMIN, headers: { 'If-Unmodified-Since': new Date(updated - 1000).toUTCString() } })
    expectError(res, 412, { message: '412 Precondition Failed' })
  })
})
