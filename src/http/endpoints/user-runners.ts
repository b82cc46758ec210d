/** @module POST /user/runners: create a runner as a signed-in user (15.11+, working from 16.0; gitlab-versions.md §2.1). */
import { createUserRunner } from '../../domain/user-runners.js'
import { RUNNER_ACCESS_LEVELS, RUNNER_TYPES } from '../../domain/types.js'
import { RUNNER_CREATE } from '../auth.js'
import { requireActor, storeOf } from '../context.js'
import { defineEndpoint, type Endpoint } from '../endpoint.js'
import { registrationEntity } from '../entities.js'
import { p } from '../params.js'
import { USER_ERRORS } from './contracts.js'

export const userRunnerEndpoints: Endpoint[] = [
  defineEndpoint({
    method: 'POST',
    path: '/user/runners',
    // POST only: a create_runner token (where the version has that scope) may create runners and nothing else.
    auth: RUNNER_CREATE,
    params: {
      runner_type: p.string({ required: true, values: RUNNER_TYPES }),
      // Grape's `given runner_type:` blocks: declared (and required) only for their type.
      group_id: p.int({ required: true, given: ['runner_type', 'group_type'] }),
      project_id: p.int({ required: true, given: ['runner_type', 'project_type'] }),
      description: p.string(),
      maintenance_note: p.string(),
      paused: p.bool(),
      locked: p.bool(),
      access_level: p.string({ values: RUNNER_ACCESS_LEVELS }),
      run_untagged: p.bool(),
      tag_list: p.tagList(),
      maximum_timeout: p.int(),
    },
    success: { status: 201, schema: 'user-runner' },
    errors: USER_ERRORS,
    handle: (c, { params }) => {
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
    },
  }),
]
