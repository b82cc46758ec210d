/**
 * @module CPU time per request, in-process: `app.fetch` of one or more builds of the mock against a bare Hono app that
 * answers the same objects with c.json, in interleaved rounds. CPU time (process.cpuUsage) moves far less than wall time
 * when other work shares the machine, so the ratios hold where wrk's do not; it leaves out the HTTP server (the same for
 * both). Usage: node bench/probe-cpu.mjs [dir-with-dist ...] (default: this checkout); N=3000 requests per round.
 */
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Hono } from 'hono'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dirs = process.argv.length > 2 ? process.argv.slice(2).map((d) => resolve(d)) : [root]
const HEADERS = { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' }
const SCENARIOS = {
  details: '/api/v4/runners/6',
  list: '/api/v4/runners/all?per_page=20',
  filtered: '/api/v4/runners/all?type=project_type&status=online&tag_list=docker',
}
const N = Number(process.env.N ?? 3000)
const ROUNDS = Number(process.env.ROUNDS ?? 5)

const apps = {}
for (const dir of dirs) {
  const { createApp } = await import(`${dir}/dist/index.js`)
  apps[dirs.length === 1 ? 'mock' : dir.split('/').pop()] = createApp({ logLevel: 'silent' })
}
const answers = {}
const first = Object.values(apps)[0]
for (const [name, path] of Object.entries(SCENARIOS)) answers[name] = await (await first.request(`http://localhost${path}`, { headers: HEADERS })).json()
const bare = new Hono()
bare.get('/api/v4/runners/all', (c) => c.json(c.req.query('type') ? answers.filtered : answers.list))
bare.get('/api/v4/runners/:id', (c) => c.json(answers.details))
apps.bare = bare

const samples = {}
for (let round = 0; round < ROUNDS; round++)
  for (const [scenario, path] of Object.entries(SCENARIOS))
    for (const [name, app] of round % 2 ? Object.entries(apps).reverse() : Object.entries(apps)) {
      const once = async () => (await app.fetch(new Request(`http://localhost${path}`, { headers: HEADERS }))).text()
      for (let i = 0; i < 200; i++) await once()
      const start = process.cpuUsage()
      for (let i = 0; i < N; i++) await once()
      const used = process.cpuUsage(start)
      ;((samples[scenario] ??= {})[name] ??= []).push((used.user + used.system) / N)
    }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const out = {}
for (const [scenario, by] of Object.entries(samples)) {
  out[scenario] = Object.fromEntries(Object.entries(by).map(([name, xs]) => [name, { cpuUs: Number(median(xs).toFixed(1)), vsBare: Number((median(by.bare) / median(xs)).toFixed(2)) }]))
  process.stderr.write(`${scenario.padEnd(9)} ${Object.entries(out[scenario]).map(([n, v]) => `${n} ${v.cpuUs} µs (${v.vsBare}× bare)`).join('   ')}\n`)
}
process.stdout.write(`${JSON.stringify({ requestsPerRound: N, rounds: ROUNDS, scenarios: out })}\n`)
