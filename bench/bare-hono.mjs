/** @module The ceiling for our stack: a bare Hono server on @hono/node-server answering, with `c.json` per request, the very objects the mock answered once (read from a JSON file). Usage: node bench/bare-hono.mjs <port> <answers.json> */
import { readFileSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'

const [port, file] = process.argv.slice(2)
const answers = JSON.parse(readFileSync(file, 'utf8'))

const app = new Hono()
app.get('/api/v4/runners/all', (c) => c.json(c.req.query('type') ? answers.filtered : answers.list))
app.get('/api/v4/runners/:id', (c) => c.json(answers.details))
app.put('/api/v4/runners/:id', async (c) => {
  await c.req.text()
  return c.json(answers.updated)
})
app.post('/api/v4/runners', async (c) => {
  await c.req.text()
  return c.json(answers.registered, 201)
})

serve({ fetch: app.fetch, port: Number(port), hostname: '127.0.0.1' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0))
