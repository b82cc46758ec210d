/** @module Jobs of runners, in projects, optionally started by a user. Needs the users, projects and runners. */
import type { Job } from '../../domain/types.js'
import type { Fixture } from '../fixture-types.js'
import { stableToken, type BuildContext } from './context.js'

export function buildJobs(fixture: Fixture, ctx: BuildContext): void {
  const { state } = ctx
  fixture.jobs?.forEach((j, i) => {
    const path = `/jobs/${i}`
    const id = ctx.takeId('job', j.id, state.jobs, path)
    if (!state.runners.has(j.runner)) ctx.problem(`${path}/runner`, `unknown runner ${j.runner}`)
    const projectId = ctx.projectIdByPath.get(j.project.toLowerCase())
    if (projectId === undefined) ctx.problem(`${path}/project`, `unknown project ${j.project}`)
    const userId = j.user ? ctx.userIdByName.get(j.user.toLowerCase()) : undefined
    if (j.user && userId === undefined) ctx.problem(`${path}/user`, `unknown user ${j.user}`)
    const createdAt = ctx.time(j.created_at, `${path}/created_at`, ctx.now)
    const startedAt = ctx.nullableTime(j.started_at, `${path}/started_at`)
    const finishedAt = ctx.nullableTime(j.finished_at, `${path}/finished_at`)
    const manager = j.system_id === undefined ? undefined : [...state.runnerManagers.values()].find((m) => m.runnerId === j.runner && m.systemId === j.system_id)
    if (j.system_id !== undefined && !manager) ctx.problem(`${path}/system_id`, `runner ${j.runner} has no manager ${j.system_id}`)
    const sha = j.sha ?? stableToken(`sha:${id}`, (r) => Array.from({ length: 40 }, () => '0123456789abcdef'[r.int(16)]).join(''))
    const job: Job = {
      id,
      runnerId: j.runner,
      projectId: projectId ?? 0,
      userId: userId ?? null,
      status: j.status,
      stage: j.stage ?? 'test',
      name: j.name ?? 'test',
      ref: j.ref ?? 'main',
      tag: j.tag ?? false,
      coverage: j.coverage ?? null,
      allowFailure: j.allow_failure ?? false,
      createdAt,
      queuedAt: createdAt,
      startedAt,
      finishedAt,
      erasedAt: null,
      failureReason: j.status === 'failed' ? (j.failure_reason ?? 'script_failure') : null,
      commit: {
        id: sha,
        shortId: sha.slice(0, 8),
        title: j.commit_title ?? 'Update .gitlab-ci.yml',
        message: `${j.commit_title ?? 'Update .gitlab-ci.yml'}\n`,
        authorName: 'Administrator',
        authorEmail: 'admin@example.com',
        createdAt: createdAt - 60_000,
        parentIds: [],
      },
      pipeline: { id, iid: id, sha, ref: j.ref ?? 'main', status: j.status, source: 'push', createdAt, updatedAt: finishedAt ?? startedAt ?? createdAt },
      runnerManagerId: manager?.id ?? null,
    }
    state.jobs.set(id, job)
  })
}
