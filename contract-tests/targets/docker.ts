/**
 * @module The Docker target: builds the image from the repository's own Dockerfile (once per run; the
 * tag is a hash of what went in, so later callers reuse it), starts it through the testcontainers
 * helper, and says why when no Docker engine answers. Also used by test/docker/*.test.ts.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { ensureBuilt } from '../../test/built-dist.js'

const run = promisify(execFile)

// No registry is reachable from CI: never start Ryuk (it would be pulled); containers are stopped by their owners.
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** The control token the Docker target starts the container with (so the guard is exercised too). */
export const DOCKER_CONTROL_TOKEN = 'contract-suite-control-token'

export interface MockImage {
  tag: string
  nodeImage: string
  /** Bytes, as `docker image inspect` reports them. */
  size: number
  /** False when an earlier caller of this run (or an earlier run) built the same inputs. */
  built: boolean
  /** Time `docker build` took (0 when reused). */
  buildMs: number
}

export type DockerTarget = { baseUrl: string; controlToken?: string; stop(): Promise<void> } | { skip: string }

async function docker(args: string[], timeout = 20_000): Promise<string> {
  const { stdout } = await run('docker', args, { timeout, maxBuffer: 16 * 1024 * 1024 })
  return stdout.trim()
}

let availability: Promise<string | undefined> | undefined

/** Undefined when a Docker engine answers `docker info`; otherwise the reason, for a skip message. */
export function dockerUnavailableReason(): Promise<string | undefined> {
  availability ??= docker(['info', '--format', '{{.ServerVersion}}'], 15_000).then(
    () => undefined,
    (error: NodeJS.ErrnoException & { stderr?: string }) =>
      error.code === 'ENOENT'
        ? 'no docker command on this machine'
        : `no Docker engine answers \`docker info\`: ${(error.stderr || error.message).trim().split('\n').pop()}`,
  )
  return availability
}

async function imageExists(tag: string): Promise<boolean> {
  return docker(['image', 'inspect', '--format', '{{.Id}}', tag]).then(
    () => true,
    () => false,
  )
}

/** NODE_IMAGE from the environment; else this machine's offline base image if present; else node:20-slim. */
export async function nodeImage(): Promise<string> {
  if (process.env.NODE_IMAGE) return process.env.NODE_IMAGE
  return (await imageExists('local/node:20-slim')) ? 'local/node:20-slim' : 'node:20-slim'
}

let image: Promise<MockImage> | undefined

/** Build the image from the repository's Dockerfile (context = the repository), or reuse the one built from the same inputs. */
export function buildMockImage(): Promise<MockImage> {
  image ??= (async () => {
    await ensureBuilt()
    const base = await nodeImage()
    const hash = createHash('sha256').update(base)
    for (const file of ['Dockerfile', '.dockerignore', 'dist/docker/server.mjs', 'dist/docker/faker-en.cjs']) hash.update(readFileSync(join(REPO_ROOT, file)))
    const tag = `gitlab-runners-mock:test-${hash.digest('hex').slice(0, 12)}`
    const started = performance.now()
    let built = false
    let buildMs = 0
    if (!(await imageExists(tag))) {
      const { GenericContainer } = await import('testcontainers')
      await GenericContainer.fromDockerfile(REPO_ROOT).withBuildArgs({ NODE_IMAGE: base }).build(tag, { deleteOnExit: false })
      built = true
      buildMs = performance.now() - started
      // Test builds older than an hour are garbage (younger ones may belong to a run still going); rmi spares images in use.
      const listed = await docker(['image', 'ls', '--format', '{{.Repository}}:{{.Tag}} {{.CreatedAt}}', 'gitlab-runners-mock'])
      const stale = listed.split('\n').flatMap((line) => {
        const m = /^(gitlab-runners-mock:test-\S+) (\S+) (\S+) ([+-]\d\d)(\d\d)/.exec(line)
        if (!m || m[1] === tag) return []
        return Date.now() - Date.parse(`${m[2]}T${m[3]}${m[4]}:${m[5]}`) > 3_600_000 ? [m[1]!] : []
      })
      if (stale.length > 0) await docker(['rmi', ...stale]).catch(() => undefined)
    }
    const size = Number(await docker(['image', 'inspect', '--format', '{{.Size}}', tag]))
    return { tag, nodeImage: base, size, built, buildMs }
  })()
  image.catch(() => (image = undefined))
  return image
}

/** For the contract suite: the mock running in Docker, or why it cannot run here. */
export async function startDockerTarget(): Promise<DockerTarget> {
  const reason = await dockerUnavailableReason()
  if (reason) return { skip: reason }
  const { tag } = await buildMockImage()
  const { GitLabRunnersMockContainer } = await import('../../src/testcontainers/index.js')
  const container = await new GitLabRunnersMockContainer(tag).withControlToken(DOCKER_CONTROL_TOKEN).start()
  return {
    baseUrl: container.getBaseUrl(),
    controlToken: DOCKER_CONTROL_TOKEN,
    stop: async () => {
      await container.stop({ timeout: 5000 })
    },
  }
}
