/**
 * @module The Docker image, built from the repository's own Dockerfile and run through the testcontainers
 * helper: healthy by its HEALTHCHECK, non-root, configured by environment, a fixture volume loaded, a clean
 * SIGTERM stop. Prints (and writes to reports/docker.json) image size, time-to-healthy and stop time.
 * Skipped, with the reason printed, when no Docker engine answers.
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REPO_ROOT, buildMockImage, dockerUnavailableReason, type MockImage } from '../../contract-tests/targets/docker.js'
import { GitLabRunnersMockContainer, START_LABEL, type StartedGitLabRunnersMockContainer } from '../../src/testcontainers/index.js'

const run = promisify(execFile)
const reason = await dockerUnavailableReason()
if (reason) console.warn(`[test/docker skipped] ${reason}`)

const ADMIN_TOKEN = 'glpat-DefaultAdminToken001'
const FIXTURE = {
  description: 'A world small enough to recognise: one admin, one project, two runners.',
  users: [{ id: 1, username: 'root', name: 'Administrator', email: 'admin@example.com', admin: true, tokens: [{ token: ADMIN_TOKEN, name: 'root-api', scopes: ['api'] }] }],
  projects: [{ id: 5, path_with_namespace: 'root/volume', name: 'volume', members: { root: 'owner' } }],
  runners: [
    { id: 70, runner_type: 'instance_type', description: 'mounted-shared', token: 'MountedRunnerToken01' },
    { id: 71, runner_type: 'project_type', projects: ['root/volume'], description: 'mounted-project', token: 'MountedRunnerToken02' },
  ],
}

async function inspect<T>(id: string, format: string): Promise<T> {
  const { stdout } = await run('docker', ['inspect', '--format', `{{json ${format}}}`, id], { timeout: 20_000 })
  return JSON.parse(stdout) as T
}

async function api(container: StartedGitLabRunnersMockContainer, path: string, init: RequestInit = {}) {
  const response = await fetch(`${container.getApiUrl()}${path}`, { ...init, headers: { 'PRIVATE-TOKEN': ADMIN_TOKEN, ...init.headers } })
  return { status: response.status, body: (await response.json().catch(() => null)) as any }
}

const figures: Record<string, number | string | boolean> = {}

describe.skipIf(reason !== undefined)('the Docker image', () => {
  let image: MockImage
  let dir: string
  let fixturePath: string

  beforeAll(async () => {
    image = await buildMockImage()
    figures.image = image.tag
    figures.nodeImage = image.nodeImage
    figures.imageSizeMB = Math.round(image.size / 1e5) / 10
    if (image.built) figures.buildMs = Math.round(image.buildMs)
    console.log(`[docker] image ${image.tag} from ${image.nodeImage}: ${figures.imageSizeMB} MB${image.built ? `, built in ${figures.buildMs} ms` : ' (reused)'}`)
    dir = mkdtempSync(join(tmpdir(), 'gitlab-runners-mock-docker-'))
    fixturePath = join(dir, 'world.json')
    writeFileSync(fixturePath, JSON.stringify(FIXTURE), { mode: 0o644 })
  })

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
    if (Object.keys(figures).length === 0) return
    console.log(`[docker] figures ${JSON.stringify(figures)}`)
    mkdirSync(join(REPO_ROOT, 'reports'), { recursive: true })
    writeFileSync(join(REPO_ROOT, 'reports/docker.json'), `${JSON.stringify(figures, null, 2)}\n`)
  })

  describe('started with the defaults', () => {
    let container: StartedGitLabRunnersMockContainer
    let startedAt: number

    beforeAll(async () => {
      startedAt = performance.now()
      container = await new GitLabRunnersMockContainer(image.tag).withSeed(7).start()
      figures.timeToReadyMs = Math.round(performance.now() - startedAt)
    })
    afterAll(async () => {
      await container?.stop({ timeout: 5000 }).catch(() => undefined)
    })

    it('is built from the Dockerfile with a health check, a non-root user, port 8080 and env defaults', async () => {
      const config = await inspect<{ User: string; ExposedPorts: Record<string, object>; Env: string[]; Healthcheck: { Test: string[]; Interval: number } }>(
        image.tag,
        '.Config',
      )
      expect(config.User).toBe('1000:1000')
      expect(Object.keys(config.ExposedPorts)).toEqual(['8080/tcp'])
      expect(config.Env).toEqual(expect.arrayContaining(['PORT=8080', 'HOST=0.0.0.0', 'GITLAB_MOCK_SEED=1', 'GITLAB_MOCK_LOG_LEVEL=info']))
      expect(config.Healthcheck.Test.slice(0, 3)).toEqual(['CMD', 'node', '-e'])
      expect(config.Healthcheck.Interval).toBe(2e9)
      // One RUN step only: the check that the bundle was built (exec form, no shell needed in the base image).
      expect(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8').match(/^\s*RUN\b.*$/gm)).toEqual([expect.stringMatching(/^RUN \["node", "-e", /)])
    })

    it('turns healthy by its own HEALTHCHECK and answers GitLab readiness', async () => {
      type Health = { Status: string; Log: Array<{ ExitCode: number }> | null }
      let health = await inspect<Health>(container.getId(), '.State.Health')
      const deadline = Date.now() + 40_000
      while (health.Status !== 'healthy' && health.Status !== 'unhealthy' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100))
        health = await inspect<Health>(container.getId(), '.State.Health')
      }
      figures.timeToHealthyMs = Math.round(performance.now() - startedAt)
      console.log(`[docker] ready (HTTP) after ${figures.timeToReadyMs} ms, healthy (docker) after ${figures.timeToHealthyMs} ms`)
      expect(health.Status).toBe('healthy')
      expect(health.Log?.at(-1)?.ExitCode).toBe(0)
      const readiness = await fetch(`${container.getBaseUrl()}/-/readiness`)
      expect(readiness.status).toBe(200)
      expect(await readiness.json()).toEqual({ status: 'ok', master_check: [{ status: 'ok' }] })
    })

    it('runs the server as uid 1000, not root', async () => {
      const pid1 = await container.exec(['node', '-e', "process.stdout.write(require('fs').readFileSync('/proc/1/status','utf8'))"])
      expect(pid1.exitCode).toBe(0)
      expect(pid1.output).toMatch(/^Name:\s+node$/m)
      expect(pid1.output).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m)
      expect(pid1.output).toMatch(/^Gid:\s+1000\s+1000\s+1000\s+1000$/m)
    })

    it('serves the default world with its well-known tokens', async () => {
      expect(container.getApiUrl()).toBe(`${container.getBaseUrl()}/api/v4`)
      expect(container.tokens.users.root).toBe('glpat-AdminToken0000000001')
      expect(container.tokens.registration.instance).toBe('InstanceRegToken0001')
      const response = await fetch(`${container.getApiUrl()}/runners/1`, { headers: { 'PRIVATE-TOKEN': container.tokens.users.root! } })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ id: 1, description: 'shared-linux-online', runner_type: 'instance_type' })
    })

    it('stops on SIGTERM with exit code 0 well within 5 s', async () => {
      const id = container.getId()
      const began = performance.now()
      await container.stop({ timeout: 10_000, remove: false })
      figures.stopMs = Math.round(performance.now() - began)
      console.log(`[docker] stopped by SIGTERM in ${figures.stopMs} ms`)
      const state = await inspect<{ Status: string; ExitCode: number; OOMKilled: boolean }>(id, '.State')
      await run('docker', ['rm', '-f', id], { timeout: 20_000 })
      expect(state).toMatchObject({ Status: 'exited', ExitCode: 0, OOMKilled: false })
      expect(figures.stopMs).toBeLessThan(5000)
    })
  })

  it('loads a fixture mounted as a volume (GITLAB_MOCK_FIXTURE) instead of the default world', async () => {
    const container = await new GitLabRunnersMockContainer(image.tag)
      .withBindMounts([{ source: fixturePath, target: '/fixtures/world.json', mode: 'ro' }])
      .withEnvironment({ GITLAB_MOCK_FIXTURE: '/fixtures/world.json' })
      .start()
    try {
      const all = await api(container, '/runners/all')
      expect(all.status).toBe(200)
      expect(all.body.map((r: { id: number; description: string }) => [r.id, r.description])).toEqual([
        [70, 'mounted-shared'],
        [71, 'mounted-project'],
      ])
      expect(container.tokens).toEqual({
        users: { root: ADMIN_TOKEN },
        registration: { instance: expect.any(String), groups: {}, projects: { 'root/volume': expect.any(String) } },
        runners: { '70': 'MountedRunnerToken01', '71': 'MountedRunnerToken02' },
        list: expect.arrayContaining([expect.objectContaining({ kind: 'runner_authentication_token', runnerId: 71, runnerType: 'project_type' })]),
      })
      expect(container.tokens.list).toHaveLength(5)
    } finally {
      await container.stop({ timeout: 5000 })
    }
  })

  it('copies a fixture in with withFixture(), guards the control API with withControlToken() and reset() restores the world', async () => {
    const container = await new GitLabRunnersMockContainer(image.tag).withFixture(fixturePath).withControlToken('s3cret').withClock('2030-01-02T03:04:05.000Z').start()
    try {
      expect((await api(container, '/runners/70', { method: 'DELETE' })).status).toBe(204)
      expect((await api(container, '/runners/70')).status).toBe(404)

      const unguarded = await fetch(`${container.getBaseUrl()}/-/mock/reset`, { method: 'POST' })
      expect(unguarded.status).toBe(401)
      expect(await unguarded.json()).toEqual({ message: '401 Unauthorized', hint: 'send the control token in X-Mock-Control-Token' })

      await container.reset()
      expect((await api(container, '/runners/70')).body).toMatchObject({ id: 70, description: 'mounted-shared' })

      const clock = await fetch(`${container.getBaseUrl()}/-/mock/clock`, { headers: { 'X-Mock-Control-Token': 's3cret' } })
      expect(await clock.json()).toEqual({ now: '2030-01-02T03:04:05.000Z', frozen: true })
    } finally {
      await container.stop({ timeout: 5000 })
    }
  })

  it('rejects start() with the mock\'s own message when the fixture is invalid', async () => {
    const broken = new GitLabRunnersMockContainer(image.tag).withFixture({ runners: [{ id: 'seventy' }] } as never)
    await expect(broken.start()).rejects.toThrow(/invalid fixture \(2 problems\):\n\s*\/runners\/0: must have required property 'runner_type'/)
    // …and removes the container that start() created: none of its containers is left stopped or created.
    const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=${START_LABEL}`, '--filter', 'status=exited', '--filter', 'status=created', '--format', '{{.ID}}'])
    expect(stdout.trim()).toBe('')
  })

  it('fails to build without the bundle, saying which command makes it', async () => {
    const context = mkdtempSync(join(tmpdir(), 'gitlab-runners-mock-nobuild-'))
    for (const file of ['Dockerfile', '.dockerignore', 'package.json']) writeFileSync(join(context, file), readFileSync(join(REPO_ROOT, file)))
    const failed = await run('docker', ['build', '--build-arg', `NODE_IMAGE=${image.nodeImage}`, '-q', context], { timeout: 120_000 }).then(
      () => undefined,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    )
    rmSync(context, { recursive: true, force: true })
    expect(failed).toContain('gitlab-runners-mock: dist/docker/server.mjs is not built: run `npm run docker:build`')
  })

  it('refuses a missing fixture file before creating any container', async () => {
    const before = (await run('docker', ['ps', '-aq'])).stdout
    await expect(new GitLabRunnersMockContainer(image.tag).withFixture(join(dir, 'does-not-exist.json')).start()).rejects.toThrow(
      /fixture file .*does-not-exist\.json does not exist .*no container was created/,
    )
    expect((await run('docker', ['ps', '-aq'])).stdout).toBe(before)
  })
})
