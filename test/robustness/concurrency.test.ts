/** @module 50+ concurrent clients over real HTTP: no crash, no 5xx, acknowledged writes visible and whole until the next reset. */
import { describe, expect, it } from 'vitest'
import { runConcurrency } from './concurrency-runner.js'

describe('concurrent clients', () => {
  it('mix reads, updates, registrations, deletes, resets and snapshots without a 5xx, a lost write or a half-applied one', async () => {
    const result = await runConcurrency({ clients: 60, durationMs: 4000, seed: 9 })
    console.log(
      `concurrency: 60 clients, ${result.requests} requests in ${(result.ms / 1000).toFixed(1)} s, ${result.resets} resets/restores, ${result.verified} writes verified; ${JSON.stringify(result.counts)}`,
    )
    expect(result.failures).toEqual([])
    for (const op of ['read', 'update', 'invalid-update', 'register', 'delete', 'list', 'reset', 'restore', 'snapshot']) expect(result.counts[op] ?? 0).toBeGreaterThan(0)
    expect(result.verified).toBeGreaterThan(0)
  }, 60_000)
})
