/**
 * @module python-gitlab (Debian's python3-gitlab; skipped with a printed reason when it cannot be
 * imported) pointed at a world's base URL works unchanged, and obeys a `rate_limited` fault: it sleeps
 * Retry-After and retries, and the journal shows the 429, then the 200.
 */
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../src/server.js'
import { TOKENS } from '../harness.js'

const PYTHON = '/usr/bin/python3'
const pythonGitlab = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import gitlab'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()
if (!pythonGitlab) console.warn(`python-gitlab world tests skipped: ${PYTHON} cannot import gitlab (apt-get install python3-gitlab)`)

let server: MockServer
beforeAll(async () => {
  server = await startMockServer({ clock: '2026-01-15T12:00:00.000Z', logLevel: 'silent' })
})
afterAll(async () => {
  await server?.close()
})

const SCRIPT = `
import json, sys, time, gitlab
url, admin = sys.argv[1:3]
gl = gitlab.Gitlab(url, private_token=admin)
out = {}
r = gl.runners.get(1)
r.description = 'from python'
r.save()
out['runner'] = gl.runners.get(1).description
out['all'] = len(gl.projects.get(100).runners.list(all=True, per_page=2))
p = gl.projects.get('acme/backend/api')
out['web_url'] = p.web_url
started = time.monotonic()
out['listed'] = len(gl.runners.all(all=True, per_page=100))
out['waited'] = time.monotonic() - started
print(json.dumps(out))
`

describe.runIf(pythonGitlab)('python-gitlab against a world', () => {
  it('works unchanged at <origin>/-/worlds/x and retries a rate_limited list after Retry-After', async () => {
    const world = server.world('x')
    await world.control.addFault({ method: 'GET', path: '/api/v4/runners/all', preset: 'rate_limited', retry_after: 1, times: 1 })
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', SCRIPT, world.url, TOKENS.admin], { timeout: 30_000 })
    const out = JSON.parse(stdout)
    expect(out.runner).toBe('from python')
    expect(world.world.store.runner(1)?.description).toBe('from python')
    expect(server.world.store.runner(1)?.description).not.toBe('from python') // the default world is untouched
    expect(out.web_url).toBe(`${world.url}/acme/backend/api`)
    expect(out.all).toBeGreaterThan(0)
    expect(out.listed).toBe(31)
    expect(out.waited).toBeGreaterThanOrEqual(0.9) // it slept Retry-After
    const { requests } = await world.control.requests({ path: '/api/v4/runners/all' })
    expect(requests.map((r) => r.status)).toEqual([429, 200])
    expect(requests[0]!.fault).toBe(1)
  })
})
