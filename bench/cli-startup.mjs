/**
 * @module CLI start-up: spawn `node <cli>` N times (default 15), time spawn to the first 200 of GET
 * /api/v4/runners/6 and the CPU time (user + system, from /proc) the process had used by then; prints
 * medians and quartiles. CPU time is the steadier figure on a shared machine.
 * `node bench/cli-startup.mjs [cli path] [runs]`.
 */
import { join } from 'node:path'
import { ADMIN_TOKEN, cpuTimeOf, freePort, startChild, stopChild, waitFor200 } from './lib.mjs'

const root = join(import.meta.dirname, '..')
const cli = process.argv[2] ?? join(root, 'dist/cli.js')
const runs = Number(process.argv[3] ?? 15)
const times = []
const cpu = []
for (let i = 0; i < runs; i++) {
  const port = await freePort()
  const since = performance.now()
  const child = startChild(process.execPath, [cli, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent'], { cwd: root })
  times.push(await waitFor200(port, '/api/v4/runners/6', { since, child, headers: { 'PRIVATE-TOKEN': ADMIN_TOKEN } }))
  cpu.push((cpuTimeOf(child.pid) ?? Number.NaN) / 1000)
  await stopChild(child)
}
const q = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(p * list.length))].toFixed(0)
process.stdout.write(
  `${cli}: over ${runs} runs, spawn to first 200 median ${q(times, 0.5)} ms (q1 ${q(times, 0.25)}, q3 ${q(times, 0.75)}); ` +
    `CPU used by then median ${q(cpu, 0.5)} ms (q1 ${q(cpu, 0.25)}, q3 ${q(cpu, 0.75)})\n`,
)
