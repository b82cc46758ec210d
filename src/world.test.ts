import { spawnSync } from 'node:child_process'
import { describe, expect, it, vi } from 'vitest'
import { TokenFormat } from './domain/random.js'
import { FixtureError, type Fixture } from './seed/fixture-types.js'
import { isCheckedFixture, loadFixture } from './seed/load-fixture.js'
import { DEFAULT_FIXTURE, MockWorld } from './world.js'

const FIXED = '2026-01-15T12:00:00.000Z'
const NAMED_MAX = { users: 7, groups: 13, projects: 105, runners: 13, jobs: 7 }

/** Dump a world in a separate Node process (tsx loads the TypeScript sources). */
function dumpInChildProcess(seed: number): string {
  const code = `import { MockWorld } from './src/world.ts'
process.stdout.write(JSON.stringify(new MockWorld({ seed: ${seed}, clock: '${FIXED}' }).dump()))`
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
    timeout: 30_000,
  })
  expect(child.stderr).toBe('')
  expect(child.status).toBe(0)
  return child.stdout
}

/** The named part of a dump: records whose ids the fixture gives, and the fixture's tokens. */
function namedPart(dump: ReturnType<MockWorld['dump']>) {
  return {
    settings: dump.settings,
    users: dump.users.filter((u) => u.id <= NAMED_MAX.users),
    tokens: dump.personal_access_tokens.filter((t) => t.user_id <= NAMED_MAX.users),
    groups: dump.groups.filter((g) => g.id <= NAMED_MAX.groups),
    projects: dump.projects.filter((p) => p.id <= NAMED_MAX.projects),
    memberships: dump.memberships.filter((m) => m.user_id <= NAMED_MAX.users),
    runners: dump.runners.filter((r) => r.id <= NAMED_MAX.runners),
    jobs: dump.jobs.filter((j) => j.id <= NAMED_MAX.jobs),
  }
}

function fillerPart(dump: ReturnType<MockWorld['dump']>) {
  return {
    users: dump.users.filter((u) => u.id > NAMED_MAX.users),
    runners: dump.runners.filter((r) => r.id > NAMED_MAX.runners),
    jobs: dump.jobs.filter((j) => j.id > NAMED_MAX.jobs),
  }
}

/** Add a runner the way registration does: next id from the counters, token from the seeded request-time generator. */
function register(world: MockWorld) {
  const store = world.store
  const template = store.runner(3)!
  const runner = { ...template, id: store.nextId('runner'), token: TokenFormat.runnerAuthentication(store.random), description: 'added' }
  store.insertRunner(runner)
  return runner
}

describe('MockWorld determinism', () => {
  it('gives byte-identical state dumps for the same seed and a fixed clock in two separate processes', () => {
    const first = dumpInChildProcess(7)
    const second = dumpInChildProcess(7)
    expect(first.length).toBeGreaterThan(1000)
    expect(second).toBe(first)
    expect(JSON.parse(first)).toEqual(JSON.parse(JSON.stringify(new MockWorld({ seed: 7, clock: FIXED }).dump())))
  })

  it('changes only the generated filler with another seed: named records and their tokens stay', () => {
    const one = new MockWorld({ seed: 1, clock: FIXED }).dump()
    const two = new MockWorld({ seed: 2, clock: FIXED }).dump()
    expect(namedPart(two)).toEqual(namedPart(one))
    expect(fillerPart(two)).not.toEqual(fillerPart(one))
    expect(fillerPart(two).runners.map((r) => r.token)).not.toEqual(fillerPart(one).runners.map((r) => r.token))
  })

  it('never links filler to the named records, so a named user owns and sees the same runners under any seed', () => {
    const dump = new MockWorld({ seed: 3, clock: FIXED }).dump()
    const filler = fillerPart(dump)
    for (const runner of filler.runners) {
      for (const projectId of runner.project_ids) expect(projectId).toBeGreaterThan(NAMED_MAX.projects)
      if (runner.group_id !== null) expect(runner.group_id).toBeGreaterThan(NAMED_MAX.groups)
    }
    const generatedGroups = dump.groups.filter((g) => g.id > NAMED_MAX.groups)
    for (const g of generatedGroups) if (g.parent_id !== null) expect(g.parent_id).toBeGreaterThan(NAMED_MAX.groups)
    for (const m of dump.memberships.filter((m) => m.user_id <= NAMED_MAX.users)) {
      const limit = m.source === 'group' ? NAMED_MAX.groups : NAMED_MAX.projects
      expect(m.source_id).toBeLessThanOrEqual(limit)
    }
  })

  it('accepts a text seed and gives the same world for the same text', () => {
    expect(new MockWorld({ seed: 'abc', clock: FIXED }).dump()).toEqual(new MockWorld({ seed: 'abc', clock: FIXED }).dump())
  })
})

describe('MockWorld reset', () => {
  it('restores the initial state exactly after writes, id counters and token sequence included', () => {
    const world = new MockWorld({ clock: FIXED })
    const initial = world.dump()
    const first = register(world)
    world.store.updateRunner(world.store.runner(1)!, { description: 'changed' })
    world.clock.advance(3_600_000)
    expect(world.dump()).not.toEqual(initial)

    world.reset()
    expect(world.dump()).toEqual(initial)
    const again = register(world)
    expect({ id: again.id, token: again.token }).toEqual({ id: first.id, token: first.token })
  })

  it('returns a frozen clock to its first instant', () => {
    const world = new MockWorld({ clock: FIXED })
    world.clock.advance(86_400_000)
    world.clock.set(Date.parse('2030-01-01T00:00:00Z'))
    world.reset()
    expect(new Date(world.clock.now()).toISOString()).toBe(FIXED)
    expect(world.clock.frozen).toBe(true)
  })

  it('keeps ages with real time: a runner contacted 5 minutes ago still was, after reset', () => {
    let real = Date.parse('2026-03-01T10:00:00Z')
    const world = new MockWorld()
    // Swap in a controllable "real" time source for this world's clock.
    ;(world.clock as unknown as { realNow: () => number }).realNow = () => real
    world.reset()
    const age = () => world.clock.now() - (world.store.runner(1)!.contactedAt as number)
    const before = age()
    real += 2 * 3_600_000
    expect(age()).toBe(before + 2 * 3_600_000)
    world.reset()
    expect(age()).toBe(before)
    expect(world.dump().runners.find((r) => r.id === 1)!.status).toBe('online')
  })

  it('follows real time by default and keeps "contacted 5 minutes ago" relative to the start', () => {
    const world = new MockWorld()
    const runner = world.store.runner(1)!
    const ageMs = Date.now() - (runner.contactedAt as number)
    expect(ageMs).toBeGreaterThanOrEqual(5 * 60_000)
    expect(ageMs).toBeLessThan(5 * 60_000 + 5_000)
    expect(world.clock.frozen).toBe(false)
  })
})

describe('MockWorld snapshots', () => {
  it('round-trips: restore brings back the state at snapshot time, ids and counters included', () => {
    const world = new MockWorld({ clock: FIXED })
    register(world)
    world.snapshot('after-one')
    const saved = world.dump()
    const second = register(world)
    world.store.deleteRunner(world.store.runner(2)!)
    expect(world.restore('after-one')).toBe(true)
    expect(world.dump()).toEqual(saved)
    expect(register(world).id).toBe(second.id)
  })

  it('keeps the snapshot itself unchanged by writes after a restore', () => {
    const world = new MockWorld({ clock: FIXED })
    world.snapshot()
    const saved = world.dump()
    world.restore()
    register(world)
    world.restore()
    expect(world.dump()).toEqual(saved)
  })

  it('lists, deletes and refuses unknown snapshot names', () => {
    const world = new MockWorld({ clock: FIXED })
    world.snapshot('a')
    world.snapshot('b')
    expect(world.snapshotNames()).toEqual(['a', 'b'])
    expect(world.deleteSnapshot('a')).toBe(true)
    expect(world.deleteSnapshot('a')).toBe(false)
    expect(world.restore('nope')).toBe(false)
    expect(world.snapshotNames()).toEqual(['b'])
  })
})

describe('MockWorld copies and copy-on-write', () => {
  it('starts a copy from the initial state, and neither world sees the other\'s writes', () => {
    const world = new MockWorld({ clock: FIXED })
    const initial = world.dump()
    register(world)
    const copy = world.copy()
    expect(copy.dump()).toEqual(initial)
    copy.store.updateRunner(copy.store.runner(1)!, { description: 'copy only' })
    expect(world.store.runner(1)!.description).not.toBe('copy only')
    world.store.updateRunner(world.store.runner(2)!, { description: 'original only' })
    expect(copy.store.runner(2)!.description).not.toBe('original only')
    copy.reset()
    expect(copy.dump()).toEqual(initial)
    expect(copy.clock).not.toBe(world.clock)
  })

  it('refuses writes to shared records outside the store, so no write can reach the template or a snapshot', () => {
    const world = new MockWorld({ clock: FIXED })
    world.snapshot()
    const runner = world.store.runner(1)!
    expect(() => {
      ;(runner as { description: string | null }).description = 'behind the store'
    }).toThrow(TypeError)
    expect(() => (runner.tagList as string[]).push('x')).toThrow(TypeError)
  })

  it('moves a real-time reset\'s times without copying the records up front, and jobs with them', () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse(FIXED) })
    try {
      const world = new MockWorld() // real time (faked): reset keeps every record's age
      const before = world.dump()
      vi.setSystemTime(Date.parse(FIXED) + 3_600_000)
      world.reset()
      const after = world.dump()
      const age = (dump: typeof before, at: string) => Date.parse(dump.meta.now as string) - Date.parse(at)
      expect(age(after, after.runners[0]!.created_at as string)).toBe(age(before, before.runners[0]!.created_at as string))
      expect(age(after, after.jobs[0]!.created_at as string)).toBe(age(before, before.jobs[0]!.created_at as string))
      expect(after.meta.now).not.toBe(before.meta.now)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('MockWorld reseed', () => {
  const tiny: Fixture = {
    users: [{ username: 'solo', admin: true, tokens: [{ token: 'glpat-solo' }] }],
    runners: [{ runner_type: 'instance_type', description: 'only' }],
    generate: { runners: 4 },
  }

  it('rebuilds from another seed, keeping the fixture', () => {
    const world = new MockWorld({ clock: FIXED })
    world.reseed({ seed: 2 })
    expect(world.seed).toBe(2)
    expect(world.dump()).toEqual(new MockWorld({ seed: 2, clock: FIXED }).dump())
  })

  it('rebuilds from another fixture, and reset then returns to that fixture', () => {
    const world = new MockWorld({ clock: FIXED })
    world.reseed({ fixture: tiny })
    expect(world.dump().runners.map((r) => r.description)).toEqual(expect.arrayContaining(['only']))
    expect(world.dump().runners).toHaveLength(5)
    expect(world.wellKnownTokens().users).toEqual({ solo: 'glpat-solo' })
    register(world)
    world.reset()
    expect(world.dump()).toEqual(new MockWorld({ clock: FIXED, fixture: tiny }).dump())
  })

  it('refuses a fixture with broken references whole, lists every problem and leaves the state untouched', () => {
    const world = new MockWorld({ clock: FIXED })
    register(world)
    const before = world.dump()
    const bad: Fixture = {
      users: [{ username: 'a' }, { username: 'a' }],
      projects: [{ path_with_namespace: 'nowhere/p', members: { ghost: 'owner' } }],
      runners: [{ runner_type: 'project_type', projects: ['nowhere/q'] }, { runner_type: 'group_type' }],
      jobs: [{ runner: 99, project: 'x/y', status: 'success' }],
    }
    let error: unknown
    try {
      world.reseed({ fixture: bad })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(FixtureError)
    expect((error as FixtureError).problems).toEqual([
      { path: '/users/1/username', message: 'duplicate username a' },
      { path: '/projects/0/path_with_namespace', message: 'namespace nowhere is neither a group nor a user' },
      { path: '/projects/0/members/ghost', message: 'unknown user ghost' },
      { path: '/runners/0/projects/0', message: 'unknown project nowhere/q' },
      { path: '/runners/1/group', message: 'a group_type runner needs its group' },
      { path: '/jobs/0/runner', message: 'unknown runner 99' },
      { path: '/jobs/0/project', message: 'unknown project x/y' },
    ])
    expect(world.dump()).toEqual(before)
    expect(world.fixture).toBe(DEFAULT_FIXTURE)
  })
})

describe('MockWorld with a fixture object that skipped loadFixture', () => {
  it('refuses it exactly as loadFixture does: every schema and reference problem, each with its JSON path', async () => {
    const bad = { users: [{ tokens: 'none' }], runners: [{ description: 'no type' }, { runner_type: 'project_type', projects: ['nobody/x'] }] }
    let fromWorld: unknown
    try {
      new MockWorld({ fixture: bad as unknown as Fixture })
    } catch (error) {
      fromWorld = error
    }
    expect(fromWorld).toBeInstanceOf(FixtureError)
    const fromLoad = await loadFixture(bad).catch((error: unknown) => error)
    expect((fromWorld as FixtureError).problems).toEqual((fromLoad as FixtureError).problems)
    expect((fromWorld as FixtureError).problems).toEqual(
      expect.arrayContaining([
        { path: '/users/0', message: "must have required property 'username'" },
        { path: '/users/0/tokens', message: 'must be array' },
        { path: '/runners/0', message: "must have required property 'runner_type'" },
      ]),
    )
  })

  it('does not check a fixture loadFixture already checked, nor the default one', async () => {
    const fixture = await loadFixture({ users: [{ username: 'x' }] })
    expect(isCheckedFixture(fixture)).toBe(true)
    expect(isCheckedFixture(DEFAULT_FIXTURE)).toBe(false)
    expect(new MockWorld({ fixture }).store.userByUsername('x')?.id).toBe(1)
  })
})

describe('MockWorld fixture warnings', () => {
  it('warns about a contact before the creation and about a stale intent the stale rule cannot honour, with paths (3-month window, 17.0)', () => {
    const world = new MockWorld({
      clock: FIXED,
      gitlabVersion: '17.0',
      fixture: {
        runners: [
          { runner_type: 'instance_type', contacted_at: '-4mo' },
          { runner_type: 'instance_type', contacted_at: '-10d', created_at: '-5d' },
          { runner_type: 'instance_type', contacted_at: '-4mo', created_at: '-1y' },
          { runner_type: 'instance_type', contacted_at: '-5m' },
        ],
      },
    })
    expect(world.warnings.map((w) => w.path)).toEqual(['/runners/0/contacted_at', '/runners/1/contacted_at'])
    expect(world.warnings[0]?.message).toMatch(/older than 3 months but created_at is not set .* this one is offline; set created_at/)
    expect(world.warnings[1]?.message).toMatch(/earlier than created_at \(-5d\)/)
    expect(world.dump().runners.map((r) => r.status)).toEqual(['offline', 'offline', 'stale', 'online'])
  })

  it('measures the stale intent with the version\'s window: 7 days from 17.1', () => {
    const world = new MockWorld({
      clock: FIXED,
      gitlabVersion: '17.1',
      fixture: {
        runners: [
          { runner_type: 'instance_type', contacted_at: '-8d' },
          { runner_type: 'instance_type', contacted_at: '-8d', created_at: '-9d' },
          { runner_type: 'instance_type', contacted_at: '-6d', created_at: '-9d' },
        ],
      },
    })
    expect(world.warnings.map((w) => w.path)).toEqual(['/runners/0/contacted_at'])
    expect(world.warnings[0]?.message).toMatch(/older than 7 days but created_at is not set .* set created_at older than 7 days to make it stale/)
    expect(world.dump().runners.map((r) => r.status)).toEqual(['offline', 'stale', 'offline'])
  })

  it('has none for the default fixture', () => {
    expect(new MockWorld({ clock: FIXED }).warnings).toEqual([])
  })
})

describe('MockWorld well-known tokens', () => {
  it('lists the usable personal access token of each named user, never an expired or revoked one', () => {
    const tokens = new MockWorld({ clock: FIXED }).wellKnownTokens()
    expect(tokens.users).toEqual({
      root: 'glpat-AdminToken0000000001',
      alice: 'glpat-GroupOwnerToken00001',
      bob: 'glpat-MaintainerToken00001',
      carol: 'glpat-DeveloperToken000001',
      dave: 'glpat-ReporterToken0000001',
      erin: 'glpat-PlainUserToken000001',
      frank: 'glpat-GroupMaintToken00001',
    })
    expect(tokens.registration.instance).toBe('InstanceRegToken0001')
    expect(tokens.registration.groups.acme).toBe('GR1348941AcmeGroupRegToken001')
    expect(tokens.registration.projects['acme/backend/api']).toBe('GR1348941ApiProjectRegToken01')
    expect(Object.keys(tokens.runners)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13'])
    expect(tokens.runners['1']).toBe('SharedRunnerToken001')
  })
  it('describes every token the fixture names: read-only, expired and revoked ones too, each registration token with its owner', () => {
    const { list } = new MockWorld({ clock: FIXED }).wellKnownTokens()
    const byToken = new Map(list.map((t) => [t.token, t]))
    expect(byToken.get('glpat-AdminToken0000000001')).toMatchObject({ kind: 'personal_access_token', user: 'root', role: 'admin', scopes: ['api', 'sudo'], usable: true })
    expect(byToken.get('glpat-AdminReadOnlyToken01')).toMatchObject({ user: 'root', scopes: ['read_api'], usable: true, expired: false, revoked: false })
    expect(byToken.get('glpat-ExpiredToken00000001')).toMatchObject({ user: 'bob', role: 'user', expired: true, revoked: false, usable: false })
    expect(byToken.get('glpat-RevokedToken00000001')).toMatchObject({ user: 'bob', expired: false, revoked: true, usable: false })
    expect(byToken.get('InstanceRegToken0001')).toEqual({ kind: 'registration_token', token: 'InstanceRegToken0001', owner: 'instance', path: null, id: null })
    expect(byToken.get('GR1348941AcmeGroupRegToken001')).toMatchObject({ owner: 'group', path: 'acme', id: 10 })
    expect(byToken.get('SharedRunnerToken001')).toMatchObject({ kind: 'runner_authentication_token', runnerId: 1, runnerType: 'instance_type' })
    expect(list.filter((t) => t.kind === 'runner_authentication_token')).toHaveLength(13)
  })

  it('includes runners and users without an explicit id, under the ids the build gave them', () => {
    const world = new MockWorld({
      clock: FIXED,
      fixture: {
        users: [{ username: 'ann', tokens: [{ token: 'glpat-ann' }] }, { id: 5, username: 'bea', admin: true, tokens: [{ token: 'glpat-bea', scopes: ['read_api'] }] }],
        runners: [{ runner_type: 'instance_type' }, { id: 9, runner_type: 'instance_type' }, { runner_type: 'instance_type', token: 'given' }],
        generate: { runners: 3 },
      },
    })
    const tokens = world.wellKnownTokens()
    const built = world.dump().runners
    expect(Object.keys(tokens.runners)).toEqual(['9', '10', '11'])
    for (const [id, token] of Object.entries(tokens.runners)) expect(built.find((r) => String(r.id) === id)?.token).toBe(token)
    expect(tokens.runners['11']).toBe('given')
    expect(tokens.users).toEqual({ ann: 'glpat-ann', bea: 'glpat-bea' })
    expect(tokens.list.find((t) => t.token === 'glpat-ann')).toMatchObject({ userId: 6, role: 'user' })
  })
})
