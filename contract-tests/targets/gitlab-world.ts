/**
 * @module A real GitLab's setup layer: with the admin token it creates everything the scenarios need (users,
 * their tokens, a private group and two projects, memberships), all named after the run id, and removes it
 * all afterwards, including every runner the run registered. It never edits or deletes anything else.
 */
import { randomBytes } from 'node:crypto'
import type { Capability, ContractWorld } from '../lib/types.js'

export interface GitLabSettings {
  url: string
  adminToken: string
  userToken?: string
  registrationToken?: string
  allowDestructive: boolean
}

/** GITLAB_URL and friends, or the reason the real-GitLab target cannot run. */
export function gitlabSettings(env: NodeJS.ProcessEnv = process.env): GitLabSettings | { skip: string } {
  if (!env.GITLAB_URL) return { skip: 'GITLAB_URL is not set (set GITLAB_URL and GITLAB_ADMIN_TOKEN to run the suite against a real GitLab)' }
  if (!env.GITLAB_ADMIN_TOKEN) return { skip: 'GITLAB_URL is set but GITLAB_ADMIN_TOKEN is not: the suite needs an admin token to set up its own users, group and projects' }
  return {
    url: env.GITLAB_URL.replace(/\/+$/, ''),
    adminToken: env.GITLAB_ADMIN_TOKEN,
    userToken: env.GITLAB_USER_TOKEN || undefined,
    registrationToken: env.GITLAB_REGISTRATION_TOKEN || undefined,
    allowDestructive: env.GITLAB_ALLOW_DESTRUCTIVE === '1',
  }
}

const ACCESS = { reporter: 20, maintainer: 40, owner: 50 } as const

class GitLabAdmin {
  constructor(readonly settings: GitLabSettings) {}

  async call(method: string, path: string, body?: unknown, token = this.settings.adminToken): Promise<any> {
    const res = await fetch(`${this.settings.url}/api/v4${path}`, {
      method,
      headers: { 'PRIVATE-TOKEN': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`)
    return text === '' ? undefined : JSON.parse(text)
  }
}

/** A run id: lower case (runner tags are case-sensitive), unique enough to never meet another run. */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
}

export async function gitlabWorld(settings: GitLabSettings, runId: string): Promise<ContractWorld> {
  const admin = new GitLabAdmin(settings)
  const created = { users: [] as number[], groups: [] as number[], projects: [] as number[], runners: new Set<number>() }
  const name = (role: string) => `contract-${runId}-${role}`
  const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)

  const teardown = async () => {
    const problems: string[] = []
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn()
      } catch (error) {
        if (!/answered 404/.test(String(error))) problems.push(`${what}: ${(error as Error).message}`)
      }
    }
    // Runners of this run: the tracked ones and any carrying the run's tag (a failed scenario may not have tracked one).
    await attempt('list tagged runners', async () => {
      const tagged = (await admin.call('GET', `/runners/all?tag_list=${encodeURIComponent(`contract-${runId}`)}&per_page=100`)) as Array<{ id: number }>
      for (const r of tagged) created.runners.add(r.id)
    })
    for (const id of created.runners) await attempt(`delete runner ${id}`, () => admin.call('DELETE', `/runners/${id}`))
    for (const id of created.projects) await attempt(`delete project ${id}`, () => admin.call('DELETE', `/projects/${id}`))
    for (const id of created.groups) await attempt(`delete group ${id}`, () => admin.call('DELETE', `/groups/${id}`))
    for (const id of created.users) await attempt(`delete user ${id}`, () => admin.call('DELETE', `/users/${id}?hard_delete=true`))
    if (problems.length > 0) throw new Error(`clean-up of run ${runId} left things behind:\n  ${problems.join('\n  ')}`)
  }

  try {
    const me = await admin.call('GET', '/user')
    if (me.is_admin !== true) throw new Error('GITLAB_ADMIN_TOKEN does not belong to an administrator')

    const createUser = async (role: string) => {
      const user = await admin.call('POST', '/users', {
        username: name(role),
        name: name(role),
        email: `${name(role)}@example.invalid`,
        password: `Pw-${randomBytes(12).toString('hex')}!`,
        skip_confirmation: true,
      })
      created.users.push(user.id)
      return user.id as number
    }
    const pat = async (userId: number, scopes: string[]) =>
      (await admin.call('POST', `/users/${userId}/personal_access_tokens`, { name: name('token'), scopes, expires_at: tomorrow })) as { id: number; token: string }

    const maintainerId = await createUser('maintainer')
    const reporterId = await createUser('reporter')
    const ownerId = await createUser('owner')
    const outsiderId = settings.userToken ? undefined : await createUser('outsider')

    const group = await admin.call('POST', '/groups', { name: name('group'), path: name('group'), visibility: 'private' })
    created.groups.push(group.id)
    await admin.call('POST', `/groups/${group.id}/members`, { user_id: ownerId, access_level: ACCESS.owner })
    await admin.call('POST', `/groups/${group.id}/members`, { user_id: reporterId, access_level: ACCESS.reporter })
    const createProject = async (path: string) => {
      const project = await admin.call('POST', '/projects', { name: path, path, namespace_id: group.id, visibility: 'private' })
      created.projects.push(project.id)
      await admin.call('POST', `/projects/${project.id}/members`, { user_id: maintainerId, access_level: ACCESS.maintainer })
      return { id: project.id as number, path: project.path_with_namespace as string }
    }
    const project = await createProject('app')
    const otherProject = await createProject('lib')

    const revoked = await pat(maintainerId, ['api'])
    await admin.call('DELETE', `/personal_access_tokens/${revoked.id}`)

    // Registration tokens of the run's own project and group: resetting them touches nothing else.
    const projectToken = (await admin.call('POST', `/projects/${project.id}/runners/reset_registration_token`)).token as string
    const groupToken = (await admin.call('POST', `/groups/${group.id}/runners/reset_registration_token`)).token as string

    const capabilities = new Set<Capability>(['readOnlyToken', 'revokedToken'])
    const missing: ContractWorld['missing'] = {
      seededJobs: 'a real GitLab has jobs on a runner only after it ran a pipeline; the suite runs none',
      expiredToken: 'GitLab refuses to create an already expired token, and the suite will not wait for one to expire',
      instanceSettings: 'the suite does not change instance settings of a real GitLab',
      clock: "a real GitLab's clock cannot be moved",
      manageRunnerToken: 'the suite does not create manage_runner tokens on a real GitLab yet',
    }
    if (settings.registrationToken) capabilities.add('instanceRunner')
    else missing.instanceRunner = 'GITLAB_REGISTRATION_TOKEN (the instance registration token) is not set'
    if (settings.allowDestructive && settings.registrationToken) capabilities.add('destructive')
    else missing.destructive = 'instance-wide changes need GITLAB_ALLOW_DESTRUCTIVE=1 (and GITLAB_REGISTRATION_TOKEN)'

    return {
      target: 'gitlab',
      mode: 'lenient',
      gitlabVersion: '15.11',
      runId,
      tokens: {
        admin: settings.adminToken,
        maintainer: (await pat(maintainerId, ['api'])).token,
        maintainerReadOnly: (await pat(maintainerId, ['read_api'])).token,
        revoked: revoked.token,
        reporter: (await pat(reporterId, ['api'])).token,
        groupOwner: (await pat(ownerId, ['api'])).token,
        outsider: settings.userToken ?? (await pat(outsiderId as number, ['api'])).token,
      },
      group: { id: group.id, path: group.full_path },
      project,
      otherProject,
      registration: { project: projectToken, group: groupToken, instance: settings.registrationToken },
      capabilities,
      missing,
      track: (id) => created.runners.add(id),
      teardown,
    }
  } catch (error) {
    await teardown().catch(() => undefined)
    throw error
  }
}
