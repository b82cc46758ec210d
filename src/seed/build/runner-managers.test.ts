import { describe, expect, it } from 'vitest'
import { buildWorld } from '../build-world.js'
import type { Fixture } from '../fixture-types.js'

const NOW = Date.parse('2026-01-15T12:00:00.000Z')
const BASE: Fixture = {
  users: [{ username: 'root', admin: true }],
  groups: [{ full_path: 'acme' }],
  projects: [{ path_with_namespace: 'acme/api' }],
}

describe('fixture runner managers', () => {
  it('builds managers with relative times, the runner\'s created_at by default, and links jobs by system_id', () => {
    const state = buildWorld({
      seed: 1,
      now: NOW,
      fixture: {
        ...BASE,
        runners: [
          {
            id: 7,
            runner_type: 'project_type',
            projects: ['acme/api'],
            created_at: '-10d',
            managers: [
              { system_id: 's_aaaaaaaaaaaa', version: '17.11.0', ip_address: '10.0.0.1', contacted_at: '-5m' },
              { system_id: '<legacy>', created_at: '-1d' },
            ],
          },
        ],
        jobs: [{ runner: 7, project: 'acme/api', status: 'success', system_id: 's_aaaaaaaaaaaa' }, { runner: 7, project: 'acme/api', status: 'failed' }],
      },
    })
    const managers = [...state.runnerManagers.values()]
    expect(managers.map((m) => [m.id, m.runnerId, m.systemId, m.version, m.ipAddress, m.contactedAt, m.createdAt])).toEqual([
      [1, 7, 's_aaaaaaaaaaaa', '17.11.0', '10.0.0.1', NOW - 5 * 60_000, NOW - 10 * 86_400_000],
      [2, 7, '<legacy>', null, null, null, NOW - 86_400_000],
    ])
    expect(state.counters.runnerManager).toBe(3)
    expect([...state.jobs.values()].map((j) => j.runnerManagerId)).toEqual([1, null])
  })

  it('lists a duplicated system id and a job naming a manager its runner lacks as problems', () => {
    const build = () =>
      buildWorld({
        seed: 1,
        now: NOW,
        fixture: {
          ...BASE,
          runners: [{ id: 1, runner_type: 'instance_type', managers: [{ system_id: 's_1' }, { system_id: 's_1' }] }],
          jobs: [{ runner: 1, project: 'acme/api', status: 'success', system_id: 's_2' }],
        },
      })
    expect(build).toThrow(/\/runners\/0\/managers\/1\/system_id: duplicate system_id s_1 on this runner/)
    expect(build).toThrow(/\/jobs\/0\/system_id: runner 1 has no manager s_2/)
  })
})
