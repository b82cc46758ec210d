/** @module Seeded filler for a fixture's `generate` section: faker (seeded, pinned) builds small vocabularies once (src/seed/vocabulary.ts), and a fast seeded generator picks from them, so 100k runners take well under a second. */
import { monthsBefore } from '../domain/status.js'
import { TokenFormat, hexDigits, randomSource, seedFrom, type RandomSource } from '../domain/random.js'
import { SHA_DIGITS, type GeneratedJob } from '../domain/job-table.js'
import { TagLists } from '../domain/tag-lists.js'
import { AccessLevel, EMPTY_LIST, JOB_STATUSES, type Job, type JobStatus, type Runner, type RunnerType, type WorldState } from '../domain/types.js'
import type { FixtureGenerate } from './fixture-types.js'
import { vocabularyFor, type Vocabulary } from './vocabulary.js'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/**
 * `prefix` then `n` hex digits, one r.int(16) each, as one flat string: `+=` or a template would leave rope nodes
 * behind (a ~30-node rope per system id; 100k runners keep them all).
 */
const hex = (r: RandomSource, n: number, prefix = '') => hexDigits(r.advance(n), n, prefix)

/** The parts as one flat string (a template literal of 13+ characters is a rope: two more objects per kept text). */
const flat = (...parts: (string | number)[]) => parts.join('')

const RAN = new Set<JobStatus>(['running', 'success', 'failed', 'canceled'])

const FAILURE_REASONS = ['script_failure', 'runner_system_failure', 'job_execution_timeout', 'stuck_or_timeout_failure']
const SOURCES = ['push', 'merge_request_event', 'schedule', 'web']

/** The status mix cycled through generated runners, so every type meets every status. */
const RUNNER_STATES = ['online', 'offline', 'never_contacted', 'stale', 'paused'] as const

/**
 * Append generated users, groups, projects, runners and jobs to a built world (ids continue after the
 * named ones). Filler links only to filler when the spec generates that kind of record (generated
 * groups nest under generated groups, generated runners sit in generated projects and groups, filler
 * users are the only filler members), so another seed never changes what a named user owns or sees
 * in a named project or group. Without generated groups or projects, runners fall back to the named
 * ones (a fixture that asks only for "500 runners" still gets group and project runners).
 */
export function generateFiller(state: WorldState, spec: FixtureGenerate, { seed, now }: { seed: number | string; now: number }): void {
  const v = vocabularyFor(seed)
  const r = randomSource({ rngState: seedFrom(`filler:${seed}`) })
  const c = state.counters

  const userIds: number[] = []
  for (let i = 0; i < (spec.users ?? 0); i++) {
    const id = c.user++
    const person = r.pick(v.people)
    const username = `${person.first}.${person.last}`.toLowerCase().replace(/[^a-z0-9.]/g, '') + id
    state.users.set(id, {
      id,
      username,
      name: `${person.first} ${person.last}`,
      email: `${username}@example.com`,
      isAdmin: false,
      state: 'active',
      bio: '',
      location: '',
      publicEmail: '',
      organization: '',
      jobTitle: '',
      createdAt: now - (30 + r.int(700)) * DAY,
    })
    const token = TokenFormat.personalAccess(r)
    state.tokens.set(token, { token, userId: id, name: 'generated', scopes: ['api'], expiresAt: null, revoked: false })
    userIds.push(id)
  }
  const memberPool = userIds.length > 0 ? userIds : [...state.users.keys()]

  const groupIds: number[] = []
  for (let i = 0; i < (spec.groups ?? 0); i++) {
    const id = c.group++
    const parentId = groupIds.length > 0 && r.next() < 0.4 ? r.pick(groupIds) : null
    const word = r.pick(v.words)
    state.groups.set(id, {
      id,
      name: word.charAt(0).toUpperCase() + word.slice(1),
      path: `${word}-${id}`,
      parentId,
      description: '',
      visibility: r.pick(['private', 'internal', 'public'] as const),
      sharedRunnersEnabled: r.next() < 0.85,
      runnersToken: TokenFormat.namespaceRegistration(r),
      runnerTokenExpirationInterval: null,
      createdAt: now - (60 + r.int(900)) * DAY,
    })
    if (memberPool.length > 0) state.memberships.push({ source: 'group', sourceId: id, userId: r.pick(memberPool), accessLevel: AccessLevel.owner })
    groupIds.push(id)
  }
  const groupPool = groupIds.length > 0 ? groupIds : [...state.groups.keys()]
  const ownerPool = userIds.length > 0 ? userIds : [...state.users.keys()]

  const projectIds: number[] = []
  for (let i = 0; i < (spec.projects ?? 0); i++) {
    const id = c.project++
    const word = r.pick(v.words)
    const inGroup = groupPool.length > 0 && (ownerPool.length === 0 || r.next() < 0.8)
    const createdAt = now - (10 + r.int(800)) * DAY
    state.projects.set(id, {
      id,
      name: `${word}-${id}`,
      path: `${word}-${id}`,
      namespace: inGroup ? { kind: 'group', id: r.pick(groupPool) } : { kind: 'user', id: r.pick(ownerPool) },
      description: r.next() < 0.5 ? null : r.pick(v.notes),
      visibility: r.pick(['private', 'internal', 'public'] as const),
      defaultBranch: 'main',
      sharedRunnersEnabled: r.next() < 0.85,
      groupRunnersEnabled: r.next() < 0.9,
      runnersToken: TokenFormat.namespaceRegistration(r),
      runnerTokenExpirationInterval: null,
      createdAt,
      lastActivityAt: createdAt + r.int(Math.max(1, now - createdAt)),
    })
    if (memberPool.length > 0)
      state.memberships.push({ source: 'project', sourceId: id, userId: r.pick(memberPool), accessLevel: r.pick([AccessLevel.developer, AccessLevel.maintainer]) })
    projectIds.push(id)
  }
  const projectPool = projectIds.length > 0 ? projectIds : [...state.projects.keys()]

  const generatedRunners: Runner[] = []
  const runnerCount = spec.runners ?? 0
  // Runners that draw the same tags (in the same order) or the same one project share one list: records are frozen
  // and a write copies them, and 100k runners otherwise keep ~100k small arrays that each scavenge copies.
  const tagLists = new TagLists()
  const oneProject = new Map<number, number[]>()
  const projectList = (id: number) => {
    let list = oneProject.get(id)
    if (list === undefined) oneProject.set(id, (list = Object.freeze([id]) as number[]))
    return list
  }
  for (let i = 0; i < runnerCount; i++) {
    const id = c.runner++
    let type: RunnerType = (['instance_type', 'group_type', 'project_type'] as const)[i % 3] as RunnerType
    if (type === 'project_type' && projectPool.length === 0) type = 'instance_type'
    if (type === 'group_type' && groupPool.length === 0) type = 'instance_type'
    const mode = RUNNER_STATES[Math.floor(i / 3) % RUNNER_STATES.length] as (typeof RUNNER_STATES)[number]
    const stale = mode === 'stale'
    const createdAt = stale ? monthsBefore(now, 4 + r.int(12)) : now - (1 + r.int(80)) * DAY
    const contactedAt =
      mode === 'never_contacted' || (stale && r.next() < 0.5)
        ? null
        : mode === 'offline'
          ? now - (3 * HOUR + r.int(30 * DAY))
          : stale
            ? monthsBefore(now, 4)
            : now - r.int(90 * MINUTE)
    const tagCount = r.int(4)
    const drawn: string[] = []
    while (drawn.length < tagCount) {
      const t = r.pick(v.tags)
      if (!drawn.includes(t)) drawn.push(t)
    }
    const tags = tagLists.of(drawn)
    const [platform, architecture] = r.pick(v.platforms)
    const word = r.pick(v.words)
    const runner: Runner = {
      id,
      runnerType: type,
      description: flat(word, '-runner-', id),
      name: 'gitlab-runner',
      // online/offline need an active runner to show that status; stale and never-contacted ones may be paused too.
      active: mode === 'paused' ? false : mode === 'online' || mode === 'offline' ? true : r.next() > 0.2,
      locked: type === 'project_type' && r.next() < 0.3,
      runUntagged: tags.length === 0 || r.next() < 0.7,
      tagList: tags,
      accessLevel: r.next() < 0.8 ? 'not_protected' : 'ref_protected',
      maximumTimeout: r.next() < 0.6 ? null : r.pick([600, 1800, 3600, 7200]),
      maintenanceNote: r.next() < 0.8 ? null : r.pick(v.notes),
      ipAddress: contactedAt === null ? null : flat('10.', r.int(256), '.', r.int(256), '.', 1 + r.int(254)),
      version: contactedAt === null ? null : r.pick(v.versions),
      revision: contactedAt === null ? null : hex(r, 8),
      platform: contactedAt === null ? null : platform,
      architecture: contactedAt === null ? null : architecture,
      contactedAt,
      token: TokenFormat.runnerAuthentication(r),
      tokenExpiresAt: null,
      projectIds: type === 'project_type' ? projectList(r.pick(projectPool)) : EMPTY_LIST,
      groupId: type === 'group_type' ? r.pick(groupPool) : null,
      createdAt,
      updatedAt: Math.max(createdAt, contactedAt ?? createdAt),
      registrationType: 'registration_token',
      creatorId: null,
    }
    if (type === 'project_type' && projectPool.length > 1 && r.next() < 0.15) {
      const extra = r.pick(projectPool)
      const [first] = runner.projectIds as [number]
      if (extra !== first) runner.projectIds = [first, extra]
    }
    state.runners.set(id, runner)
    generatedRunners.push(runner)
  }

  const managers = generateManagers(state, generatedRunners, seed)
  generateJobs(state, spec, generatedRunners, managers, memberPool, projectPool, v, r, now)
}

/**
 * Every generated runner that has been in contact runs on one host: a manager with the runner's own
 * version details, address and contact time, and a gitlab-runner style system id (`s_` + 12 hex digits).
 * Its own generator, so the rest of the filler is the same as without managers.
 */
function generateManagers(state: WorldState, runners: Runner[], seed: number | string): (number | null)[] {
  const r = randomSource({ rngState: seedFrom(`managers:${seed}`) })
  const c = state.counters
  const managerIds: (number | null)[] = []
  for (const runner of runners) {
    if (runner.contactedAt === null) {
      managerIds.push(null)
      continue
    }
    const id = c.runnerManager++
    managerIds.push(id)
    state.runnerManagers.set(id, {
      id,
      runnerId: runner.id,
      systemId: hex(r, 12, 's_'),
      version: runner.version,
      revision: runner.revision,
      platform: runner.platform,
      architecture: runner.architecture,
      ipAddress: runner.ipAddress,
      contactedAt: runner.contactedAt,
      createdAt: runner.createdAt,
    })
  }
  return managerIds
}

/** Jobs cycle through every status with timings that agree with it (gitlab-behaviour.md §2.5 invariants). */
function generateJobs(
  state: WorldState,
  spec: FixtureGenerate,
  generated: Runner[],
  /** The manager of each generated runner (by position), if it has one. */
  generatedManagers: (number | null)[],
  userIds: number[],
  projectIds: number[],
  v: Vocabulary,
  r: RandomSource,
  now: number,
): void {
  const runners = generated.length > 0 ? generated : [...state.runners.values()]
  const total = spec.jobs ?? (spec.jobs_per_runner ?? 0) * generated.length
  if (runners.length === 0 || projectIds.length === 0 || total === 0) return
  const projectsUnderGroup = new Map<number, number[]>()
  for (const p of state.projects.values()) {
    if (p.namespace.kind !== 'group') continue
    let gid: number | null = p.namespace.id
    while (gid !== null) {
      const list = projectsUnderGroup.get(gid) ?? []
      list.push(p.id)
      projectsUnderGroup.set(gid, list)
      gid = state.groups.get(gid)?.parentId ?? null
    }
  }
  let pipelineId = 1
  for (const j of state.jobs.values()) pipelineId = Math.max(pipelineId, j.pipeline.id + 1)
  // Each text a job draws is looked up in the table once (by its place in the vocabulary), not once per job;
  // commit texts derived from the vocabulary are made then too.
  const table = state.jobs
  const textIds = (list: readonly string[]) => {
    const ids = new Int32Array(list.length).fill(-1)
    return (index: number): number => {
      let id = ids[index] as number
      if (id < 0) ids[index] = id = table.textId(list[index] as string)
      return id
    }
  }
  const refOf = textIds(v.refs)
  const titleOf = textIds(v.commitTitles)
  const messageOf = textIds(v.commitTitles.map((title) => `${title}\n`))
  const authorNameOf = textIds(v.people.map((p) => `${p.first} ${p.last}`))
  const authorEmailOf = textIds(v.people.map((p) => `${p.first}.${p.last}@example.com`.toLowerCase()))
  const stageOf = textIds(v.stages)
  const jobNameOf = textIds(v.jobNames)
  const failureReasonOf = textIds(FAILURE_REASONS)
  const sourceOf = textIds(SOURCES)
  const c = state.counters
  state.jobs.reserve(total, c.job + total - 1)
  const row: GeneratedJob = {
    id: 0, runnerId: 0, projectId: 0, userId: null, status: 'created', stage: 0, name: 0, ref: 0, tag: false, coverage: null,
    allowFailure: false, createdAt: 0, startedAt: null, finishedAt: null, failureReason: -1, sha: 0, parent: 0,
    title: 0, message: 0, authorName: 0, authorEmail: 0, commitCreatedAt: 0, pipelineId: 0, source: 0, runnerManagerId: null,
  }
  // A job ran on its runner's first manager: a generated runner's own (it has at most one), else a named runner's first.
  let managerOf: Map<number, number> | null = null
  if (generated.length === 0) {
    managerOf = new Map()
    for (const m of state.runnerManagers.values()) if (!managerOf.has(m.runnerId)) managerOf.set(m.runnerId, m.id)
  }
  for (let k = 0; k < total; k++) {
    const at = spec.jobs_per_runner !== undefined && spec.jobs === undefined ? Math.floor(k / spec.jobs_per_runner) : k % runners.length
    const runner = runners[at] as Runner
    const projectId =
      runner.runnerType === 'project_type' && runner.projectIds.length > 0
        ? r.pick(runner.projectIds)
        : runner.runnerType === 'group_type' && runner.groupId !== null && projectsUnderGroup.get(runner.groupId)?.length
          ? r.pick(projectsUnderGroup.get(runner.groupId) as number[])
          : r.pick(projectIds)
    const status = JOB_STATUSES[k % JOB_STATUSES.length] as JobStatus
    const createdAt = now - (10 * MINUTE + r.int(20 * DAY))
    const queued = 5_000 + r.int(120_000)
    const ran = 30_000 + r.int(40 * MINUTE)
    const started = RAN.has(status) ? createdAt + queued : null
    const finished = started !== null && status !== 'running' ? Math.min(started + ran, now) : null
    // Draws in the same order as ever (the seeded world must not change), written into one scratch row that the
    // table copies (an object literal per job was a third of the seeding's scavenges).
    // Each vocabulary draw is a pick (an index into the list, as r.pick draws it).
    // A sha is its 40 draws' starting state: the table makes the digits when the job is read.
    row.sha = r.advance(SHA_DIGITS)
    const ref = r.int(v.refs.length)
    row.ref = refOf(ref)
    const title = r.int(v.commitTitles.length)
    row.title = titleOf(title)
    const person = r.int(v.people.length)
    row.id = c.job++
    row.userId = userIds.length > 0 ? r.pick(userIds) : null
    row.stage = stageOf(r.int(v.stages.length))
    row.name = jobNameOf(r.int(v.jobNames.length))
    row.coverage = status === 'success' && r.next() < 0.5 ? Math.round(r.next() * 10000) / 100 : null
    row.allowFailure = r.next() < 0.1
    row.failureReason = status === 'failed' ? failureReasonOf(r.int(FAILURE_REASONS.length)) : -1
    row.commitCreatedAt = createdAt - r.int(DAY)
    row.parent = r.advance(SHA_DIGITS)
    row.source = sourceOf(r.int(SOURCES.length))
    row.tag = (v.refs[ref] as string).startsWith('v')
    row.message = messageOf(title)
    row.authorName = authorNameOf(person)
    row.authorEmail = authorEmailOf(person)
    row.runnerId = runner.id
    row.projectId = projectId
    row.status = status
    row.createdAt = createdAt
    row.startedAt = started
    row.finishedAt = finished
    row.pipelineId = pipelineId
    row.runnerManagerId = managerOf === null ? (generatedManagers[at] ?? null) : (managerOf.get(runner.id) ?? null)
    state.jobs.addRow(row)
    pipelineId++
  }
}
