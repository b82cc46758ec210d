import { describe, expect, it } from 'vitest'
import { TOKENS, expectError, harness } from '../../../test/harness.js'

describe('GET /runners/:id (smoke)', () => {
  it('shows an instance runner to any signed-in user', async () => {
    const h = harness()
    const res = await h.get('/runners/1', { token: TOKENS.outsider })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: 1, is_shared: true, runner_type: 'instance_type', projects: [], groups: [] })
  })

  it('answers 401 without a token, before validating the id', async () => {
    expectError(await harness().get('/runners/abc'), 401, { message: '401 Unauthorized' })
  })

  it('answers 400 for a non-numeric id and 404 for an unknown one', async () => {
    const h = harness()
    expectError(await h.get('/runners/abc', { token: TOKENS.admin }), 400, { error: 'id is invalid' })
    expectError(await h.get('/runners/99999', { token: TOKENS.admin }), 404, { message: '404 Not found' })
  })

  it('refuses a project runner to a user who does not own it', async () => {
    expectError(await harness().get('/runners/6', { token: TOKENS.reporter }), 403, { message: '403 Forbidden - No access granted' })
  })
})
