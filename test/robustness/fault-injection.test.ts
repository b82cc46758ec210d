/** @module Tests of the robustness harness itself: faults injected into an app built the same way are caught by the fuzz and concurrency properties, with a seed and a shrunk request to replay. */
import { describe, expect, it } from 'vitest'
import { runConcurrency } from './concurrency-runner.js'
import { MockWorld } from '../../src/world.js'
import { FIXED_NOW } from '../harness.js'
import { checkCachedTexts, checkCopyOnWrite, checkKeptAnswer, fuzzTarget, runFuzz, send, takeForkProbe } from './fuzz-runner.js'

/** Run the fuzzer expecting a failure; returns fast-check's report. */
async function fuzzFailure(target: ReturnType<typeof fuzzTarget>, path: string, method = 'GET'): Promise<string> {
  try {
    await runFuzz({ seed: 42, minRequests: 5000, runsPerBatch: 500, target, extraEndpoints: [{ method, path }] })
  } catch (error) {
    return String((error as Error).message) + String((error as Error).cause ?? '')
  }
  throw new Error('the fuzzer missed the injected fault')
}

describe('the robustness harness', () => {
  it('catches a route that throws, and reports the seed and the shrunk request', async () => {
    const target = fuzzTarget({ logLevel: 'silent' })
    target.app.get('/api/v4/runners/:id/explode', () => {
      throw new Error('injected fault')
    })
    const report = await fuzzFailure(target, '/api/v4/runners/:runner/explode')
    expect(report).toMatch(/seed: 42/)
    expect(report).toMatch(/Counterexample: .*\/api\/v4\/runners\/[^/"]+\/explode/)
    expect(report).toContain('a 500')
  })

  it('catches a route that corrupts the store, through the invariants', async () => {
    const target = fuzzTarget()
    target.app.post('/api/v4/runners/:id/corrupt', (c) => {
      const found = c.var.world.store.runner(Number(c.req.param('id')))
      if (!found) return c.json({ message: '404 Not found' }, 404)
      const runner = c.var.world.store.ownRunner(found)
      runner.groupId = 987654
      return c.json({ id: runner.id })
    })
    const report = await fuzzFailure(target, '/api/v4/runners/:runner/corrupt', 'POST')
    expect(report).toMatch(/store invariants broken:\n\s+runner \d+ links missing group 987654/)
  })

  it('catches an error body that repeats the token it was sent', async () => {
    const target = fuzzTarget()
    target.app.get('/api/v4/runners/:id/leak', (c) => c.json({ message: `401 Unauthorized: ${c.req.header('private-token') ?? ''}` }, 401))
    const report = await fuzzFailure(target, '/api/v4/runners/:runner/leak')
    expect(report).toMatch(/the error body repeats the token glpat-/)
  })

  it('catches a journal entry that shows a token', async () => {
    const target = fuzzTarget()
    // A runner's token in a field whose name does not say so: only the journal property can see it.
    target.app.get('/api/v4/runners/:id/journal-leak', (c) => c.json({ note: 'SharedRunnerToken001' }))
    const report = await fuzzFailure(target, '/api/v4/runners/:runner/journal-leak')
    expect(report).toMatch(/a journal entry shows the token SharedRunnerToken001/)
  })

  it('catches a route that throws under concurrent load, and a write acknowledged but never applied', async () => {
    const thrown = await runConcurrency({ clients: 10, durationMs: 800, minRequests: 300, seed: 1, fault: 'throw' })
    expect(thrown.failures.some((f) => f.includes(' 500 '))).toBe(true)
    const lost = await runConcurrency({ clients: 10, durationMs: 800, minRequests: 300, seed: 1, fault: 'lose-writes' })
    expect(lost.failures.some((f) => f.includes('acknowledged write not visible'))).toBe(true)
  })

  it('catches a write that leaks into a fork (snapshot) and a reset that keeps writes', () => {
    const world = new MockWorld({ clock: FIXED_NOW })
    checkCopyOnWrite(world, undefined)
    const runner = world.store.runner(1)
    if (!runner) throw new Error('the default world has runner 1')
    const probe = takeForkProbe(world)
    checkCopyOnWrite(world, probe)
    const leaked = takeForkProbe(world)
    leaked.fork.updateRunner(runner, { description: 'as if the live store had written through' })
    expect(() => checkCopyOnWrite(world, leaked)).toThrow('leaked into the fork')
    world.store.updateRunner(runner, { description: 'written after reset' })
    world.reset = () => {} // a reset that forgets to start again from the template
    expect(() => checkCopyOnWrite(world, undefined)).toThrow('differs from a freshly built world')
  })

  it('catches a kept answer that a write did not invalidate', async () => {
    const target = fuzzTarget({ logLevel: 'silent' })
    const runner = [...target.app.world.store.runners()].find((r) => r.projectIds.length > 0)
    if (!runner) throw new Error('the default world has a project runner')
    const request = { method: 'GET', url: `/api/v4/runners/${runner.id}`, headers: [['PRIVATE-TOKEN', 'glpat-AdminToken0000000001']] } as Parameters<typeof send>[1]
    const first = await send(target.app, request)
    await checkKeptAnswer(target, request, first) // a fresh answer equals the kept one
    // A new record put in place behind the store: a write it never counts.
    target.app.world.store.state.runners.set(runner.id, Object.freeze({ ...runner, description: 'changed behind the store' }))
    const kept = await send(target.app, request)
    expect(kept.text).toBe(first.text) // still the kept answer
    await expect(checkKeptAnswer(target, request, kept)).rejects.toThrow(/a kept answer differs from a fresh one/)
  })

  it('catches a cached entity text that a write did not invalidate', () => {
    const world = new MockWorld({ clock: FIXED_NOW })
    checkCachedTexts(world.store) // fills the cache
    checkCachedTexts(world.store) // and answers from it
    const runner = [...world.store.runners()].find((r) => r.projectIds.length > 0)
    const project = runner && world.store.project(runner.projectIds[0] as number)
    if (!project) throw new Error('the default world has a project runner')
    project.name = 'renamed behind the store' // a write that takes no new structure stamp
    expect(() => checkCachedTexts(world.store)).toThrow(/cached details text of runner \d+/)
  })
})
