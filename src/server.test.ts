import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { FixtureError, type Fixture } from './seed/fixture-types.js'
import { startMockServer } from './server.js'

const HANG_BOUND_MS = 5_000

/** Resolves with how long the promise took, or rejects after the hang bound. */
async function timed<T>(promise: Promise<T>): Promise<number> {
  const started = Date.now()
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${HANG_BOUND_MS} ms`)), HANG_BOUND_MS)
  })
  try {
    await Promise.race([promise, hang])
  } finally {
    clearTimeout(timer)
  }
  return Date.now() - started
}

describe('startMockServer', () => {
  it('listens on a free port and resolves with url, port, tokens, reset, snapshot, restore and close', async () => {
    const server = await startMockServer({ port: 0, clock: '2026-01-15T12:00:00Z' })
    try {
      expect(server.port).toBeGreaterThan(0)
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`)
      expect(server.tokens.users.root).toBe('glpat-AdminToken0000000001')
      const res = await fetch(`${server.url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': server.tokens.users.bob as string } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ username: 'bob', web_url: `${server.url}/bob` })

      const initial = server.world.dump()
      server.snapshot('start')
      server.world.store.updateRunner(server.world.store.runner(1)!, { description: 'edited' })
      server.restore('start')
      expect(server.world.dump()).toEqual(initial)
      server.world.store.updateRunner(server.world.store.runner(1)!, { description: 'edited again' })
      server.reset()
      expect(server.world.dump()).toEqual(initial)
      expect(() => server.restore('missing')).toThrow('no snapshot named missing')
    } finally {
      await server.close()
    }
    await expect(fetch(`${server.url}/-/health`)).rejects.toThrow()
  })

  it('takes a seed, a fixture object and an external URL', async () => {
    const server = await startMockServer({
      seed: 5,
      fixture: { users: [{ username: 'x', tokens: [{ token: 'glpat-x' }] }] },
      externalUrl: 'https://gitlab.example.com',
    })
    try {
      expect(server.world.seed).toBe(5)
      const res = await fetch(`${server.url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': 'glpat-x' } })
      expect(((await res.json()) as { web_url: string }).web_url).toBe('https://gitlab.example.com/x')
    } finally {
      await server.close()
    }
  })

  it('rejects a bad fixture with every problem listed, before listening', async () => {
    const fixture = { users: [{ username: 'a', admin: 1 }], runners: [{ runner_type: 'group_type', group: 'g' }] } as unknown as Fixture
    const start = startMockServer({ fixture })
    await expect(start).rejects.toBeInstanceOf(FixtureError)
    await expect(start).rejects.toMatchObject({
      problems: [
        { path: '/users/0/admin', message: 'must be boolean' },
        { path: '/runners/0/group', message: 'unknown group g' },
      ],
    })
  })

  it('closes promptly while a keep-alive connection sits idle', async () => {
    const server = await startMockServer()
    expect((await fetch(`${server.url}/-/liveness`)).status).toBe(200)
    await timed(server.close())
  })

  it('lets an in-flight request finish on close(), then resolves promptly', async () => {
    const server = await startMockServer()
    const body = JSON.stringify({ name: 'during-close' })
    let req: ReturnType<typeof httpRequest> | undefined
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req = httpRequest(
        `${server.url}/-/mock/snapshots`,
        { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
        (res) => {
          let text = ''
          res.setEncoding('utf8')
          res.on('data', (chunk: string) => (text += chunk))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
        },
      )
      req.on('error', reject)
    })
    // Headers and half of the body are on the wire: the request is in flight.
    req!.write(body.slice(0, 5))
    await new Promise((resolve) => setTimeout(resolve, 100))
    const closing = server.close()
    req!.end(body.slice(5))
    expect(await response).toEqual({ status: 201, text: '{"name":"during-close"}' })
    await timed(closing)
    expect(server.world.snapshotNames()).toEqual(['during-close'])
  })
})
