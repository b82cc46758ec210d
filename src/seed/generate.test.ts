import { createHash } from 'node:crypto'
import fakerPackage from '@faker-js/faker/package.json' with { type: 'json' }
import { describe, expect, it } from 'vitest'
import { BASELINE_RULES } from '../domain/profile.js'
import { runnerStatus } from '../domain/status.js'
import { JOB_STATUSES, RUNNER_TYPES, type WorldState } from '../domain/types.js'
import { DEFAULT_FIXTURE } from '../world.js'
import { buildWorld } from './build-world.js'
import type { Fixture } from './fixture-types.js'

const NOW = Date.parse('2026-01-15T12:00:00.000Z')
const build = (seed: number | string, fixture: Fixture = DEFAULT_FIXTURE): WorldState => buildWorld({ fixture, seed, now: NOW })

describe('generated filler', () => {
  it('is built with the pinned faker version (seeded output changes between versions)', () => {
    expect(fakerPackage.version).toBe('10.4.0')
  })

  it.each([
    [{ runners: 300, jobs_per_runner: 3, projects: 20, groups: 5, users: 10 }, '796fedf9b020593b2c00b8126c308b63a10d0aabecc4d903fee5979812e59f16'],
    [{ runners: 120, jobs: 700, projects: 8, groups: 3, users: 4 }, '384141f8e945480184da562bebdfca4a3bb36db69006b089fe90135bcd2471c0'],
  ])('builds the same world as ever for %j: one hash over every runner, manager and job (jobs read as stored and moved)', (generate, expected) => {
    // Pinned from the build before the seeding was made faster (44d8be7): a change to any drawn value, or to what
    // the job table gives back, changes the hash.
    const state = build(1, { ...DEFAULT_FIXTURE, generate })
    const hash = createHash('sha256')
    for (const runner of state.runners.values()) hash.update(JSON.stringify(runner))
    for (const manager of state.runnerManagers.values()) hash.update(JSON.stringify(manager))
    for (const job of state.jobs.values()) hash.update(JSON.stringify(job))
    for (const job of state.jobs.values(12345)) hash.update(JSON.stringify(job))
    expect(hash.digest('hex')).toBe(expected)
  })

  it('matches its snapshot for seed 1, so a faker upgrade that changes the filler is caught', () => {
    const state = build(1)
    const sample = {
      users: [...state.users.values()].filter((u) => u.id > 7).slice(0, 3).map((u) => ({ id: u.id, username: u.username, name: u.name })),
      groups: [...state.groups.values()].filter((g) => g.id > 13).map((g) => ({ id: g.id, name: g.name, path: g.path, parentId: g.parentId })),
      runners: [...state.runners.values()].filter((r) => r.id > 13).slice(0, 4).map((r) => ({
        id: r.id,
        description: r.description,
        tagList: r.tagList,
        token: r.token,
        maintenanceNote: r.maintenanceNote,
      })),
      jobs: [...state.jobs.values()].filter((j) => j.id > 7).slice(0, 2).map((j) => ({
        id: j.id,
        status: j.status,
        title: j.commit?.title,
        author: j.commit?.authorName,
        sha: j.commit?.id,
      })),
    }
    expect(sample).toMatchSnapshot()
  })

  it('brings the default world to about 30 runners and 100 jobs', () => {
    const state = build(1)
    expect(state.runners.size).toBeGreaterThanOrEqual(28)
    expect(state.runners.size).toBeLessThanOrEqual(35)
    expect(state.jobs.size).toBeGreaterThanOrEqual(100)
    expect(state.jobs.size).toBeLessThanOrEqual(120)
  })

  it.each([1, 2, 3, 'text-seed'])('covers every runner type with every status under the 3-month stale window of 15.11–17.0, and every job status (seed %s)', (seed) => {
    const state = build(seed)
    const seen = new Set<string>()
    for (const r of state.runners.values()) if (r.id > 13) seen.add(`${r.runnerType}/${runnerStatus(r, NOW, BASELINE_RULES.staleAfter)}`)
    const expected = RUNNER_TYPES.flatMap((t) => ['online', 'offline', 'paused', 'never_contacted', 'stale'].map((s) => `${t}/${s}`))
    expect([...seen].sort()).toEqual(expected.sort())
    const jobStatuses = new Set([...state.jobs.values()].filter((j) => j.id > 7).map((j) => j.status))
    expect([...jobStatuses].sort()).toEqual([...JOB_STATUSES].sort())
  })

  it('gives generated jobs timings that agree with their status', () => {
    for (const job of build(1).jobs.values()) {
      const ran = ['running', 'success', 'failed', 'canceled'].includes(job.status)
      expect(job.startedAt !== null, `job ${job.id} (${job.status}) has started_at`).toBe(ran)
      if (job.status === 'running') expect(job.finishedAt).toBeNull()
      if (job.startedAt !== null && job.finishedAt !== null) expect(job.finishedAt).toBeGreaterThanOrEqual(job.startedAt)
      expect(job.failureReason !== null).toBe(job.status === 'failed')
      expect(job.pipeline.sha).toBe(job.commit?.id)
    }
  })

  it('gives every generated token a unique value and GitLab 15.x shape', () => {
    const state = build(1)
    const runnerTokens = [...state.runners.values()].map((r) => r.token)
    expect(new Set(runnerTokens).size).toBe(runnerTokens.length)
    for (const g of state.groups.values()) expect(g.runnersToken).toMatch(/^GR1348941[\w-]{20}$/)
    for (const r of state.runners.values()) if (r.id > 13) expect(r.token).toMatch(/^[\w-]{20}$/)
  })

  it('builds a large world ("500 generated runners") with the named records kept first', () => {
    const fixture: Fixture = {
      users: [{ username: 'u', tokens: [{ token: 'glpat-u' }] }],
      projects: [{ path_with_namespace: 'u/p' }],
      runners: [{ runner_type: 'instance_type', description: 'named' }],
      generate: { runners: 500, jobs_per_runner: 2 },
    }
    const state = build(9, fixture)
    expect(state.runners.size).toBe(501)
    expect(state.runners.get(1)?.description).toBe('named')
    expect(state.jobs.size).toBe(1000)
    expect(state.counters).toMatchObject({ runner: 502, job: 1001 })
    // No group to hold group runners: those become instance runners.
    expect(new Set([...state.runners.values()].map((r) => r.runnerType))).toEqual(new Set(['instance_type', 'project_type']))
  })

  it('attaches generated runners to named projects and groups when the fixture generates none', () => {
    const state = build(4, {
      users: [{ username: 'u' }],
      groups: [{ full_path: 'g' }],
      projects: [{ path_with_namespace: 'g/p' }],
      generate: { runners: 9 },
    })
    const types = [...state.runners.values()].map((r) => r.runnerType)
    expect(new Set(types)).toEqual(new Set(RUNNER_TYPES))
    for (const r of state.runners.values()) {
      if (r.runnerType === 'project_type') expect(r.projectIds).toEqual([1])
      if (r.runnerType === 'group_type') expect(r.groupId).toBe(1)
    }
  })
})
