/**
 * @module Peers for the benchmark (`--peers`): Prism (npm) and WireMock (npm's bundled jar, on the machine's
 * Java) serving the mock's own 20-runner list and runner details as static examples. Both are installed on
 * demand into bench/.peers/ (gitignored), never into the package's dependencies; when that fails the section
 * is skipped with the reason.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, hasCommand, pinned, startChild, waitFor200 } from './lib.mjs'

/** Pinned versions: Prism 5.14.2 is the last release that runs on Node 20 (5.15 needs Node 24). */
export const PEER_PACKAGES = { '@stoplight/prism-cli': '5.14.2', wiremock: '3.13.2' }

/** The jar the npm package bundles (run with java directly: its node wrapper would outlive a killed parent). */
function wiremockJar(dir) {
  const build = join(dir, 'node_modules/wiremock/build')
  const jar = existsSync(build) ? readdirSync(build).find((f) => /^wiremock-standalone-.*\.jar$/.test(f)) : undefined
  return jar ? join(build, jar) : undefined
}

/** Install the peers into `dir` (once); returns { prism, wiremock } (entry point, jar), with `skipped` saying what is missing. */
export function installPeers(dir, log) {
  const prism = join(dir, 'node_modules/@stoplight/prism-cli/dist/index.js')
  const prismVersion = join(dir, 'node_modules/@stoplight/prism-cli/package.json')
  const installed = () =>
    existsSync(prism) && wiremockJar(dir) !== undefined && JSON.parse(readFileSync(prismVersion, 'utf8')).version === PEER_PACKAGES['@stoplight/prism-cli']
  if (!installed()) {
    mkdirSync(dir, { recursive: true })
    if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{ "name": "bench-peers", "private": true }\n')
    const specs = Object.entries(PEER_PACKAGES).map(([name, version]) => `${name}@${version}`)
    log(`peers: installing ${specs.join(' and ')} into ${dir} (bench only, not a dependency)`)
    const r = spawnSync('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--loglevel', 'error', ...specs], { encoding: 'utf8', timeout: 900_000 })
    if (r.status !== 0 || !installed())
      return { skipped: `npm could not install ${specs.join(', ')}: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ')}` }
  }
  if (!hasCommand('java', ['-version']))
    return { prism, skipped: 'java is not installed (Debian/Ubuntu: sudo apt-get install -y default-jre-headless); WireMock skipped' }
  return { prism, wiremock: wiremockJar(dir) }
}

/** An OpenAPI 3 document whose only answers are the captured bodies, as examples (Prism answers examples as they are). */
function openApiOf(answers) {
  const json = (example) => ({ '200': { description: 'OK', content: { 'application/json': { example } } } })
  return {
    openapi: '3.0.3',
    info: { title: 'Runners (static examples for the benchmark)', version: '1' },
    paths: {
      '/api/v4/runners/all': {
        get: { parameters: [{ name: 'per_page', in: 'query', required: false, schema: { type: 'integer' } }], responses: json(answers.list) },
      },
      '/api/v4/runners/{id}': {
        get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: json(answers.details) },
      },
    },
  }
}

/** WireMock stub mappings for the same two answers. */
function wiremockMappings(answers) {
  const stub = (request, body) => ({ request: { method: 'GET', ...request }, response: { status: 200, headers: { 'Content-Type': 'application/json' }, jsonBody: body } })
  return { mappings: [stub({ urlPath: '/api/v4/runners/all' }, answers.list), stub({ urlPathPattern: '/api/v4/runners/[0-9]+' }, answers.details)] }
}

/** Start Prism (static mode) on the captured answers, pinned to `core`. */
export async function startPrism(entry, answers, work, core, path, headers) {
  const spec = join(work, 'peers-openapi.json')
  writeFileSync(spec, JSON.stringify(openApiOf(answers)))
  const port = await freePort()
  const [command, args] = pinned(core, process.execPath, [entry, 'mock', spec, '--port', String(port), '--host', '127.0.0.1', '--verboseLevel', 'silent'])
  const since = performance.now()
  const child = startChild(command, args)
  const startupMs = await waitFor200(port, path, { since, child, headers, timeoutMs: 120_000 })
  return { name: 'prism', port, child, startupMs }
}

/** Start WireMock (its npm package's jar on the machine's Java) with the stubs, pinned to `core`; no request journal. */
export async function startWireMock(jar, answers, work, core, path, headers) {
  const root = join(work, 'wiremock')
  mkdirSync(join(root, 'mappings'), { recursive: true })
  writeFileSync(join(root, 'mappings', 'runners.json'), JSON.stringify(wiremockMappings(answers)))
  const port = await freePort()
  const [command, args] = pinned(core, 'java', ['-jar', jar, '--port', String(port), '--bind-address', '127.0.0.1', '--root-dir', root, '--disable-banner', '--no-request-journal'])
  const since = performance.now()
  const child = startChild(command, args)
  const startupMs = await waitFor200(port, path, { since, child, headers, timeoutMs: 120_000 })
  return { name: 'wiremock', port, child, startupMs }
}
