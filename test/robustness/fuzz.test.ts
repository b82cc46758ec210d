/** @module Property-based fuzzing of every endpoint and the control API: at least 20,000 seeded requests, no 5xx, GitLab-shaped bodies, no leaked tokens, invariants intact. */
import { describe, expect, it } from 'vitest'
import { fuzzTarget, runFuzz } from './fuzz-runner.js'

/** FUZZ_SEED replays another seed; FUZZ_REQUESTS raises the count for a longer local run. */
const SEED = Number(process.env.FUZZ_SEED ?? 20260115)
const MIN_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 20_000)
/** The same properties under the newest profile: its fields differ (ip_address null, maintenance_note, created_by, job_execution_status, managers' version fields). */
const MIN_REQUESTS_LATEST = Number(process.env.FUZZ_REQUESTS_LATEST ?? 4_000)

describe('fuzzing every endpoint', () => {
  it('never answers 5xx, always answers JSON in GitLab’s shape, never repeats a token, and keeps the store consistent', async () => {
    const stats = await runFuzz({ seed: SEED, minRequests: MIN_REQUESTS })
    console.log(
      `fuzz: ${stats.requests} requests in ${stats.cases} cases (seeds ${stats.seeds.join(', ')}) in ${(stats.ms / 1000).toFixed(1)} s; statuses ${JSON.stringify(stats.statuses)}`,
    )
    if (stats.undocumented.length > 0) console.log(`fuzz: error statuses the route contracts do not list: ${stats.undocumented.join('; ')}`)
    expect(stats.requests).toBeGreaterThanOrEqual(MIN_REQUESTS)
    expect(Object.keys(stats.statuses).filter((s) => Number(s) >= 500)).toEqual([])
  }, 300_000)

  it('keeps the same properties, cached texts included, under GitLab 18.11', async () => {
    const stats = await runFuzz({ seed: SEED, minRequests: MIN_REQUESTS_LATEST, runsPerBatch: 250, target: fuzzTarget({ gitlabVersion: '18.11' }) })
    console.log(`fuzz 18.11: ${stats.requests} requests in ${stats.cases} cases (seeds ${stats.seeds.join(', ')}) in ${(stats.ms / 1000).toFixed(1)} s; statuses ${JSON.stringify(stats.statuses)}`)
    expect(stats.requests).toBeGreaterThanOrEqual(MIN_REQUESTS_LATEST)
    expect(Object.keys(stats.statuses).filter((s) => Number(s) >= 500)).toEqual([])
  }, 300_000)
})
