/**
 * @module The concurrency harness: many clients over real HTTP mixing reads, updates, registrations,
 * deletes and control resets/snapshots for a bounded time. Each client checks that its acknowledged
 * writes stay visible, whole, until the next reset or restore (which the harness tracks).
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { createApp } from '../../src/app.js'
import { assertStoreInvariants } from '../../src/domain/invariants.js'
import { errorHandler } from '../../src/http/errors.js'
import { closeServer, startMockServer } from '../../src/server.js'
import type { MockWorld } from '../../src/world.js'
import { TOKENS } from '../harness.js'

export interface ConcurrencyOptions {
  clients: number
  durationMs: number
  /** Keep going past the deadline until this many requests were sent (a slow, busy machine still exercises the routes). */
  minRequests?: number
  seed: number
  /** For the harness's own test: a handler that throws now and then, or one that acknowledges PUTs without applying them. */
  fault?: 'throw' | 'lose-writes'
}

export interface ConcurrencyResult {
  requests: number
  counts: Record<string, number>
  failures: string[]
  resets: number
  /** Reads that checked an acknowledged write (no reset or restore in between). */
  verified: number
  ms: number
}

/** A small seeded generator per client (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), s | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Serve the mock, or for a fault run the same app behind a handler with the injected fault. */
async function startTarget(fault: ConcurrencyOptions['fault']): Promise<{ url: string; world: MockWorld; close(): Promise<void> }> {
  if (!fault) {
    const server = await startMockServer({ gitlabVersion: '15.11' })
    return { url: server.url, world: server.world, close: () => server.close() }
  }
  const app = createApp({ gitlabVersion: '15.11' })
  const outer = new Hono()
  let n = 0
  outer.get('/api/v4/runners/:id', async (_c, next) => {
    if (fault === 'throw' && ++n % 7 === 0) throw new Error('injected fault')
    await next()
  })
  outer.put('/api/v4/runners/:id', async (c, next) => {
    if (fault !== 'lose-writes') return next()
    // answer as if applied (the runner with the requested fields), but change nothing
    const res = await app.request(c.req.url, { headers: c.req.raw.headers })
    if (res.status !== 200) return new Response(res.body, { status: res.status, headers: res.headers })
    const asked = (await c.req.json()) as { description?: string; tag_list?: string }
    const shown = { ...((await res.json()) as object), description: asked.description, tag_list: asked.tag_list?.split(',') }
    return c.json(shown)
  })
  outer.route('/', app)
  outer.onError(errorHandler(() => {}))
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: outer.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s as Server)) as Server
  })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, world: app.world, close: () => closeServer(server) }
}

export async function runConcurrency(options: ConcurrencyOptions): Promise<ConcurrencyResult> {
  const target = await startTarget(options.fault)
  const result: ConcurrencyResult = { requests: 0, counts: {}, failures: [], resets: 0, verified: 0, ms: 0 }
  const started = performance.now()
  const deadline = Date.now() + options.durationMs
  /** Resets and restores started and finished: a check is valid only if none started or ran since its write. */
  let resetsStarted = 0
  let resetsFinished = 0
  /**
   * Requests in flight by the reset count when they were sent: one sent before a reset may still reach the
   * server after it (and after a new registration reused its runner id), so checks wait until none is left.
   */
  const inflight = new Map<number, number>()
  const staleInflight = () => {
    let n = 0
    for (const [epoch, count] of inflight) if (epoch < resetsStarted) n += count
    return n
  }
  const registrationToken = target.world.wellKnownTokens().registration.instance

  const fail = (message: string) => {
    if (result.failures.length < 20) result.failures.push(message)
  }

  async function call(op: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any } | undefined> {
    result.requests++
    result.counts[op] = (result.counts[op] ?? 0) + 1
    const epoch = resetsStarted
    inflight.set(epoch, (inflight.get(epoch) ?? 0) + 1)
    let res: Response
    try {
      res = await fetch(`${target.url}${path}`, {
        method,
        headers: { 'PRIVATE-TOKEN': TOKENS.admin, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
    } catch (error) {
      fail(`${method} ${path}: ${(error as Error).message} ${String((error as Error).cause ?? '')}`)
      return undefined
    } finally {
      inflight.set(epoch, (inflight.get(epoch) ?? 1) - 1)
    }
    const text = await res.text()
    if (res.status >= 500) fail(`${method} ${path} ${res.status} ${text.slice(0, 200)}`)
    let json: any
    try {
      json = text === '' ? undefined : JSON.parse(text)
    } catch {
      fail(`${method} ${path} ${res.status}: not JSON: ${text.slice(0, 200)}`)
    }
    return { status: res.status, json }
  }

  async function client(index: number): Promise<void> {
    const random = rng(options.seed * 1000 + index)
    /** Runners this client registered, with the reset count at registration and the last acknowledged values. */
    const owned = new Map<number, { epoch: number; description: string; tags: string[] }>()
    let n = 0
    const quiet = () => resetsStarted === resetsFinished && staleInflight() === 0
    // the control client runs at least one full cycle (snapshot, reset, snapshot, restore) however slow the machine
    while (Date.now() < deadline || result.requests < (options.minRequests ?? 0) || (index === 0 && n < 4)) {
      n++
      for (const [id, entry] of owned) if (entry.epoch !== resetsStarted) owned.delete(id)
      const mine = [...owned.keys()]
      const id = mine.length > 0 ? (mine[Math.floor(random() * mine.length)] as number) : undefined
      const entry = id === undefined ? undefined : owned.get(id)
      const epoch = resetsStarted
      const wasQuiet = quiet()
      const stillValid = () => wasQuiet && quiet() && resetsStarted === epoch
      const r = random()

      if (index === 0) {
        // the control client: a reset, restore, snapshot or state dump every ~50 ms
        await new Promise((resolve) => setTimeout(resolve, 50))
        if (n % 2 === 1) {
          const res = await call('snapshot', 'POST', '/-/mock/snapshots', { name: 'c' })
          if (res && res.status !== 201) fail(`snapshot answered ${res.status}`)
          await call('state', 'GET', '/-/mock/state')
        } else {
          const restore = n % 4 === 0
          resetsStarted++
          const res = restore ? await call('restore', 'POST', '/-/mock/snapshots/c/restore') : await call('reset', 'POST', '/-/mock/reset')
          resetsFinished++
          result.resets++
          if (res && res.status !== 200 && !(restore && res.status === 404)) fail(`reset/restore answered ${res.status}`)
        }
      } else if (id === undefined || r < 0.2) {
        const description = `c${index}-r${n}`
        const res = await call('register', 'POST', '/api/v4/runners', { token: registrationToken, description })
        if (res?.status === 201 && stillValid()) owned.set(res.json.id, { epoch, description, tags: [] })
        else if (res && res.status !== 201 && stillValid()) fail(`registration answered ${res.status} ${JSON.stringify(res.json)}`)
      } else if (r < 0.45 && entry) {
        const description = `c${index}-u${n}`
        const tags = [`t${index}-${n}`]
        const res = await call('update', 'PUT', `/api/v4/runners/${id}`, { description, tag_list: tags.join(',') })
        if (!res || !stillValid()) continue
        if (res.status !== 200) fail(`update of own runner ${id} answered ${res.status} ${JSON.stringify(res.json)}`)
        else if (res.json.description !== description || JSON.stringify(res.json.tag_list) !== JSON.stringify(tags))
          fail(`update of runner ${id} half-applied in its answer: ${JSON.stringify(res.json).slice(0, 200)}`)
        else owned.set(id, { epoch, description, tags })
      } else if (r < 0.55 && entry) {
        const res = await call('invalid-update', 'PUT', `/api/v4/runners/${id}`, { description: 'never', maximum_timeout: 5 })
        if (res && stillValid() && res.status !== 400) fail(`an invalid update of runner ${id} answered ${res.status}`)
      } else if (r < 0.8 && entry) {
        const res = await call('read', 'GET', `/api/v4/runners/${id}`)
        if (!res || !stillValid()) continue
        result.verified++
        if (res.status !== 200) fail(`acknowledged write not visible: runner ${id} answered ${res.status}`)
        else if (res.json.description !== entry.description || JSON.stringify(res.json.tag_list) !== JSON.stringify(entry.tags))
          fail(`acknowledged write not visible (or half-applied): runner ${id} shows ${JSON.stringify([res.json.description, res.json.tag_list])}, expected ${JSON.stringify([entry.description, entry.tags])}`)
      } else if (r < 0.88) {
        const res = await call('list', 'GET', `/api/v4/runners/all?per_page=100&page=${1 + Math.floor(random() * 2)}`)
        if (res && res.status !== 200) fail(`list answered ${res.status}`)
      } else if (entry) {
        const res = await call('delete', 'DELETE', `/api/v4/runners/${id}`)
        if (!res || !stillValid()) continue
        if (res.status !== 204) fail(`delete of own runner ${id} answered ${res.status}`)
        owned.delete(id as number)
        const after = await call('read', 'GET', `/api/v4/runners/${id}`)
        if (after && stillValid() && after.status !== 404) fail(`deleted runner ${id} still answers ${after.status}`)
      }
    }
  }

  try {
    await Promise.all(Array.from({ length: options.clients }, (_, i) => client(i)))
    try {
      assertStoreInvariants(target.world.store)
    } catch (error) {
      fail((error as Error).message)
    }
  } finally {
    await target.close()
  }
  result.ms = performance.now() - started
  return result
}
