/** @module GET /runners/:id/projects (18.x): a runner's projects the caller can see, paginated, as BasicProjectDetails. */
import { Hono } from 'hono'
import { listRunnerProjects } from '../../domain/runners.js'
import { requireUser } from '../auth.js'
import { entityContext, requireActor, storeOf } from '../context.js'
import { basicProjectEntity } from '../entities.js'
import type { AppEnv } from '../env.js'
import { PAGE_SPECS, sendPage } from '../pagination.js'
import { p, parseParams, queryParams } from '../params.js'
import { availableSince } from './since.js'

export const runnerProjectRoutes = new Hono<AppEnv>()

const SPECS = { id: p.int({ required: true }), ...PAGE_SPECS }

runnerProjectRoutes.get('/runners/:id/projects', availableSince('18.0', requireUser, (c) => {
  const raw = queryParams(c)
  const { id } = parseParams({ ...raw, id: c.req.param('id') }, SPECS)
  const projects = listRunnerProjects(storeOf(c), requireActor(c), id as number)
  const ctx = entityContext(c)
  return sendPage(c, projects, raw, (project) => basicProjectEntity(project, ctx), { id })
}))
