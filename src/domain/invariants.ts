/** @module The store's invariants as a checkable list of problems: links point at existing records, ids and tokens are unique, the token index agrees with the runners, counters stay above every id, runner types match their links. */
import type { Store } from './store.js'
import type { WorldState } from './types.js'

/** Every problem found, one sentence each; empty when the store is consistent. */
export function storeProblems(store: Store, probeTokens: Iterable<string> = []): string[] {
  const state = store.state
  const problems: string[] = []

  keyedById(state, problems)
  countersAboveIds(state, problems)

  for (const runner of store.runners()) {
    const name = `runner ${runner.id}`
    if (new Set(runner.projectIds).size !== runner.projectIds.length) problems.push(`${name} links a project twice`)
    for (const id of runner.projectIds) if (!state.projects.has(id)) problems.push(`${name} links missing project ${id}`)
    if (runner.groupId !== null && !state.groups.has(runner.groupId)) problems.push(`${name} links missing group ${runner.groupId}`)
    if (runner.runnerType === 'project_type' && (runner.projectIds.length === 0 || runner.groupId !== null))
      problems.push(`${name} is project_type but has ${runner.projectIds.length} projects and group ${runner.groupId}`)
    if (runner.runnerType === 'group_type' && (runner.groupId === null || runner.projectIds.length > 0))
      problems.push(`${name} is group_type but has group ${runner.groupId} and ${runner.projectIds.length} projects`)
    if (runner.runnerType === 'instance_type' && (runner.groupId !== null || runner.projectIds.length > 0))
      problems.push(`${name} is instance_type but has group ${runner.groupId} and ${runner.projectIds.length} projects`)
    if (store.runnerByToken(runner.token) !== runner) problems.push(`${name}: the token index does not lead back to it`)
  }

  for (const token of probeTokens) {
    const found = store.runnerByToken(token)
    if (found && found.token !== token) problems.push(`the token index maps a stale token to runner ${found.id}`)
  }

  managers(store, problems)
  uniqueTokens(state, problems)
  links(state, problems)
  return problems
}

/** Throw one Error listing every problem (for tests and the fuzzer). */
export function assertStoreInvariants(store: Store, probeTokens: Iterable<string> = []): void {
  const problems = storeProblems(store, probeTokens)
  if (problems.length > 0) throw new Error(`store invariants broken:\n  ${problems.join('\n  ')}`)
}

function keyedById(state: WorldState, problems: string[]): void {
  const maps = { user: state.users, group: state.groups, project: state.projects, runner: state.runners, job: new Map([...state.jobs.values()].map((j) => [j.id, j])), 'runner manager': state.runnerManagers }
  for (const [kind, map] of Object.entries(maps))
    for (const [key, record] of map as Map<number, { id: number }>)
      if (key !== record.id || !Number.isSafeInteger(record.id) || record.id < 1)
        problems.push(`${kind} stored under ${key} has id ${record.id}`)
  for (const [key, pat] of state.tokens) if (key !== pat.token) problems.push(`personal access token stored under another key`)
}

function countersAboveIds(state: WorldState, problems: string[]): void {
  const maps = { user: state.users, group: state.groups, project: state.projects, runner: state.runners, job: state.jobs, runnerManager: state.runnerManagers } as const
  for (const kind of Object.keys(maps) as Array<keyof typeof maps>) {
    let max = 0
    for (const id of maps[kind].keys()) max = Math.max(max, id)
    if (!(state.counters[kind] > max)) problems.push(`the ${kind} counter ${state.counters[kind]} is not above id ${max}`)
  }
}

/** Every manager belongs to an existing runner, its system id is unique on that runner and fits GitLab's column, and the store's per-runner index lists exactly the stored managers. */
function managers(store: Store, problems: string[]): void {
  const { state } = store
  const indexed = new Set<number>()
  for (const runner of state.runners.values()) {
    const systemIds = new Set<string>()
    for (const m of store.managersOf(runner.id)) {
      indexed.add(m.id)
      if (state.runnerManagers.get(m.id) !== m) problems.push(`runner ${runner.id}'s manager index holds manager ${m.id}, which is not stored`)
      if (m.runnerId !== runner.id) problems.push(`manager ${m.id} is indexed under runner ${runner.id} but belongs to runner ${m.runnerId}`)
      if (systemIds.has(m.systemId)) problems.push(`runner ${runner.id} has two managers with system id ${m.systemId}`)
      systemIds.add(m.systemId)
      if (m.systemId === '' || m.systemId.length > 64) problems.push(`manager ${m.id} has a system id of ${m.systemId.length} characters`)
    }
  }
  for (const m of state.runnerManagers.values()) {
    if (!state.runners.has(m.runnerId)) problems.push(`manager ${m.id} belongs to missing runner ${m.runnerId}`)
    else if (!indexed.has(m.id)) problems.push(`manager ${m.id} is missing from runner ${m.runnerId}'s index`)
  }
}

/** Runner, personal access and registration tokens never collide (a collision would make authentication ambiguous). */
function uniqueTokens(state: WorldState, problems: string[]): void {
  const owners = new Map<string, string>()
  const claim = (token: string, owner: string) => {
    if (token === '') return problems.push(`${owner} has an empty token`)
    const previous = owners.get(token)
    if (previous !== undefined) problems.push(`${owner} and ${previous} share a token`)
    else owners.set(token, owner)
  }
  claim(state.settings.registrationToken, 'the instance registration token')
  for (const g of state.groups.values()) claim(g.runnersToken, `group ${g.id}'s registration token`)
  for (const p of state.projects.values()) claim(p.runnersToken, `project ${p.id}'s registration token`)
  for (const r of state.runners.values()) claim(r.token, `runner ${r.id}`)
  for (const t of state.tokens.values()) claim(t.token, `a personal access token of user ${t.userId}`)
}

/** References between the other records: owners, parents, namespaces, memberships, jobs. */
function links(state: WorldState, problems: string[]): void {
  for (const t of state.tokens.values())
    if (!state.users.has(t.userId)) problems.push(`a personal access token belongs to missing user ${t.userId}`)
  for (const g of state.groups.values())
    if (g.parentId !== null && !state.groups.has(g.parentId)) problems.push(`group ${g.id} has missing parent ${g.parentId}`)
  for (const p of state.projects.values()) {
    const ns = p.namespace.kind === 'group' ? state.groups : state.users
    if (!ns.has(p.namespace.id)) problems.push(`project ${p.id} lives in missing ${p.namespace.kind} ${p.namespace.id}`)
  }
  for (const m of state.memberships) {
    if (!state.users.has(m.userId)) problems.push(`a membership names missing user ${m.userId}`)
    const source = m.source === 'group' ? state.groups : state.projects
    if (!source.has(m.sourceId)) problems.push(`a membership names missing ${m.source} ${m.sourceId}`)
  }
  for (const j of state.jobs.values()) if (!state.projects.has(j.projectId)) problems.push(`job ${j.id} belongs to missing project ${j.projectId}`)
}
