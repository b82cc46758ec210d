/**
 * @module The soak (`--soak`, `--soak-seconds N`): the mixed wrk profile against the built CLI for N seconds (default
 * 300) in short slices, while resets, snapshot/restore pairs and (when the `/-/worlds/` prefix exists) world churn run
 * every few seconds. Passes when no answer is an error, RSS at the end is within 10% of RSS after the first window
 * (a minute, or a fifth of a shorter run) and the last window's p99 is within 1.5× of the first's.
 */
import { spawn } from 'node:child_process'
import { median, memoryOf, parseWrk, pinned, request, round, stopChild } from './lib.mjs'

const RESET_EVERY_S = 3
const SNAPSHOT_EVERY_S = 5
const WORLD_EVERY_S = 4

/** wrk without blocking the event loop (the control calls run meanwhile); resolves the parsed report. */
function wrkAsync({ port, seconds, script, headers, core }) {
  const args = ['-t1', '-c10', `-d${seconds}s`, '--latency', '--timeout', '10s', '-s', script]
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`)
  args.push(`http://127.0.0.1:${port}/api/v4/runners/6`)
  const [command, full] = pinned(core, 'wrk', args)
  return new Promise((resolve, reject) => {
    const child = spawn(command, full, { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c) => (out += c))
    child.on('error', reject)
    child.on('exit', () => resolve(parseWrk(out)))
  })
}

export async function soak({ startMock, seconds, core, log, script, headers }) {
  const sliceSeconds = seconds >= 60 ? 5 : 2
  const windowSeconds = Math.max(sliceSeconds * 2, Math.min(60, Math.round(seconds / 5)))
  const mock = await startMock()
  const port = mock.port
  const control = { resets: 0, snapshots: 0, worldsMade: 0, errors: [], worldsDeletable: null }
  const fail = (what, res) => control.errors.length < 20 && control.errors.push(`${what}: ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`)
  const worlds = (await request(port, 'GET', '/-/worlds/soak-probe/api/v4/runners/6', { headers })).status === 200
  log(`soak: ${seconds}s of the mixed profile in ${sliceSeconds}s slices; resets every ${RESET_EVERY_S}s, snapshot+restore every ${SNAPSHOT_EVERY_S}s${worlds ? `, a new world every ${WORLD_EVERY_S}s` : ' (no /-/worlds/ prefix: no world churn)'}`)

  let stopped = false
  const controlLoop = (async () => {
    let tick = 0
    while (!stopped) {
      await new Promise((r) => setTimeout(r, 1000))
      tick++
      try {
        if (tick % RESET_EVERY_S === 0) {
          const res = await request(port, 'POST', '/-/mock/reset')
          if (res.status === 200) control.resets++
          else fail('reset', res)
        }
        if (tick % SNAPSHOT_EVERY_S === 0) {
          const saved = await request(port, 'POST', '/-/mock/snapshots', { body: { name: 'soak' } })
          const back = await request(port, 'POST', '/-/mock/snapshots/soak/restore')
          if (saved.status === 201 && back.status === 200) control.snapshots++
          else fail('snapshot/restore', saved.status === 201 ? back : saved)
        }
        if (worlds && tick % WORLD_EVERY_S === 0) {
          const name = `soak-${tick}`
          const read = await request(port, 'GET', `/-/worlds/${name}/api/v4/runners/6`, { headers })
          const write = await request(port, 'PUT', `/-/worlds/${name}/api/v4/runners/6`, { headers, body: { description: name } })
          if (read.status !== 200) fail(`world ${name} read`, read)
          else if (write.status !== 200) fail(`world ${name} write`, write)
          else control.worldsMade++
          // Churn ends each world: one left behind is memory the run keeps until the world limit evicts it.
          const gone = await request(port, 'DELETE', `/-/mock/worlds/${name}`)
          control.worldsDeletable = gone.status >= 200 && gone.status < 300
          if (!control.worldsDeletable) fail(`world ${name} delete`, gone)
        }
      } catch (error) {
        control.errors.push(`control call failed: ${error.message}`)
      }
    }
  })()

  const slices = []
  const started = performance.now()
  try {
    while ((performance.now() - started) / 1000 < seconds - sliceSeconds / 2) {
      const at = (performance.now() - started) / 1000
      const r = await wrkAsync({ port, seconds: sliceSeconds, script, headers, core })
      const mem = memoryOf(mock.child.pid)
      slices.push({ startS: round(at, 1), endS: round((performance.now() - started) / 1000, 1), rps: round(r.rps, 0), p99Ms: r.p99Ms, requests: r.requests, errors: (r.non2xx || 0) + (r.socketErrors || 0), rssMb: round(mem.rssMb, 1) })
      const s = slices.at(-1)
      if (slices.length % Math.max(1, Math.round(30 / sliceSeconds)) === 0) log(`  ${Math.round(s.endS)}s: ${s.rps} req/s, p99 ${s.p99Ms.toFixed(2)} ms, RSS ${s.rssMb} MB`)
    }
  } finally {
    stopped = true
    await controlLoop
    await stopChild(mock.child)
  }
  const first = slices.filter((s) => s.endS <= windowSeconds + sliceSeconds / 2)
  const last = slices.filter((s) => s.startS >= seconds - windowSeconds - sliceSeconds / 2)
  const rssFirstMb = first.at(-1)?.rssMb ?? Number.NaN
  const rssLastMb = slices.at(-1)?.rssMb ?? Number.NaN
  const p99FirstMs = median(first.map((s) => s.p99Ms))
  const p99LastMs = median(last.map((s) => s.p99Ms))
  const errors = slices.reduce((n, s) => n + s.errors, 0) + control.errors.length
  return {
    seconds,
    sliceSeconds,
    windowSeconds,
    resetEverySeconds: RESET_EVERY_S,
    snapshotEverySeconds: SNAPSHOT_EVERY_S,
    worlds,
    worldsDeletable: control.worldsDeletable,
    requests: slices.reduce((n, s) => n + s.requests, 0),
    resets: control.resets,
    snapshots: control.snapshots,
    worldsMade: control.worldsMade,
    errors,
    controlErrors: control.errors,
    rssFirstMb,
    rssLastMb,
    rssRatio: round(rssLastMb / rssFirstMb, 3),
    p99FirstMs: round(p99FirstMs, 3),
    p99LastMs: round(p99LastMs, 3),
    p99Ratio: round(p99LastMs / p99FirstMs, 2),
    rpsFirst: round(median(first.map((s) => s.rps)), 0),
    rpsLast: round(median(last.map((s) => s.rps)), 0),
    pass: errors === 0 && rssLastMb / rssFirstMb <= 1.1 && p99LastMs / p99FirstMs <= 1.5,
    slices,
  }
}
