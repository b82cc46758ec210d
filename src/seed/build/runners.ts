/** @module Runners: their type's owner (group or projects) resolved by path, a stable token when none is given. Needs the groups and projects. */
import { TokenFormat } from '../../domain/random.js'
import type { Runner } from '../../domain/types.js'
import type { Fixture } from '../fixture-types.js'
import { stableToken, type BuildContext } from './context.js'

export function buildRunners(fixture: Fixture, ctx: BuildContext): void {
  const { state } = ctx
  fixture.runners?.forEach((r, i) => {
    const path = `/runners/${i}`
    const id = ctx.takeId('runner', r.id, state.runners, path)
    const projectIds: number[] = []
    r.projects?.forEach((ref, j) => {
      const pid = ctx.projectIdByPath.get(ref.toLowerCase())
      if (pid === undefined) ctx.problem(`${path}/projects/${j}`, `unknown project ${ref}`)
      else projectIds.push(pid)
    })
    const groupId = r.group === undefined ? null : (ctx.groupIdByPath.get(r.group.toLowerCase()) ?? null)
    if (r.group !== undefined && groupId === null) ctx.problem(`${path}/group`, `unknown group ${r.group}`)
    if (r.runner_type !== 'project_type' && r.projects?.length) ctx.problem(`${path}/projects`, `only a project_type runner has projects`)
    if (r.runner_type !== 'group_type' && r.group !== undefined) ctx.problem(`${path}/group`, `only a group_type runner has a group`)
    if (r.runner_type === 'group_type' && r.group === undefined) ctx.problem(`${path}/group`, 'a group_type runner needs its group')
    const creatorId = r.created_by === undefined ? null : (ctx.userIdByName.get(r.created_by.toLowerCase()) ?? null)
    if (r.created_by !== undefined && creatorId === null) ctx.problem(`${path}/created_by`, `unknown user ${r.created_by}`)
    const token = r.token ?? stableToken(`runner:${id}`, TokenFormat.runnerAuthentication)
    ctx.claimToken(token, `${path}/token`)
    const createdAt = ctx.time(r.created_at, `${path}/created_at`, ctx.now)
    const runner: Runner = {
      id,
      runnerType: r.runner_type,
      description: r.description ?? null,
      name: r.name ?? null,
      active: !(r.paused ?? false),
      locked: r.locked ?? false,
      runUntagged: r.run_untagged ?? true,
      tagList: r.tag_list ?? [],
      accessLevel: r.access_level ?? 'not_protected',
      maximumTimeout: r.maximum_timeout ?? null,
      maintenanceNote: r.maintenance_note ?? null,
      creatorId,
      ipAddress: r.ip_address ?? null,
      version: r.version ?? null,
      revision: r.revision ?? null,
      platform: r.platform ?? null,
      architecture: r.architecture ?? null,
      contactedAt: ctx.nullableTime(r.contacted_at, `${path}/contacted_at`),
      token,
      tokenExpiresAt: ctx.nullableTime(r.token_expires_at, `${path}/token_expires_at`),
      projectIds,
      groupId,
      createdAt,
      updatedAt: createdAt,
      // A `glrt-` token is what POST /user/runners hands out: such a runner counts as created by a user.
      registrationType: token.startsWith('glrt-') ? 'authenticated_user' : 'registration_token',
    }
    if (runner.tagList.length === 0 && !runner.runUntagged)
      ctx.problem(`${path}/tag_list`, 'can not be empty when runner is not allowed to pick untagged jobs')
    state.runners.set(id, runner)
  })
}
