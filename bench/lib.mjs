/** @module Bench helpers: free ports, pinned child processes, waiting for a first 200, HTTP timing, wrk runs and their parsing, statistics and machine facts. */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'

export const ADMIN_TOKEN = 'glpat-AdminToken0000000001'
export const INSTANCE_REG_TOKEN = 'InstanceRegToken0001'

const children = new Set()

/** Kill every child this process started (each by its pid), on any exit path. */
export function killChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL')
    } catch {}
  }
  children.clear()
}
process.on('exit', killChildren)
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => {
    killChildren()
    process.exit(130)
  })

/** A port nothing listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

export const cores = () => os.availableParallelism?.() ?? os.cpus().length

/** True when `name` runs (exit status 0 or 1 with output). */
export function hasCommand(name, args = ['--version']) {
  const r = spawnSync(name, args, { encoding: 'utf8' })
  return !r.error
}

/** `command` pinned to `core` with taskset when the machine has two cores or more. */
export function pinned(core, command, args) {
  if (core === null || core === undefined || cores() < 2) return [command, args]
  return ['taskset', ['-c', String(core), command, ...args]]
}

/** Spawn a child that is killed when the bench ends; stdout/stderr are kept (last 4 KB) for error messages. */
export function startChild(command, args, options = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
  children.add(child)
  let output = ''
  const keep = (chunk) => {
    output = (output + chunk).slice(-4096)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  child.on('exit', () => children.delete(child))
  child.output = () => output
  return child
}

/** Stop a child and wait for it to be gone. */
export function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill('SIGKILL')
  })
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

/**
 * One HTTP request to 127.0.0.1 over a keep-alive connection; resolves { status, headers, body, ms }. A kept
 * connection the server closed meanwhile (its keep-alive timeout) is retried once on a new one.
 */
export async function request(port, method, path, options = {}) {
  try {
    return await requestOnce(port, method, path, options)
  } catch (error) {
    if (error.code !== 'ECONNRESET' || options.fresh) throw error
    return requestOnce(port, method, path, { ...options, fresh: true })
  }
}

function requestOnce(port, method, path, { headers = {}, body, timeoutMs = 60_000, fresh = false } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: fresh ? false : agent,
        headers: { ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const ms = performance.now() - started
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed = text
          try {
            parsed = JSON.parse(text)
          } catch {}
          resolve({ status: res.statusCode, headers: res.headers, body: parsed, ms })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)))
    req.on('error', reject)
    if (data !== undefined) req.write(data)
    req.end()
  })
}

/** Poll `path` until it answers 200; resolves the milliseconds since `since` (performance.now() at spawn). */
export async function waitFor200(port, path, { since, child, timeoutMs = 60_000, headers = {} }) {
  const deadline = since + timeoutMs
  for (;;) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before answering: ${child.output()}`)
    try {
      const res = await request(port, 'GET', path, { headers, fresh: true, timeoutMs: 5_000 })
      if (res.status === 200) return performance.now() - since
    } catch {}
    if (performance.now() > deadline) throw new Error(`no 200 from :${port}${path} within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Resident set size and its peak of a process, in MB (Linux /proc). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 }
  } catch {
    return { rssMb: null, peakRssMb: null }
  }
}

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 where getconf is missing). */
let ticksPerSecond
function clockTicks() {
  if (ticksPerSecond === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' })
    ticksPerSecond = Number(r.stdout) > 0 ? Number(r.stdout) : 100
  }
  return ticksPerSecond
}

/** A process's CPU time so far (user + system, µs) from /proc/<pid>/stat; null where /proc is missing. */
export function cpuTimeOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The fields after the command name (which may hold spaces) are space-separated: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks()
  } catch {
    return null
  }
}

// ---- wrk ----------------------------------------------------------------------------------------

const UNIT = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }
const ms = (text) => {
  const m = /^([\d.]+)(us|ms|s|m|h)$/.exec(text)
  return m ? Number(m[1]) * UNIT[m[2]] : Number.NaN
}

/** Parse wrk's report (with --latency): requests/s, latency percentiles in ms, request and error counts. */
export function parseWrk(text) {
  const num = (re) => Number(re.exec(text)?.[1] ?? Number.NaN)
  const pct = (p) => ms(new RegExp(`^\\s+${p}%\\s+(\\S+)`, 'm').exec(text)?.[1] ?? '')
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    requests: num(/(\d+) requests in/),
    p50Ms: pct(50),
    p90Ms: pct(90),
    p99Ms: pct(99),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
    socketErrors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  }
}

/** Run wrk (pinned to `core`) against 127.0.0.1:port+path; throws when any response is not 2xx/3xx. */
export function runWrk({ port, path, seconds, connections = 10, script, headers = {}, core }) {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s']
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`)
  if (script) args.push('-s', script)
  args.push(`http://127.0.0.1:${port}${path}`)
  const [command, full] = pinned(core, 'wrk', args)
  const text = execFileSync(command, full, { encoding: 'utf8', timeout: (seconds + 30) * 1000 })
  const result = parseWrk(text)
  if (!(result.requests > 0)) throw new Error(`wrk made no requests:\n${text}`)
  if (result.non2xx > 0) throw new Error(`wrk saw ${result.non2xx} non-2xx/3xx responses on ${path}:\n${text}`)
  return result
}

export function wrkVersion() {
  const r = spawnSync('wrk', ['-v'], { encoding: 'utf8' })
  return (r.stdout + r.stderr).split('\n')[0]?.replace(/\s*Copyright.*$/, '').trim() || 'wrk'
}

// ---- statistics ---------------------------------------------------------------------------------

export function median(values) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (xs.length === 0) return Number.NaN
  const mid = Math.floor(xs.length / 2)
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2
}

/** Nearest-rank percentile. */
export function percentile(values, p) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (xs.length === 0) return Number.NaN
  return xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))]
}

export const round = (v, digits = 2) => (Number.isFinite(v) ? Number(v.toFixed(digits)) : null)

export function machine() {
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ').trim() ?? 'unknown CPU'
  return {
    cpu,
    cores: cores(),
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    wrk: wrkVersion(),
    pinned: cores() >= 2 && hasCommand('taskset', ['-V']),
  }
}

/** A plain text table: the first row is the header; numbers right-aligned. */
export function table(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)))
  const line = (r) => r.map((cell, i) => (typeof cell === 'number' || /^[\d.,]+( ?[a-zA-Z%×]+)?$/.test(String(cell)) && i > 0 ? String(cell).padStart(widths[i]) : String(cell ?? '').padEnd(widths[i]))).join('  ')
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}
