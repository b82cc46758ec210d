/** @module CLI start-up: spawn `node <cli>` N times (default 15), time spawn to the first 200 of GET /api/v4/runners/6; prints median and quartiles. `node bench/cli-startup.mjs [cli path] [runs]`. */
import { join } from 'node:path'
import { ADMIN_TOKEN, freePort, startChild, stopChild, waitFor200 } from './lib.mjs'

const root = join(import.meta.dirname, '..')
const cli = process.argv[2] ?? join(root, 'dist/cli.js')
const runs = Number(process.argv[3] ?? 15)
const times = []
for (let i = 0; i < runs; i++) {
  const port = await freePort()
  const since = performance.now()
  const child = startChild(process.execPath, [cli, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent'], { cwd: root })
  times.push(await waitFor200(port, '/api/v4/runners/6', { since, child, headers: { 'PRIVATE-TOKEN': ADMIN_TOKEN } }))
  await stopChild(child)
}
times.sort((a, b) => a - b)
const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1)
process.stdout.write(`${cli}: spawn to first 200 over ${runs} runs: median ${q(0.5)} ms (q1 ${q(0.25)}, q3 ${q(0.75)})\n`)
