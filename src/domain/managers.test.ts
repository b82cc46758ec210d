import { describe, expect, it } from 'vitest'
import { MockWorld } from '../world.js'
import { assertStoreInvariants, storeProblems } from './invariants.js'
import {
  MANAGER_STALE_MS,
  deleteManagerOfRunner,
  ensureManager,
  latestManager,
  managerStatus,
  runnerVersionDetails,
  touchManager,
  versionPrefixMatcher,
} from './managers.js'
import { listAllRunners, listRunnerJobs } from './runners.js'
import { copyState, Store } from './store.js'
import type { RunnerManager } from './types.js'

const NOW = '2026-01-15T12:00:00.000Z'
const MINUTE = 60_000
const admin = (store: Store) => ({ user: store.user(1)!, isAdmin: true })

function world(version = '18.11') {
  return new MockWorld({ clock: NOW, gitlabVersion: version })
}

describe('managerStatus', () => {
  const now = Date.parse(NOW)
  const manager = (fields: Partial<RunnerManager>): RunnerManager => ({
    id: 1, runnerId: 1, systemId: 's_1', version: null, revision: null, platform: null, architecture: null, ipAddress: null,
    contactedAt: null, createdAt: now - MINUTE, ...fields,
  })

  it('is online within 2 hours of contact, offline after, never_contacted without contact', () => {
    expect(managerStatus(manager({ contactedAt: now - 119 * MINUTE }), now)).toBe('online')
    expect(managerStatus(manager({ contactedAt: now - 121 * MINUTE }), now)).toBe('offline')
    expect(managerStatus(manager({}), now)).toBe('never_contacted')
  })

  it('is stale 7 days after creation and last contact (the manager window, in every version)', () => {
    const old = now - MANAGER_STALE_MS
    expect(managerStatus(manager({ createdAt: old, contactedAt: null }), now)).toBe('stale')
    expect(managerStatus(manager({ createdAt: old, contactedAt: old }), now)).toBe('stale')
    expect(managerStatus(manager({ createdAt: old, contactedAt: old + MINUTE }), now)).toBe('offline')
    expect(managerStatus(manager({ createdAt: old + MINUTE, contactedAt: null }), now)).toBe('never_contacted')
  })
})

describe('versionPrefixMatcher (Ci::RunnerManager.with_version_prefix)', () => {
  it.each([
    ['15', '15.11.0', true],
    ['15', '16.0.0', false],
    ['15', '150.1.0', false],
    ['15.1', '15.1.3', true],
    ['15.1', '15.10.0', false],
    ['15.1.', '15.1.0', true],
    ['16.1.2', '16.1.2', true],
    ['16.1.2', '16.1.24', false],
    ['16.1.24', '16.1.24~beta.1', true],
  ])('%s against %s → %s', (prefix, version, expected) => {
    expect(versionPrefixMatcher(prefix)(version)).toBe(expected)
  })

  it('never matches a manager without a version', () => {
    expect(versionPrefixMatcher('1')(null)).toBe(false)
  })
})

describe('managers in the store', () => {
  it('the default fixture gives runner 1 two managers, the latest contacted first in its version details (17.0+)', () => {
    const { store } = world()
    expect(store.managersOf(1).map((m) => m.systemId)).toEqual(['s_1a2b3c4d5e6f', 's_e7f8091a2b3c'])
    expect(latestManager(store, 1)?.systemId).toBe('s_1a2b3c4d5e6f')
    expect(runnerVersionDetails(store, store.runner(1)!)).toEqual({ version: '15.11.0', revision: '436955cb', platform: 'linux', architecture: 'amd64' })
    expect(runnerVersionDetails(store, store.runner(3)!)).toEqual({ version: null, revision: null, platform: null, architecture: null })
    assertStoreInvariants(store)
  })

  it('until 16.x the version details are the runner\'s own, from 17.0 its latest manager\'s', () => {
    for (const [version, expected] of [['16.11', '15.9.0'], ['17.0', '17.0.1']] as const) {
      const { store } = world(version)
      const runner = store.runner(11)!
      touchManager(store, runner, { systemId: 's_new', ipAddress: '10.9.9.9', info: { version: '17.0.1' } }, true)
      expect(runnerVersionDetails(store, runner).version).toBe(expected)
    }
  })

  it('ensureManager creates a never-contacted manager once per system id; touchManager records the host', () => {
    const { store } = world()
    const runner = store.runner(3)!
    const first = ensureManager(store, runner, 's_abc')
    expect(ensureManager(store, runner, 's_abc')).toBe(first)
    expect(first).toMatchObject({ runnerId: 3, systemId: 's_abc', contactedAt: null, createdAt: Date.parse(NOW) })
    const touched = touchManager(store, runner, { systemId: 's_abc', ipAddress: '10.1.1.1', info: { version: '18.0.0', platform: 'linux' } }, false)
    expect(touched).toMatchObject({ id: first.id, ipAddress: '10.1.1.1', version: '18.0.0', platform: 'linux', contactedAt: null })
    // Records are immutable: the store holds the manager's newer record, the old one is unchanged.
    expect(store.managerBySystemId(3, 's_abc')).toBe(touched)
    expect(first.ipAddress).toBeNull()
    const legacy = touchManager(store, runner, { ipAddress: null }, true)
    expect(legacy.systemId).toBe('<legacy>')
    expect(legacy.contactedAt).toBe(Date.parse(NOW))
    expect(store.managersOf(3)).toEqual([touched, legacy])
    assertStoreInvariants(store)
  })

  it('deleting the last manager clears the runner\'s heartbeat; an unknown system id is GitLab\'s 404', () => {
    const { store } = world()
    const runner = store.runner(1)!
    expect(() => deleteManagerOfRunner(store, runner, 's_unknown')).toThrow('404 Runner manager not found Not Found')
    deleteManagerOfRunner(store, runner, 's_e7f8091a2b3c')
    expect(store.runner(1)!.contactedAt).not.toBeNull()
    deleteManagerOfRunner(store, runner, 's_1a2b3c4d5e6f')
    expect(store.managersOf(1)).toEqual([])
    // Records are immutable: the store holds the runner's newer record.
    expect(store.runner(1)!.contactedAt).toBeNull()
    assertStoreInvariants(store)
  })

  it('deleting a runner deletes its managers', () => {
    const { store } = world()
    const ids = store.managersOf(1).map((m) => m.id)
    store.deleteRunner(store.runner(1)!)
    for (const id of ids) expect(store.state.runnerManagers.has(id)).toBe(false)
    expect(store.managersOf(1)).toEqual([])
    assertStoreInvariants(store)
  })

  it('copies, resets and snapshots carry managers independently of the live store', () => {
    const w = world()
    w.snapshot('before')
    const runner = w.store.runner(1)!
    touchManager(w.store, runner, { systemId: 's_later', ipAddress: null }, true)
    const copy = copyState(w.store.state)
    expect([...copy.runnerManagers.values()].some((m) => m.systemId === 's_later')).toBe(true)
    // A write after the copy reaches the live store only.
    const shared = w.store.managersOf(1)[0]!
    touchManager(w.store, w.store.runner(1)!, { systemId: shared.systemId, ipAddress: '10.7.7.7' }, true)
    expect(w.store.managersOf(1)[0]!.ipAddress).toBe('10.7.7.7')
    expect(copy.runnerManagers.get(shared.id)).toEqual(shared)
    expect(w.restore('before')).toBe(true)
    expect(w.store.managersOf(1).map((m) => m.systemId)).toEqual(['s_1a2b3c4d5e6f', 's_e7f8091a2b3c'])
    touchManager(w.store, w.store.runner(1)!, { systemId: 's_again', ipAddress: null }, true)
    w.reset()
    expect(w.store.managersOf(1)).toHaveLength(2)
    expect(w.store.state.counters.runnerManager).toBeGreaterThan(Math.max(...w.store.state.runnerManagers.keys()))
    assertStoreInvariants(w.store)
  })

  it('stores forked from one store share its managers until one of them writes', () => {
    const { store } = world()
    const a = store.fork()
    const b = store.fork()
    const before = store.managersOf(1).map((m) => m.systemId)
    touchManager(a, a.runner(1)!, { systemId: 's_only_in_a', ipAddress: null }, true)
    touchManager(b, b.runner(1)!, { systemId: before[0]!, ipAddress: '10.9.9.9' }, true)
    expect(a.managersOf(1).map((m) => m.systemId)).toEqual([...before, 's_only_in_a'])
    expect(b.managersOf(1).map((m) => m.systemId)).toEqual(before)
    expect(b.managersOf(1)[0]!.ipAddress).toBe('10.9.9.9')
    expect(store.managersOf(1).map((m) => m.systemId)).toEqual(before)
    expect(store.managersOf(1)[0]!.ipAddress).not.toBe('10.9.9.9')
    expect(a.managersOf(1)[0]!.ipAddress).not.toBe('10.9.9.9')
    for (const s of [store, a, b]) assertStoreInvariants(s)
  })

  it('the invariants notice a manager of a missing runner and a duplicated system id', () => {
    const { store } = world()
    const [first] = store.managersOf(1)
    store.state.runnerManagers.set(999, { ...first!, id: 999, runnerId: 4242 })
    store.insertManager({ ...first!, id: 1000 })
    store.state.counters.runnerManager = 1001
    const problems = storeProblems(store)
    expect(problems).toContain('manager 999 belongs to missing runner 4242')
    expect(problems).toContain('runner 1 has two managers with system id s_1a2b3c4d5e6f')
  })
})

describe('filters that read managers', () => {
  it('version_prefix keeps runners with a matching manager, once each', () => {
    const { store } = world()
    const ids = (prefix: string) => listAllRunners(store, admin(store), { versionPrefix: prefix }).map((r) => r.id).filter((id) => id <= 13)
    expect(ids('15.10')).toEqual([1, 2])
    expect(ids('14')).toEqual([9])
    expect(ids('15.11.0')).toEqual([1, 4, 5, 6, 7, 8, 12])
  })

  it('jobs by system_id: only that manager\'s jobs; an unknown system id lists none', () => {
    const { store } = world()
    const jobs = (systemId?: string) => listRunnerJobs(store, admin(store), 6, { systemId }).map((j) => j.id)
    expect(jobs()).toEqual([1, 2, 3, 4, 5])
    expect(jobs('s_6f708192a3b4')).toEqual([1, 2, 3, 4, 5])
    expect(jobs('s_unknown')).toEqual([])
    expect(listRunnerJobs(store, admin(store), 7, { systemId: 's_6f708192a3b4' })).toEqual([])
  })

  it('a manager with a running job is active (18.x job_execution_status)', async () => {
    const { managerJobExecutionStatus } = await import('./managers.js')
    const { store } = world()
    expect(managerJobExecutionStatus(store, store.managersOf(6)[0]!)).toBe('active')
    expect(managerJobExecutionStatus(store, store.managersOf(7)[0]!)).toBe('idle')
  })
})
