/**
 * @module The well-known tokens of a world: every token its fixture names (personal access tokens of
 * every kind, registration tokens, runner tokens, also of records that got generated ids), as maps for
 * quick use (`tokens.users.root`) and as a described list saying what each token is.
 */
import type { Store } from './domain/store.js'
import type { RunnerType } from './domain/types.js'
import type { Fixture } from './seed/fixture-types.js'

export interface PersonalAccessTokenInfo {
  kind: 'personal_access_token'
  token: string
  user: string
  userId: number
  /** `admin` for an administrator, else `user`. */
  role: 'admin' | 'user'
  /** The user's state (a blocked user's tokens answer 401/403). */
  userState: 'active' | 'blocked'
  name: string
  scopes: string[]
  expiresAt: string | null
  expired: boolean
  revoked: boolean
  /** Not expired, not revoked, and with the api or read_api scope: what `users[username]` offers. */
  usable: boolean
}

export interface RegistrationTokenInfo {
  kind: 'registration_token'
  token: string
  owner: 'instance' | 'group' | 'project'
  /** The group's full path or the project's path_with_namespace; null for the instance. */
  path: string | null
  id: number | null
}

export interface RunnerTokenInfo {
  kind: 'runner_authentication_token'
  token: string
  runnerId: number
  runnerType: RunnerType
  description: string | null
  expiresAt: string | null
  expired: boolean
}

export type TokenInfo = PersonalAccessTokenInfo | RegistrationTokenInfo | RunnerTokenInfo

/** Well-known credentials of a world's named records, as they are now. */
export interface WellKnownTokens {
  /** username → first usable personal access token (api or read_api scope, not expired or revoked). */
  users: Record<string, string>
  registration: { instance: string; groups: Record<string, string>; projects: Record<string, string> }
  /** runner id → authentication token, for every runner the fixture names (with or without an explicit id). */
  runners: Record<string, string>
  /** Every token above and every other token the fixture names (read-only, expired, revoked), each described. */
  list: TokenInfo[]
}

/**
 * The ids a fixture's records get, in file order: explicit ids as given, the others counting up from
 * the largest explicit id (the rule src/seed/build-world.ts applies; a test holds the two together).
 */
export function fixtureRecordIds(items: ReadonlyArray<{ id?: number }> | undefined): number[] {
  let next = Math.max(0, ...(items ?? []).map((i) => i.id ?? 0)) + 1
  return (items ?? []).map((i) => i.id ?? next++)
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

export function wellKnownTokens(store: Store, fixture: Fixture): WellKnownTokens {
  const now = store.now()
  const users: Record<string, string> = {}
  const list: TokenInfo[] = []
  for (const u of fixture.users ?? []) {
    const user = store.userByUsername(u.username)
    if (!user) continue
    for (const t of u.tokens ?? []) {
      const pat = store.personalAccessToken(t.token)
      if (!pat) continue
      const expired = pat.expiresAt !== null && pat.expiresAt <= now
      const usable = !pat.revoked && !expired && pat.scopes.some((s) => s === 'api' || s === 'read_api')
      if (usable && users[user.username] === undefined) users[user.username] = pat.token
      list.push({
        kind: 'personal_access_token',
        token: pat.token,
        user: user.username,
        userId: user.id,
        role: user.isAdmin ? 'admin' : 'user',
        userState: user.state,
        name: pat.name,
        scopes: [...pat.scopes],
        expiresAt: iso(pat.expiresAt),
        expired,
        revoked: pat.revoked,
        usable,
      })
    }
  }
  const instance = store.state.settings.registrationToken
  list.push({ kind: 'registration_token', token: instance, owner: 'instance', path: null, id: null })
  const groups: Record<string, string> = {}
  for (const g of fixture.groups ?? []) {
    const group = store.groupByFullPath(g.full_path)
    if (!group) continue
    const path = store.groupFullPath(group)
    groups[path] = group.runnersToken
    list.push({ kind: 'registration_token', token: group.runnersToken, owner: 'group', path, id: group.id })
  }
  const projects: Record<string, string> = {}
  for (const p of fixture.projects ?? []) {
    const project = store.projectByFullPath(p.path_with_namespace)
    if (!project) continue
    const path = store.projectFullPath(project)
    projects[path] = project.runnersToken
    list.push({ kind: 'registration_token', token: project.runnersToken, owner: 'project', path, id: project.id })
  }
  const runners: Record<string, string> = {}
  for (const id of fixtureRecordIds(fixture.runners)) {
    const runner = store.runner(id)
    if (!runner) continue // deleted since
    runners[String(runner.id)] = runner.token
    list.push({
      kind: 'runner_authentication_token',
      token: runner.token,
      runnerId: runner.id,
      runnerType: runner.runnerType,
      description: runner.description,
      expiresAt: iso(runner.tokenExpiresAt),
      expired: runner.tokenExpiresAt !== null && runner.tokenExpiresAt <= now,
    })
  }
  return { users, registration: { instance, groups, projects }, runners, list }
}
