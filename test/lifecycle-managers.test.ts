/**
 * @module The 16+ runner life cycle end to end, through the public API only, as a modern tool and
 * gitlab-runner drive it: create the runner with POST /user/runners (glrt- token), verify it from two hosts
 * (system ids), see its managers, unregister one host with DELETE /runners/managers, delete the runner.
 */
import { describe, expect, it } from 'vitest'
import { TOKENS, expectError, harness } from './harness.js'

const HOST_A = 's_a1a1a1a1a1a1'
const HOST_B = 'r_Zx9Yw8Vu7Ts6'

describe.each(['18.11', '17.11'])('runner managers life cycle on %s', (version) => {
  it('create → verify twice from one host and once from another → two managers → unregister one host → one left → delete the runner', async () => {
    const h = harness({ gitlabVersion: version })
    const created = await h.post('/user/runners', {
      token: TOKENS.groupOwner,
      body: { runner_type: 'group_type', group_id: 10, description: 'fleet', tag_list: ['linux'] },
    })
    expect(created.status).toBe(201)
    const { id, token } = created.body as { id: number; token: string }
    expect(token).toMatch(/^glrt-/)
    expect((await h.get(`/runners/${id}/managers`, { token: TOKENS.groupOwner })).body).toEqual([])

    // gitlab-runner register --token glrt-…: verify with its system_id (twice, as a retry would), then a second host.
    for (const systemId of [HOST_A, HOST_A, HOST_B]) {
      const verified = await h.post('/runners/verify', {
        headers: { 'X-Forwarded-For': systemId === HOST_A ? '10.0.9.1' : '10.0.9.2' },
        body: { token, system_id: systemId, info: { version: systemId === HOST_A ? '18.1.0' : '17.11.2', platform: 'linux', architecture: 'amd64' } },
      })
      expect(verified.status).toBe(200)
      expect(verified.body).toEqual({ id, token, token_expires_at: null })
    }
    const managers = await h.get(`/runners/${id}/managers`, { token: TOKENS.groupOwner })
    expect(managers.body.map((m: { system_id: string; ip_address: string; version: string }) => [m.system_id, m.ip_address, m.version])).toEqual([
      [HOST_A, '10.0.9.1', '18.1.0'],
      [HOST_B, '10.0.9.2', '17.11.2'],
    ])
    // The group lists it; with version_prefix, by its hosts' versions.
    const listed = await h.get('/groups/10/runners', { token: TOKENS.groupOwner, query: { version_prefix: '17.11', type: 'group_type' } })
    expect(listed.body.map((r: { id: number }) => r.id)).toEqual([id])

    // gitlab-runner unregister on host B.
    expect((await h.del('/runners/managers', { body: { token, system_id: HOST_B } })).status).toBe(204)
    const left = await h.get(`/runners/${id}/managers`, { token: TOKENS.groupOwner })
    expect(left.body.map((m: { system_id: string }) => m.system_id)).toEqual([HOST_A])
    expectError(await h.del('/runners/managers', { body: { token, system_id: HOST_B } }), 404, { message: '404 Runner manager not found Not Found' })

    // The runner token still works for the other host; then the owner deletes the runner, and its managers with it.
    expect((await h.post('/runners/verify', { body: { token, system_id: HOST_A } })).status).toBe(200)
    expect((await h.del(`/runners/${id}`, { token: TOKENS.groupOwner })).status).toBe(204)
    expectError(await h.get(`/runners/${id}/managers`, { token: TOKENS.admin }), 404, { message: '404 Not found' })
    expectError(await h.post('/runners/verify', { body: { token, system_id: HOST_A } }), 403, { message: '403 Forbidden' })
    const state = await h.get('/-/mock/state')
    expect(state.body.runner_managers.filter((m: { runner_id: number }) => m.runner_id === id)).toEqual([])
  })
})
