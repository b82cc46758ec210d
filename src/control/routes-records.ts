/** @module Control routes for live records: add a partial fixture, a runner's heartbeat, a job on a runner. */
import type { Hono } from 'hono'
import type { AppEnv } from '../http/env.js'
import { addRecords, addRunnerJob, contactRunner, RecordInputError } from './records.js'
import { ControlInputError, jsonBody } from './routes.js'

function runnerId(text: string): number {
  if (!/^\d+$/.test(text)) throw new ControlInputError('the runner id must be a whole number')
  return Number(text)
}

export function recordRoutes(app: Hono<AppEnv>): void {
  app.post('/records', async (c) => c.json(addRecords(c.var.world, await jsonBody(c)), 201))

  app.post('/runners/:id/contact', async (c) => {
    const id = runnerId(c.req.param('id'))
    try {
      const reply = contactRunner(c.var.world, id, await jsonBody(c))
      return reply ? c.json(reply) : c.json({ message: `no runner ${id}` }, 404)
    } catch (error) {
      throw error instanceof RecordInputError ? new ControlInputError(error.message) : error
    }
  })

  app.post('/runners/:id/jobs', async (c) => {
    const id = runnerId(c.req.param('id'))
    try {
      const reply = addRunnerJob(c.var.world, id, await jsonBody(c))
      return reply ? c.json(reply, 201) : c.json({ message: `no runner ${id}` }, 404)
    } catch (error) {
      throw error instanceof RecordInputError ? new ControlInputError(error.message) : error
    }
  })
}
