/**
 * @module The benchmark (`npm run bench`, or `node bench/run.mjs [--quick] [--only a,b] [--out file]`): the built mock
 * (`node dist/cli.js`) side by side with a bare Hono server in interleaved wrk rounds, startup, control-API latency and
 * scale to 100k runners. Prints tables and writes bench/results/latest.json (+ a Markdown copy, latest.md).
 */
import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import { installPeers, startPrism, startWireMock } from './peers.mjs'
import { soak } from './soak.mjs'
import {
  ADMIN_TOKEN,
  INSTANCE_REG_TOKEN,
  cores,
  cpuTimeOf,
  freePort,
  hasCommand,
  machine,
  median,
  memoryOf,
  percentile,
  pinned,
  request,
  round,
  runWrk,
  startChild,
  stopChild,
  table,
  waitFor200,
} from './lib.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')
const CLI = join(root, 'dist/cli.js')
const BARE = join(here, 'bare-hono.mjs')

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    peers: { type: 'boolean' },
    soak: { type: 'boolean' },
    'soak-seconds': { type: 'string' },
    only: { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (opts.help) {
  process.stdout.write(`node bench/run.mjs [--quick] [--only throughput,startup,control,scale,worlds] [--out results.json]
  --quick   shorter wrk runs and fewer samples (about 1.5 minutes instead of about 8)
  --only    run only these sections
  --out     JSON output (default bench/results/latest.json, or latest-quick.json with --quick, latest-soak.json with --soak)
  --peers   also Prism and WireMock serving the same list and details (installed on demand into bench/.peers/)
  --soak    only the soak: the mixed profile for 5 minutes with resets, snapshots and world churn (with --only, added to those sections)
  --soak-seconds N   soak length (default 300)
`)
  process.exit(0)
}

const QUICK = Boolean(opts.quick)
const CONFIG = QUICK
  ? { seconds: 1, warmupSeconds: 1, rounds: 3, spawns: 5, inProcess: 5, controlSamples: 20, scaleControlSamples: 3, scaleSeconds: 2, seedRuns: 1 }
  : { seconds: 5, warmupSeconds: 2, rounds: 5, spawns: 7, inProcess: 7, controlSamples: 50, scaleControlSamples: 5, scaleSeconds: 5, seedRuns: 5 }
const SECTIONS = new Set((opts.only ?? (opts.soak ? 'soak' : 'throughput,startup,control,scale,worlds')).split(',').map((s) => s.trim()))
if (opts.peers) SECTIONS.add('peers')
if (opts.soak) SECTIONS.add('soak')
const SOAK_SECONDS = Number(opts['soak-seconds'] ?? 300)
if (!(SOAK_SECONDS >= 10)) {
  process.stderr.write('bench: --soak-seconds must be a number of seconds, at least 10\n')
  process.exit(1)
}
const SIZES = [10_000, 100_000]
const SERVER_CORE = cores() >= 2 ? 0 : null
const LOAD_CORE = cores() >= 2 ? 1 : null
const ADMIN = { 'PRIVATE-TOKEN': ADMIN_TOKEN }
const DETAILS_PATH = '/api/v4/runners/6'
const LIST_PATH = '/api/v4/runners/all?per_page=20'
const FILTERED_PATH = '/api/v4/runners/all?type=project_type&status=online&tag_list=docker'

const SCENARIOS = [
  { name: 'details', label: 'GET /runners/:id', path: DETAILS_PATH, headers: ADMIN },
  { name: 'list', label: 'GET /runners/all?per_page=20', path: LIST_PATH, headers: ADMIN },
  { name: 'filtered', label: 'GET /runners/all?type&status&tag_list', path: FILTERED_PATH, headers: ADMIN },
  { name: 'update', label: 'PUT /runners/:id', path: DETAILS_PATH, script: join(here, 'wrk/put.lua'), writes: true },
  { name: 'register', label: 'POST /runners', path: '/api/v4/runners', script: join(here, 'wrk/post.lua'), writes: true },
  { name: 'mixed', label: 'mixed 60% details/20% lists/15% PUT/5% POST', path: DETAILS_PATH, script: join(here, 'wrk/mixed.lua'), writes: true },
]

// ---- preflight ----------------------------------------------------------------------------------

if (!hasCommand('wrk', ['-v'])) {
  process.stderr.write(
    'bench: wrk (the HTTP load generator) is not installed.\n' +
      '  Debian/Ubuntu: sudo apt-get update && sudo apt-get install -y wrk\n' +
      '  macOS:         brew install wrk\n',
  )
  process.exit(1)
}
if (!existsSync(CLI)) {
  process.stderr.write('bench: dist/cli.js is missing; run `npm run bench` (it builds first) or `node scripts/build.mjs`.\n')
  process.exit(1)
}
if (cores() >= 2 && !hasCommand('taskset', ['-V']))
  process.stderr.write('bench: taskset (util-linux) not found; server and wrk will share cores.\n')

const log = (line) => process.stderr.write(`${line}\n`)
const work = mkdtempSync(join(tmpdir(), 'gitlab-runners-mock-bench-'))
process.on('exit', () => rmSync(work, { recursive: true, force: true }))

// ---- servers ------------------------------------------------------------------------------------

/** Start the built CLI (plain node, pinned) and wait for its first 200 on the details route. */
async function startMock(extraArgs = [], timeoutMs = 60_000, env = process.env) {
  const port = await freePort()
  const [command, args] = pinned(SERVER_CORE, process.execPath, [CLI, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent', ...extraArgs])
  const since = performance.now()
  const child = startChild(command, args, { cwd: root, env })
  const startupMs = await waitFor200(port, DETAILS_PATH, { since, child, timeoutMs, headers: ADMIN })
  return { name: 'mock', port, child, startupMs }
}

async function startBare(answersFile) {
  const port = await freePort()
  const [command, args] = pinned(SERVER_CORE, process.execPath, [BARE, String(port), answersFile])
  const since = performance.now()
  const child = startChild(command, args, { cwd: root })
  const startupMs = await waitFor200(port, DETAILS_PATH, { since, child, headers: ADMIN })
  return { name: 'bare', port, child, startupMs }
}

async function expectOk(port, method, path, options, status = 200) {
  const res = await request(port, method, path, options)
  if (res.status !== status) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`)
  return res
}

/** The objects the mock answers for each scenario, fetched once, so the bare server can answer the same. */
async function captureAnswers() {
  const mock = await startMock()
  try {
    const answers = {
      details: (await expectOk(mock.port, 'GET', DETAILS_PATH, { headers: ADMIN })).body,
      list: (await expectOk(mock.port, 'GET', LIST_PATH, { headers: ADMIN })).body,
      filtered: (await expectOk(mock.port, 'GET', FILTERED_PATH, { headers: ADMIN })).body,
      updated: (await expectOk(mock.port, 'PUT', DETAILS_PATH, { headers: ADMIN, body: { description: 'bench-1' } })).body,
      registered: (await expectOk(mock.port, 'POST', '/api/v4/runners', { body: { token: INSTANCE_REG_TOKEN, description: 'bench-1', tag_list: 'bench,linux' } }, 201)).body,
    }
    if (answers.list.length !== 20) throw new Error(`the list should hold 20 runners, got ${answers.list.length}`)
    if (answers.filtered.length === 0) throw new Error('the filtered list is empty in the default world')
    const file = join(work, 'answers.json')
    writeFileSync(file, JSON.stringify(answers))
    return { file, answers }
  } finally {
    await stopChild(mock.child)
  }
}

// ---- sections -----------------------------------------------------------------------------------

/**
 * A wrk run with the server's own CPU time per request over it (/proc; NaN where unreadable): steadier than req/s on
 * a shared host, whose neighbours slow the wake-ups between wrk and the server more than the server's work.
 */
async function wrkWithCpu(pid, options) {
  const before = cpuTimeOf(pid)
  const result = await runWrk(options)
  const after = cpuTimeOf(pid)
  return { ...result, cpuUs: before === null || after === null ? Number.NaN : (after - before) / result.requests }
}

async function throughput(answersFile, answers) {
  log(`throughput: ${SCENARIOS.length} scenarios × 2 servers × ${CONFIG.rounds} rounds × ${CONFIG.seconds}s (wrk -t1 -c10)`)
  const mock = await startMock()
  const bare = await startBare(answersFile)
  try {
    const bareDetails = await expectOk(bare.port, 'GET', DETAILS_PATH, { headers: ADMIN })
    const mockDetails = await expectOk(mock.port, 'GET', DETAILS_PATH, { headers: ADMIN })
    // Same object up to digits (ports in web_url, contacted_at under the real clock).
    const shape = (body) => JSON.stringify(body).replace(/\d/g, '0')
    if (shape(bareDetails.body) !== shape(mockDetails.body) || !isDeepStrictEqual(bareDetails.body, answers.details))
      throw new Error('bare Hono and the mock do not answer the same details object')
    const run = async (server, scenario, seconds) => {
      if (server.name === 'mock') await expectOk(mock.port, 'POST', '/-/mock/reset')
      return wrkWithCpu(server.child.pid, { port: server.port, path: scenario.path, headers: scenario.headers, script: scenario.script, seconds, core: LOAD_CORE })
    }
    for (const scenario of SCENARIOS) for (const server of [mock, bare]) await run(server, scenario, CONFIG.warmupSeconds)
    const samples = Object.fromEntries(SCENARIOS.map((s) => [s.name, { mock: [], bare: [] }]))
    for (let r = 0; r < CONFIG.rounds; r++) {
      for (const scenario of SCENARIOS) {
        for (const server of r % 2 === 0 ? [mock, bare] : [bare, mock]) {
          const result = await run(server, scenario, CONFIG.seconds)
          samples[scenario.name][server.name].push(result)
          log(`  round ${r + 1} ${scenario.name.padEnd(8)} ${server.name.padEnd(4)} ${Math.round(result.rps)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  CPU ${result.cpuUs.toFixed(1)} µs/req`)
        }
      }
    }
    const mockMemory = memoryOf(mock.child.pid)
    const summary = SCENARIOS.map((scenario) => {
      const s = samples[scenario.name]
      const pick = (list) => ({
        rps: round(median(list.map((x) => x.rps)), 0),
        p50Ms: round(median(list.map((x) => x.p50Ms)), 3),
        p99Ms: round(median(list.map((x) => x.p99Ms)), 3),
        rounds: list.map((x) => round(x.rps, 0)),
        cpuUs: round(median(list.map((x) => x.cpuUs)), 1),
      })
      const m = pick(s.mock)
      const b = pick(s.bare)
      // Each round runs the two servers back to back, so its ratio is taken at one host speed; the host's speed
      // drifts between rounds (up to 2× within minutes on a shared VM), which the ratio of the medians mixes in.
      const paired = s.mock.map((x, i) => x.rps / s.bare[i].rps)
      return {
        name: scenario.name, label: scenario.label, mock: m, bare: b,
        ratio: round(median(paired), 2), pairedRatios: paired.map((r) => round(r, 2)), ratioOfMedians: round(m.rps / b.rps, 2), cpuRatio: round(b.cpuUs / m.cpuUs, 2),
      }
    })
    return { connections: 10, seconds: CONFIG.seconds, rounds: CONFIG.rounds, scenarios: summary, mockRssAfterMb: round(mockMemory.rssMb, 1) }
  } finally {
    await Promise.all([stopChild(mock.child), stopChild(bare.child)])
  }
}

/** Mock, bare Hono, Prism and WireMock on the details and list scenarios, interleaved rounds, same wrk settings. */
async function peers(answersFile, answers) {
  const install = installPeers(join(here, '.peers'), log)
  if (!install.prism) {
    log(`peers: skipped (${install.skipped})`)
    return { skipped: install.skipped }
  }
  if (install.skipped) log(`peers: ${install.skipped}`)
  const scenarios = SCENARIOS.filter((s) => s.name === 'details' || s.name === 'list')
  const servers = [await startMock(), await startBare(answersFile), await startPrism(install.prism, answers, work, SERVER_CORE, DETAILS_PATH, ADMIN)]
  if (install.wiremock) servers.push(await startWireMock(install.wiremock, answers, work, SERVER_CORE, DETAILS_PATH, ADMIN))
  log(`peers: ${servers.map((s) => s.name).join(', ')} × ${scenarios.length} scenarios × ${CONFIG.rounds} rounds × ${CONFIG.seconds}s (wrk -t1 -c10)`)
  try {
    for (const server of servers) {
      const same = await expectOk(server.port, 'GET', DETAILS_PATH, { headers: ADMIN })
      const shape = (body) => JSON.stringify(body).replace(/\d/g, '0')
      if (shape(same.body) !== shape(answers.details)) throw new Error(`${server.name} does not answer the same details object`)
    }
    const run = (server, scenario, seconds) => runWrk({ port: server.port, path: scenario.path, headers: scenario.headers, seconds, core: LOAD_CORE })
    // The JVM needs its warm-up (JIT) as much as V8: two warm-up runs for everyone.
    for (const scenario of scenarios) for (const server of servers) for (let i = 0; i < 2; i++) run(server, scenario, CONFIG.warmupSeconds)
    const samples = Object.fromEntries(scenarios.map((s) => [s.name, Object.fromEntries(servers.map((v) => [v.name, []]))]))
    for (let r = 0; r < CONFIG.rounds; r++)
      for (const scenario of scenarios) {
        const order = r % 2 === 0 ? servers : [...servers].reverse()
        for (const server of order) {
          const result = run(server, scenario, CONFIG.seconds)
          samples[scenario.name][server.name].push(result)
          log(`  round ${r + 1} ${scenario.name.padEnd(8)} ${server.name.padEnd(8)} ${Math.round(result.rps)} req/s  p50 ${result.p50Ms.toFixed(2)} ms`)
        }
      }
    return {
      servers: servers.map((s) => ({ name: s.name, startupMs: round(s.startupMs, 0), rssMb: round(memoryOf(s.child.pid).rssMb, 1) })),
      skipped: install.skipped,
      scenarios: scenarios.map((scenario) => {
        const by = samples[scenario.name]
        const rps = Object.fromEntries(servers.map((s) => [s.name, round(median(by[s.name].map((x) => x.rps)), 0)]))
        const p50 = Object.fromEntries(servers.map((s) => [s.name, round(median(by[s.name].map((x) => x.p50Ms)), 3)]))
        const vsBare = Object.fromEntries(servers.map((s) => [s.name, round(rps[s.name] / rps.bare, 2)]))
        return { name: scenario.name, label: scenario.label, rps, p50Ms: p50, vsBare }
      }),
    }
  } finally {
    await Promise.all(servers.map((s) => stopChild(s.child)))
  }
}

async function startup(answersFile) {
  log(`startup: ${CONFIG.spawns} spawns each (spawn to first 200; the mock with and without its code cache), ${CONFIG.inProcess} in-process startMockServer() runs`)
  // One start that lives past the moment the command writes its code cache (1 s), as any earlier run of it on this machine did.
  const first = await startMock()
  await new Promise((resolve) => setTimeout(resolve, 1500))
  await stopChild(first.child)
  const uncached = { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' }
  const spawns = { mock: [], uncached: [], bare: [] }
  const order = ['mock', 'uncached', 'bare']
  for (let i = 0; i < CONFIG.spawns; i++) {
    for (let k = 0; k < order.length; k++) {
      const which = order[(i + k) % order.length]
      const server = which === 'bare' ? await startBare(answersFile) : await startMock([], 60_000, which === 'uncached' ? uncached : process.env)
      spawns[which].push(server.startupMs)
      await stopChild(server.child)
    }
  }
  const inProcess = []
  for (let i = 0; i < CONFIG.inProcess; i++) {
    const [command, args] = pinned(SERVER_CORE, process.execPath, [join(here, 'probe-start.mjs')])
    const out = execFileSync(command, args, { cwd: root, encoding: 'utf8', timeout: 60_000 })
    const probe = JSON.parse(out.trim().split('\n').pop())
    if (probe.status !== 200) throw new Error(`in-process server answered ${probe.status}`)
    inProcess.push(probe)
  }
  const mockMs = median(spawns.mock)
  const uncachedMs = median(spawns.uncached)
  const bareMs = median(spawns.bare)
  const med = (key) => round(median(inProcess.map((p) => p[key])), 1)
  return {
    spawn: {
      mockMs: round(mockMs, 1),
      bareMs: round(bareMs, 1),
      ratio: round(mockMs / bareMs, 2),
      uncachedMs: round(uncachedMs, 1),
      uncachedRatio: round(uncachedMs / bareMs, 2),
      mockRuns: spawns.mock.map((v) => round(v, 1)),
      uncachedRuns: spawns.uncached.map((v) => round(v, 1)),
      bareRuns: spawns.bare.map((v) => round(v, 1)),
    },
    inProcess: { importMs: med('importMs'), readyMs: med('readyMs'), firstResponseMs: med('firstResponseMs'), warmReadyMs: med('warmReadyMs'), runs: inProcess.length },
  }
}

/** Time reset, snapshot and restore over HTTP (keep-alive) `samples` times each; health as the HTTP floor. */
async function controlLatency(port, samples, timeoutMs = 60_000) {
  const times = { health: [], reset: [], snapshot: [], restore: [] }
  for (let i = 0; i < Math.min(3, samples); i++) await expectOk(port, 'POST', '/-/mock/reset', { timeoutMs })
  for (let i = 0; i < samples; i++) {
    times.health.push((await expectOk(port, 'GET', '/-/mock/health')).ms)
    times.reset.push((await expectOk(port, 'POST', '/-/mock/reset', { timeoutMs })).ms)
    times.snapshot.push((await expectOk(port, 'POST', '/-/mock/snapshots', { body: { name: 'bench' }, timeoutMs }, 201)).ms)
    times.restore.push((await expectOk(port, 'POST', '/-/mock/snapshots/bench/restore', { timeoutMs })).ms)
  }
  const out = { samples }
  for (const [k, v] of Object.entries(times)) out[k] = { p50Ms: round(median(v), 2), p99Ms: round(percentile(v, 99), 2) }
  return out
}

async function control() {
  log(`control: reset, snapshot and restore × ${CONFIG.controlSamples} with the default world`)
  const mock = await startMock()
  try {
    return await controlLatency(mock.port, CONFIG.controlSamples)
  } finally {
    await stopChild(mock.child)
  }
}

function fixtureFile(runners) {
  const fixture = JSON.parse(readFileSync(join(root, 'fixtures/default.json'), 'utf8'))
  delete fixture.$schema
  fixture.generate = { runners, jobs_per_runner: 3, projects: 200, groups: 20, users: 100 }
  const file = join(work, `runners-${runners}.json`)
  writeFileSync(file, JSON.stringify(fixture))
  return file
}

async function scaleOne(size, scaledControl) {
  const file = fixtureFile(size)
  const seeds = []
  for (let i = 0; i < CONFIG.seedRuns; i++) {
    const [command, args] = pinned(SERVER_CORE, process.execPath, ['--expose-gc', join(here, 'probe-seed.mjs'), file])
    seeds.push(JSON.parse(execFileSync(command, args, { cwd: root, encoding: 'utf8', timeout: 120_000 }).trim().split('\n').pop()))
  }
  const mock = await startMock(['--fixture', file], 120_000)
  try {
    const ready = memoryOf(mock.child.pid)
    const latency = {}
    for (const [name, path] of [['filtered', FILTERED_PATH], ['list', LIST_PATH], ['details', DETAILS_PATH]]) {
      runWrk({ port: mock.port, path, headers: ADMIN, seconds: 1, connections: 1, core: LOAD_CORE })
      const r = runWrk({ port: mock.port, path, headers: ADMIN, seconds: CONFIG.scaleSeconds, connections: 1, core: LOAD_CORE })
      latency[name] = { p50Ms: round(r.p50Ms, 3), p99Ms: round(r.p99Ms, 3), rps: round(r.rps, 0) }
    }
    const loaded = memoryOf(mock.child.pid)
    const ctl = scaledControl ? await controlLatency(mock.port, CONFIG.scaleControlSamples, 120_000) : undefined
    const seed = (key) => round(median(seeds.map((s) => s[key])), 1)
    return {
      runners: seeds[0].runners,
      jobs: seeds[0].jobs,
      seedMs: seed('seedMs'),
      seedRuns: seeds.map((s) => round(s.seedMs, 0)),
      seedFaults: round(median(seeds.map((s) => s.seedFaults)), 0),
      firstTouchUs: round(median(seeds.map((s) => s.firstTouchUs)), 2),
      loadFixtureMs: seed('loadFixtureMs'),
      heapUsedMb: seed('heapUsedMb'),
      startupMs: round(mock.startupMs, 0),
      rssReadyMb: round(ready.rssMb, 1),
      rssAfterLoadMb: round(loaded.rssMb, 1),
      peakRssMb: round(memoryOf(mock.child.pid).peakRssMb, 1),
      latency,
      control: ctl,
    }
  } finally {
    await stopChild(mock.child)
  }
}

/**
 * What each request leaves to the old generation (V8's --trace-gc-nvp `promoted=` summed over scavenges while wrk
 * runs one path, ÷ requests): a request whose objects outlive two scavenges fills the old generation with garbage
 * that only a full collection frees, which is how RSS grows under load. Reads should leave next to nothing.
 */
async function promotionOf(file) {
  const port = await freePort()
  const [command, args] = pinned(SERVER_CORE, process.execPath, ['--trace-gc-nvp', CLI, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent', '--fixture', file])
  const since = performance.now()
  // The trace goes to a file: a pipe the bench reads only between (synchronous) wrk runs could fill and stall the server.
  const trace = join(work, 'promotion.log')
  const fd = openSync(trace, 'w')
  const child = startChild(command, args, { cwd: root, stdio: ['ignore', fd, 'ignore'] })
  closeSync(fd)
  const promoted = () => [...readFileSync(trace, 'utf8').matchAll(/ promoted=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0)
  try {
    await waitFor200(port, DETAILS_PATH, { since, child, timeoutMs: 120_000, headers: ADMIN })
    const out = {}
    for (const [name, path, script] of [['details', DETAILS_PATH], ['list', LIST_PATH], ['filtered', FILTERED_PATH], ['mixed', DETAILS_PATH, join(here, 'wrk/mixed.lua')]]) {
      runWrk({ port, path, script, headers: ADMIN, seconds: 1, core: LOAD_CORE })
      const before = promoted()
      const r = runWrk({ port, path, script, headers: ADMIN, seconds: CONFIG.scaleSeconds, core: LOAD_CORE })
      out[name] = round((promoted() - before) / Math.max(1, r.requests), 0)
    }
    return out
  } finally {
    await stopChild(child)
  }
}

async function scale() {
  log(`scale: ${SIZES.join(' and ')} runners, 3 jobs each (wrk -c1 ${CONFIG.scaleSeconds}s for latency)`)
  const sizes = []
  for (const size of SIZES) {
    sizes.push(await scaleOne(size, size === 100_000))
    log(`  ${size}: seeded in ${sizes.at(-1).seedMs} ms (${sizes.at(-1).seedFaults} page faults × ${sizes.at(-1).firstTouchUs} µs), RSS ${sizes.at(-1).rssAfterLoadMb} MB, filtered p50 ${sizes.at(-1).latency.filtered.p50Ms} ms`)
  }
  const promotion = { runners: SIZES[0], bytesPerRequest: await promotionOf(fixtureFile(SIZES[0])) }
  log(`  promoted bytes per request at ${SIZES[0]} runners: ${JSON.stringify(promotion.bytesPerRequest)}`)
  const [small, large] = sizes
  const growth = {
    seed: round(large.seedMs / small.seedMs, 1),
    rss: round(large.rssAfterLoadMb / small.rssAfterLoadMb, 1),
    filteredP50: round(large.latency.filtered.p50Ms / small.latency.filtered.p50Ms, 1),
    startup: round(large.startupMs / small.startupMs, 1),
  }
  return { sizes, growth, promotion }
}

/**
 * Worlds: creating one from the default fixture (POST /-/mock/worlds round trip, beside a reset in the
 * same process), the request journal on (1,000 entries) vs off on details and list throughput
 * (interleaved wrk rounds, three fresh servers each round: req/s, and the server CPU time per request from /proc,
 * the measure the test-double issue set its journal target in), and the RSS 64 default worlds add. A second
 * journal-off server runs in the same rounds as a control: its CPU against the first's is what two identical
 * processes differ by on this host (the floor under the journal's figure).
 */
/** The journal's rounds: each starts its servers afresh, so more of them than the other sections run. */
const JOURNAL_ROUNDS = CONFIG.rounds * 2 - 1

async function worlds() {
  const samples = CONFIG.controlSamples
  log(`worlds: ${samples} world creations, journal on/off (and a journal-off control) × ${JOURNAL_ROUNDS} rounds of fresh servers on details and list, RSS of 64 worlds`)
  // World creation in a process of its own, so the journal's servers below differ in nothing but the journal (before,
  // the journal-on server had made and dropped 53 worlds before its rounds; its figure was the same without them).
  const creator = await startMock()
  const create = []
  const reset = []
  try {
    for (let i = 0; i < 3; i++) await expectOk(creator.port, 'POST', '/-/mock/worlds', { body: { name: `warm-${i}` } }, 201)
    for (let i = 0; i < samples; i++) {
      create.push((await expectOk(creator.port, 'POST', '/-/mock/worlds', { body: { name: `bench-${i}` } }, 201)).ms)
      reset.push((await expectOk(creator.port, 'POST', '/-/mock/reset')).ms)
      await expectOk(creator.port, 'DELETE', `/-/mock/worlds/bench-${i}`, {}, 204)
    }
  } finally {
    await stopChild(creator.child)
  }
  const scenarios = SCENARIOS.filter((s) => s.name === 'details' || s.name === 'list')
  const configs = [
    { name: 'on', args: [] },
    { name: 'off', args: ['--journal-size', '0'] },
    { name: 'control', args: ['--journal-size', '0'] },
  ]
  const run = async (server, scenario, seconds) => {
    await expectOk(server.port, 'POST', '/-/mock/reset')
    return wrkWithCpu(server.pid, { port: server.port, path: scenario.path, headers: scenario.headers, seconds, core: LOAD_CORE })
  }
  const seen = Object.fromEntries(scenarios.map((s) => [s.name, { on: [], off: [], control: [] }]))
  // Fresh servers each round, started in turn order: a process keeps what the host gave it (its pages, its
  // neighbours) for its life, and two journal-off servers started once differed by up to 4% over all rounds. Each
  // round then draws that luck anew, so there are more rounds, and shorter ones (a fresh server's GET routes are
  // warm after a second of wrk).
  const seconds = Math.min(CONFIG.seconds, 3)
  for (let r = 0; r < JOURNAL_ROUNDS; r++) {
    const order = r % 2 === 0 ? configs : [...configs].reverse()
    const servers = []
    try {
      for (const config of order) {
        const server = await startMock(config.args)
        servers.push({ name: config.name, port: server.port, pid: server.child.pid, child: server.child })
      }
      for (const scenario of scenarios) for (const server of servers) await run(server, scenario, 1)
      for (const scenario of scenarios)
        for (const server of servers) {
          const result = await run(server, scenario, seconds)
          seen[scenario.name][server.name].push(result)
          log(`  round ${r + 1} ${scenario.name.padEnd(8)} journal ${server.name.padEnd(7)} ${Math.round(result.rps)} req/s  CPU ${result.cpuUs.toFixed(1)} µs/req`)
        }
    } finally {
      await Promise.all(servers.map((server) => stopChild(server.child)))
    }
  }
  // Each round ran its servers back to back: the median of the rounds' paired CPU ratios, as a percentage added.
  const pairedPct = (runs, baseline) => round((median(runs.map((x, i) => x.cpuUs / baseline[i].cpuUs)) - 1) * 100, 1)
  const journal = scenarios.map((s) => {
    const { on: ons, off: offs, control: controls } = seen[s.name]
    const onRps = median(ons.map((x) => x.rps))
    const offRps = median(offs.map((x) => x.rps))
    return {
      name: s.name,
      label: s.label,
      onRps: round(onRps, 0),
      offRps: round(offRps, 0),
      lossPct: round((1 - onRps / offRps) * 100, 1),
      onCpuUs: round(median(ons.map((x) => x.cpuUs)), 1),
      offCpuUs: round(median(offs.map((x) => x.cpuUs)), 1),
      cpuAddedPct: pairedPct(ons, offs),
      // The same for two journal-off servers: what the host alone puts between two processes.
      controlCpuPct: pairedPct(controls, offs),
    }
  })

  // In a fresh process: after the rounds' wrk runs, a collection in between could give back more than 64 worlds take.
  const fresh = await startMock(['--journal-size', '0'])
  let before, after
  try {
    // The route's and a world's making compiled first: what is measured is what the worlds keep.
    for (let i = 0; i < 20; i++) await expectOk(fresh.port, 'GET', DETAILS_PATH, { headers: ADMIN })
    for (let i = 0; i < 8; i++) await expectOk(fresh.port, 'GET', `/-/worlds/warm-${i}${DETAILS_PATH}`, { headers: ADMIN })
    before = memoryOf(fresh.child.pid).rssMb
    for (let i = 0; i < 64; i++) await expectOk(fresh.port, 'GET', `/-/worlds/rss-${i}${DETAILS_PATH}`, { headers: ADMIN })
    after = memoryOf(fresh.child.pid).rssMb
  } finally {
    await stopChild(fresh.child)
  }
  return {
    create: { p50Ms: round(median(create), 2), p99Ms: round(percentile(create, 99), 2), samples },
    reset: { p50Ms: round(median(reset), 2), p99Ms: round(percentile(reset, 99), 2) },
    journal,
    rss64: { beforeMb: round(before, 1), afterMb: round(after, 1), perWorldMb: round((after - before) / 64, 2) },
  }
}

// ---- targets and output -------------------------------------------------------------------------

function targets(results) {
  const out = []
  const add = (name, goal, value, pass) => out.push({ name, goal, value, pass: value === null || value === undefined ? null : pass })
  const sc = (name) => results.throughput?.scenarios.find((s) => s.name === name)
  if (results.throughput) {
    for (const [name, label, goal] of [
      ['details', 'details', 0.9],
      ['list', '20-item list', 1.0],
      ['filtered', 'filtered list', 0.8],
      ['update', 'PUT', 0.6],
      ['register', 'POST', 0.6],
      ['mixed', 'mixed profile', 0.8],
    ])
      add(`${label} vs bare Hono`, `≥ ${goal}×`, sc(name).ratio, sc(name).ratio >= goal)
  }
  if (results.startup) {
    add('CLI startup vs bare Hono', '≤ 1.3×', results.startup.spawn.ratio, results.startup.spawn.ratio <= 1.3)
    add('startMockServer() ready (ms)', '≤ 50', results.startup.inProcess.readyMs, results.startup.inProcess.readyMs <= 50)
  }
  if (results.control) {
    add('reset, default world (ms)', '≤ 5', results.control.reset.p50Ms, results.control.reset.p50Ms <= 5)
    add('snapshot, default world (ms)', '≤ 5', results.control.snapshot.p50Ms, results.control.snapshot.p50Ms <= 5)
    add('restore, default world (ms)', '≤ 5', results.control.restore.p50Ms, results.control.restore.p50Ms <= 5)
  }
  if (results.worlds) {
    const w = results.worlds
    add('world creation, default fixture (ms p50)', '≤ 5', w.create.p50Ms, w.create.p50Ms <= 5)
    for (const j of w.journal) add(`journal on vs off: ${j.name} (% server CPU added)`, '≤ 5', j.cpuAddedPct, j.cpuAddedPct <= 5)
  }
  if (results.soak) {
    add('soak: RSS end ÷ after first window', '≤ 1.10×', results.soak.rssRatio, results.soak.rssRatio <= 1.1)
    add('soak: p99 last ÷ first window', '≤ 1.50×', results.soak.p99Ratio, results.soak.p99Ratio <= 1.5)
    add('soak: error answers', '0', results.soak.errors, results.soak.errors === 0)
  }
  const big = results.scale?.sizes.find((s) => s.runners >= 100_000)
  if (big) {
    add('100k: seeding (ms)', '≤ 1500', big.seedMs, big.seedMs <= 1500)
    add('100k: filtered first page p50 (ms)', '≤ 3', big.latency.filtered.p50Ms, big.latency.filtered.p50Ms <= 3)
    add('100k: RSS after load (MB)', '≤ 250', big.rssAfterLoadMb, big.rssAfterLoadMb <= 250)
    if (big.control) {
      add('100k: reset (ms)', '≤ 300', big.control.reset.p50Ms, big.control.reset.p50Ms <= 300)
      add('100k: snapshot (ms)', '≤ 100', big.control.snapshot.p50Ms, big.control.snapshot.p50Ms <= 100)
    }
  }
  return out
}

const fmt = (v, digits = 0) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }))
/** A percentage added, signed (`+6.4%`, `-2.0%`; a negative zero, a median ratio just under 1 rounded, as `+0.0%`), or – where it could not be measured. */
const signedPct = (v) => (v === null || v === undefined ? '–' : `${v >= 0 ? '+' : ''}${fmt(v === 0 ? 0 : v, 1)}%`)

function report(results) {
  const blocks = []
  if (results.throughput) {
    blocks.push({
      title: `Throughput (wrk -t1 -c10, ${results.throughput.seconds}s, median of ${results.throughput.rounds} interleaved rounds; ratio: the median of the rounds' paired ratios, each round running both servers back to back)`,
      rows: [
        ['scenario', 'mock req/s', 'bare Hono req/s', 'ratio', 'rounds', 'ratio of the medians', 'mock p50 ms', 'mock p99 ms', 'server CPU µs/req: mock / bare', 'CPU ratio'],
        ...results.throughput.scenarios.map((s) => [
          s.label, fmt(s.mock.rps), fmt(s.bare.rps), `${fmt(s.ratio, 2)}×`, (s.pairedRatios ?? []).map((r) => fmt(r, 2)).join(' '), `${fmt(s.ratioOfMedians ?? s.ratio, 2)}×`, fmt(s.mock.p50Ms, 2), fmt(s.mock.p99Ms, 2),
          `${fmt(s.mock.cpuUs, 1)} / ${fmt(s.bare.cpuUs, 1)}`, s.cpuRatio === null ? '–' : `${fmt(s.cpuRatio, 2)}×`,
        ]),
      ],
    })
  }
  if (results.peers?.scenarios) {
    const names = results.peers.servers.map((s) => s.name)
    const label = { mock: 'mock', bare: 'bare Hono', prism: 'Prism', wiremock: 'WireMock' }
    blocks.push({
      title: `Peers in the same run (wrk -t1 -c10, ${CONFIG.seconds}s, median of ${CONFIG.rounds} interleaved rounds; req/s and ratio to bare Hono)`,
      rows: [
        ['scenario', ...names.map((n) => label[n] ?? n)],
        ...results.peers.scenarios.map((s) => [s.label, ...names.map((n) => `${fmt(s.rps[n])} (${fmt(s.vsBare[n], 2)}×)`)]),
        ['mock ÷ peer', ...names.map((n) => (n === 'mock' ? '' : results.peers.scenarios.map((s) => `${fmt(s.rps.mock / s.rps[n], 1)}×`).join(' / ')))],
        ['spawn to first 200 ms', ...results.peers.servers.map((s) => fmt(s.startupMs))],
        ['RSS after MB', ...results.peers.servers.map((s) => fmt(s.rssMb))],
      ],
    })
  }
  if (results.soak) {
    const k = results.soak
    blocks.push({
      title: `Soak (${k.seconds}s of the mixed profile, wrk -t1 -c10 in ${k.sliceSeconds}s slices; reset every ${k.resetEverySeconds}s, snapshot and restore every ${k.snapshotEverySeconds}s${k.worlds ? ', world churn' : ''}; first and last window ${k.windowSeconds}s)`,
      rows: [
        ['measure', 'first window', 'last window', 'ratio', 'goal', ''],
        ['RSS MB', fmt(k.rssFirstMb, 1), fmt(k.rssLastMb, 1), `${fmt(k.rssRatio, 2)}×`, '≤ 1.10×', k.rssRatio <= 1.1 ? 'met' : 'MISSED'],
        ['p99 ms (median of slices)', fmt(k.p99FirstMs, 2), fmt(k.p99LastMs, 2), `${fmt(k.p99Ratio, 2)}×`, '≤ 1.50×', k.p99Ratio <= 1.5 ? 'met' : 'MISSED'],
        ['req/s', fmt(k.rpsFirst), fmt(k.rpsLast), `${fmt(k.rpsLast / k.rpsFirst, 2)}×`, '', ''],
        ['error answers (all)', '', fmt(k.errors), '', '0', k.errors === 0 ? 'met' : 'MISSED'],
        ['requests, resets, snapshots, worlds', '', `${fmt(k.requests)}, ${fmt(k.resets)}, ${fmt(k.snapshots)}, ${fmt(k.worldsMade)}`, '', '', ''],
      ],
    })
  }
  if (results.startup) {
    const s = results.startup
    blocks.push({
      title: `Startup (median of ${s.spawn.mockRuns.length} spawns; in-process median of ${s.inProcess.runs})`,
      rows: [
        ['measure', 'ms'],
        ['CLI spawn to first 200: mock', fmt(s.spawn.mockMs, 1)],
        ['spawn to first 200: bare Hono', fmt(s.spawn.bareMs, 1)],
        ['ratio', `${fmt(s.spawn.ratio, 2)}×`],
        ['CLI without its code cache (NODE_DISABLE_COMPILE_CACHE=1); ratio', `${fmt(s.spawn.uncachedMs, 1)}; ${fmt(s.spawn.uncachedRatio, 2)}×`],
        ['import dist/index.js', fmt(s.inProcess.importMs, 1)],
        ['startMockServer() to ready (first)', fmt(s.inProcess.readyMs, 1)],
        ['startMockServer() to ready (second)', fmt(s.inProcess.warmReadyMs, 1)],
      ],
    })
  }
  const controlRows = []
  if (results.control) {
    const c = results.control
    for (const k of ['reset', 'snapshot', 'restore', 'health']) controlRows.push([`default world: ${k === 'health' ? 'GET health (HTTP floor)' : k}`, fmt(c[k].p50Ms, 2), fmt(c[k].p99Ms, 2)])
  }
  const big = results.scale?.sizes.find((s) => s.control)
  if (big) for (const k of ['reset', 'snapshot', 'restore']) controlRows.push([`${fmt(big.runners)} runners: ${k}`, fmt(big.control[k].p50Ms, 1), fmt(big.control[k].p99Ms, 1)])
  if (controlRows.length > 0) blocks.push({ title: 'Control API over HTTP (keep-alive round trip)', rows: [['operation', 'p50 ms', 'p99 ms'], ...controlRows] })
  if (results.scale) {
    const { sizes, growth } = results.scale
    blocks.push({
      title: `Scale (3 jobs per runner, 200 projects, 20 groups, 100 users; seed ms: median of ${CONFIG.seedRuns} fresh processes; page faults: the pages seeding touched for the first time, and what one first touch costs on this machine; latency wrk -c1; peak RSS includes the control calls at 100k)`,
      rows: [
        ['runners', 'jobs', 'seed ms', 'seed page faults (× µs each)', 'CLI to 200 ms', 'RSS MB', 'peak RSS MB', 'filtered p50/p99 ms', 'list p50 ms', 'details p50 ms'],
        ...sizes.map((s) => [
          fmt(s.runners),
          fmt(s.jobs),
          fmt(s.seedMs),
          s.seedFaults === undefined ? '–' : `${fmt(s.seedFaults)} (× ${fmt(s.firstTouchUs, 1)})`,
          fmt(s.startupMs),
          fmt(s.rssAfterLoadMb),
          fmt(s.peakRssMb),
          `${fmt(s.latency.filtered.p50Ms, 2)} / ${fmt(s.latency.filtered.p99Ms, 2)}`,
          fmt(s.latency.list.p50Ms, 2),
          fmt(s.latency.details.p50Ms, 2),
        ]),
        ['growth 10×', '', `${fmt(growth.seed, 1)}×`, '', `${fmt(growth.startup, 1)}×`, `${fmt(growth.rss, 1)}×`, '', `${fmt(growth.filteredP50, 1)}×`, '', ''],
      ],
    })
    const p = results.scale.promotion
    if (p)
      blocks.push({
        title: `Old-generation promotion at ${fmt(p.runners)} runners (bytes per request the young-generation collector moved to the old generation; wrk -t1 -c10; the mixed profile's writes add runners)`,
        rows: [['details', 'list', 'filtered', 'mixed'], [fmt(p.bytesPerRequest.details), fmt(p.bytesPerRequest.list), fmt(p.bytesPerRequest.filtered), fmt(p.bytesPerRequest.mixed)]],
      })
  }
  if (results.worlds) {
    const w = results.worlds
    blocks.push({
      title: `Worlds (creation over HTTP, median of ${w.create.samples}; journal: wrk -t1 -c10, median of interleaved rounds, fresh servers each round; server CPU added: the median of the rounds' paired ratios)`,
      rows: [
        ['measure', 'value'],
        ['POST /-/mock/worlds p50 / p99 (ms)', `${fmt(w.create.p50Ms, 2)} / ${fmt(w.create.p99Ms, 2)}`],
        ['POST /-/mock/reset p50, same process (ms)', fmt(w.reset.p50Ms, 2)],
        ...w.journal.map((j) => [`${j.label}: journal on / off (req/s)`, `${fmt(j.onRps)} / ${fmt(j.offRps)} (${fmt(j.lossPct, 1)}% loss)`]),
        ...w.journal.map((j) => [`${j.label}: journal on / off (server CPU µs/req)`, `${fmt(j.onCpuUs, 1)} / ${fmt(j.offCpuUs, 1)} (${signedPct(j.cpuAddedPct)})`]),
        ...w.journal.map((j) => [`${j.label}: control, a second journal-off server against the first (server CPU)`, signedPct(j.controlCpuPct)]),
        ['RSS of 64 default worlds (MB total, per world)', `${fmt(w.rss64.afterMb - w.rss64.beforeMb, 1)}, ${fmt(w.rss64.perWorldMb, 2)}`],
      ],
    })
  }
  blocks.push({
    title: 'Targets',
    rows: [['target', 'goal', 'measured', ''], ...results.targets.map((t) => [t.name, t.goal, fmt(t.value, 2), t.pass === null ? '–' : t.pass ? 'met' : 'MISSED'])],
  })
  return blocks
}

const markdown = (blocks, results) =>
  [
    `Measured ${results.date} on ${results.machine.cpu} (${results.machine.cores} cores, ${results.machine.memoryGb} GB), ${results.machine.os}, Node ${results.machine.node}, ${results.machine.wrk}${results.machine.pinned ? '; server and wrk pinned to different cores' : ''}${results.quick ? '; --quick run' : ''}.`,
    ...blocks.map((b) => {
      const [head, ...rest] = b.rows
      const align = head.map((_, i) => (i === 0 ? '---' : '--:'))
      return [`**${b.title}**`, '', `| ${head.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rest.map((r) => `| ${r.join(' | ')} |`)].join('\n')
    }),
  ].join('\n\n')

// ---- main ---------------------------------------------------------------------------------------

const started = performance.now()
const results = { date: new Date().toISOString(), quick: QUICK, machine: machine(), config: CONFIG }
log(`bench${QUICK ? ' --quick' : ''}: ${results.machine.cpu}, ${results.machine.cores} cores, Node ${process.version}, ${results.machine.wrk}`)
const { file: answersFile, answers } = await captureAnswers()
if (SECTIONS.has('throughput')) results.throughput = await throughput(answersFile, answers)
if (SECTIONS.has('peers')) results.peers = await peers(answersFile, answers)
if (SECTIONS.has('startup')) results.startup = await startup(answersFile)
if (SECTIONS.has('control')) results.control = await control()
if (SECTIONS.has('scale')) results.scale = await scale()
if (SECTIONS.has('worlds')) results.worlds = await worlds()
if (SECTIONS.has('soak')) results.soak = await soak({ startMock, seconds: SOAK_SECONDS, core: LOAD_CORE, log, script: join(here, 'wrk/mixed.lua'), headers: ADMIN })
results.targets = targets(results)
results.durationS = round((performance.now() - started) / 1000, 0)

const blocks = report(results)
process.stdout.write(`\n${blocks.map((b) => `${b.title}\n${table(b.rows)}`).join('\n\n')}\n\n(${results.durationS}s)\n`)
const out = resolve(opts.out ?? join(here, 'results', opts.soak && !opts.only ? 'latest-soak.json' : QUICK ? 'latest-quick.json' : 'latest.json'))
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`)
writeFileSync(out.replace(/\.json$/, '.md'), `${markdown(blocks, results)}\n`)
log(`wrote ${out} and ${out.replace(/\.json$/, '.md')}`)
