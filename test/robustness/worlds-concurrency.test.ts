/**
 * @module Worlds stay isolated under concurrent writes: 16 clients in 8 worlds at once, each
 * registering, updating and deleting runners, each world reset midway by one of its clients; at the end
 * every world holds exactly its own clients' later work, and the default world is untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../src/server.js'
import { REGISTRATION, TOKENS } from '../harness.js'

const WORLDS = 8
const CLIENTS_PER_WORLD = 2
const BEFORE_RESET = 5
const AFTER_RESET = 3

let server: MockServer
beforeAll(async () => {
  server = await startMockServer({ clock: '2026-01-15T12:00:00.000Z', logLevel: 'silent' })
})
afterAll(async () => {
  await server?.close()
})

async function call(url: string, method: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method,
    headers: { 'PRIVATE-TOKEN': TOKENS.admin, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

/** Register `n` runners, rename each, delete the first: leaves n-1 runners named `<tag>-<i>-updated`. */
async function work(api: string, tag: string, n: number): Promise<void> {
  const ids: number[] = []
  for (let i = 0; i < n; i++) {
    const reg = await call(`${api}/runners`, 'POST', { token: REGISTRATION.instance, description: `${tag}-${i}` })
    expect(reg.status).toBe(201)
    ids.push(reg.body.id)
    const put = await call(`${api}/runners/${reg.body.id}`, 'PUT', { description: `${tag}-${i}-updated`, tag_list: [tag] })
    expect(put.status).toBe(200)
  }
  expect((await call(`${api}/runners/${ids[0]}`, 'DELETE')).status).toBe(204)
}

describe('worlds under concurrent writes', () => {
  it('keeps 8 worlds written by 16 concurrent clients (with resets) apart', async () => {
    const worlds = Array.from({ length: WORLDS }, (_, w) => server.world(`conc-${w}`))
    await Promise.all(
      worlds.map(async (world, w) => {
        const api = `${world.url}/api/v4`
        const clients = Array.from({ length: CLIENTS_PER_WORLD }, (_, c) => `w${w}c${c}`)
        await Promise.all(clients.map((tag) => work(api, `${tag}-early`, BEFORE_RESET)))
        expect((await call(`${world.url}/-/mock/reset`, 'POST')).status).toBe(200)
        await Promise.all(clients.map((tag) => work(api, `${tag}-late`, AFTER_RESET)))
      }),
    )
    for (const [w, world] of worlds.entries()) {
      const all = await call(`${world.url}/api/v4/runners/all?per_page=100`, 'GET')
      const mine = (all.body as Array<{ description: string }>).map((r) => r.description).filter((d) => /^w\d+c\d+-/.test(d))
      const expected = Array.from({ length: CLIENTS_PER_WORLD }, (_, c) => Array.from({ length: AFTER_RESET - 1 }, (_, i) => `w${w}c${c}-late-${i + 1}-updated`)).flat()
      expect(mine.sort(), `world ${w}`).toEqual(expected.sort())
      expect(all.body).toHaveLength(31 + CLIENTS_PER_WORLD * (AFTER_RESET - 1))
      const registrations = await world.control.verify({ endpoint: 'POST /api/v4/runners', count: CLIENTS_PER_WORLD * (BEFORE_RESET + AFTER_RESET) })
      expect(registrations.ok, `world ${w} journal`).toBe(true)
    }
    expect(server.world.store.state.runners.size).toBe(31)
    expect((await call(`${server.url}/api/v4/runners/all?per_page=100`, 'GET')).body).toHaveLength(31)
  })
})
