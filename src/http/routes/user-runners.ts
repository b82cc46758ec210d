/** @module POST /user/runners: create a runner as a signed-in user (15.11+, working from 16.0; gitlab-versions.md §2.1). */
import { Hono } from 'hono'
import { createUserRunner } from '../../domain/user-runners.js'
import { RUNNER_ACCESS_LEVELS, RUNNER_TYPES, type RunnerAccessLevel, type RunnerType } from '../../domain/types.js'
import { requireRunnerCreator } from '../auth.js'
import { requireActor, storeOf } from '../context.js'
import { registrationEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import { p, parseParams, readParams, type Spec } from '../params.js'

export const userRunnerRoutes = new Hono<AppEnv>()

const RUNNER_TYPE = { runner_type: p.string({ required: true, values: RUNNER_TYPES }) }
const GROUP_ID = { group_id: p.int({ required: true }) }
const PROJECT_ID = { project_id: p.int({ required: true }) }
const ATTRIBUTES = {
  description: p.string(),
  maintenance_note: p.string(),
  paused: p.bool(),
  locked: p.bool(),
  access_level: p.string({ values: RUNNER_ACCESS_LEVELS }),
  run_untagged: p.bool(),
  tag_list: p.tagList(),
  maximum_timeout: p.int(),
}

/** Grape's `given runner_type:` blocks: group_id is declared (and required) only for group_type, project_id only for project_type. */
function specsFor(runnerType: unknown): Record<string, Spec<any>> {
  if (runnerType === 'group_type') return { ...RUNNER_TYPE, ...GROUP_ID, ...ATTRIBUTES }
  if (runnerType === 'project_type') return { ...RUNNER_TYPE, ...PROJECT_ID, ...ATTRIBUTES }
  return { ...RUNNER_TYPE, ...ATTRIBUTES }
}

// POST only: a create_runner token (where the version has that scope) may create runners and nothing else.
userRunnerRoutes.post('/user/runners', requireRunnerCreator, async (c) => {
  const raw = await readParams(c)
  const params = parseParams(raw, specsFor(raw.runner_type)) as {
    runner_type: RunnerType
    group_id?: number
    project_id?: number
    description?: string
    maintenance_note?: string
    paused?: boolean
    locked?: boolean
    access_level?: RunnerAccessLevel
    run_untagged?: boolean
    tag_list?: string[]
    maximum_timeout?: number
  }
  const runner = createUserRunner(storeOf(c), requireActor(c), {
    runnerType: params.runner_type,
    groupId: params.group_id,
    projectId: params.project_id,
    description: params.description,
    maintenanceNote: params.maintenance_note,
    paused: params.paused,
    locked: params.locked,
    accessLevel: params.access_level,
    runUntagged: params.run_untagged,
    tagList: params.tag_list,
    maximumTimeout: params.maximum_timeout,
  })
  return c.json(registrationEntity(runner), 201)
})
