/**
 * @module The testcontainers helper (`gitlab-runners-mock/testcontainers`): the Docker image as a
 * GenericContainer with seed, fixture, control token and clock setters; started, it knows its base
 * URL, the well-known tokens and how to reset the world. The only module that imports testcontainers.
 */
import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { AbstractStartedContainer, GenericContainer, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers'
import { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from '../control/constants.js'
import type { Fixture } from '../seed/fixture-types.js'
import type { WellKnownTokens } from '../world.js'
import { ControlApiError, ControlClient, type DefaultFixtureTokens } from '../control/client.js'

export type { WellKnownTokens } from '../world.js'
export { ControlApiError, ControlClient, type DefaultFixtureTokens } from '../control/client.js'

/** The port the image listens on. */
export const MOCK_PORT = 8080
const FIXTURE_TARGET = '/app/fixtures'
/** Label put on each container start() creates, so a failed start can find and remove what it made. */
export const START_LABEL = 'io.gitlab-runners-mock.start'

/** The mock's image as a testcontainers container: `await new GitLabRunnersMockContainer().withSeed(7).start()`. */
export class GitLabRunnersMockContainer extends GenericContainer {
  #controlToken: string | undefined
  #fixturePath: string | undefined

  constructor(image = 'gitlab-runners-mock:latest') {
    super(image)
    this.withExposedPorts(MOCK_PORT)
      .withEnvironment({ PORT: String(MOCK_PORT), GITLAB_MOCK_LOG_LEVEL: 'error' })
      // GitLab's own readiness probe exists even with the control API off; polled every 250 ms. A container
      // that exits (a bad fixture) stops the wait at once and start() reports its output.
      .withWaitStrategy(Wait.forHttp('/-/readiness', MOCK_PORT, { abortOnContainerExit: true }).forStatusCode(200).withReadTimeout(250))
      .withStartupTimeout(60_000)
  }

  /** Seed for generated filler records and newly issued tokens (GITLAB_MOCK_SEED). */
  withSeed(seed: number | string): this {
    return this.withEnvironment({ GITLAB_MOCK_SEED: String(seed) })
  }

  /** Emulate this GitLab version (`X.Y`, 15.11 through 18.11; default 18.11): GITLAB_MOCK_GITLAB_VERSION. */
  withGitLabVersion(version: string): this {
    return this.withEnvironment({ GITLAB_MOCK_GITLAB_VERSION: version })
  }

  /** Load this world instead of the default one: a JSON file on the host (copied in) or a fixture object. */
  withFixture(fixture: string | Fixture): this {
    if (typeof fixture === 'string') {
      this.#fixturePath = fixture
      const target = `${FIXTURE_TARGET}/${basename(fixture)}`
      return this.withCopyFilesToContainer([{ source: fixture, target, mode: 0o644 }]).withEnvironment({ GITLAB_MOCK_FIXTURE: target })
    }
    const target = `${FIXTURE_TARGET}/fixture.json`
    return this.withCopyContentToContainer([{ content: JSON.stringify(fixture), target, mode: 0o644 }]).withEnvironment({
      GITLAB_MOCK_FIXTURE: target,
    })
  }

  /** Require this token in X-Mock-Control-Token on the control API; the started container sends it for you. */
  withControlToken(token: string): this {
    this.#controlToken = token
    return this.withEnvironment({ GITLAB_MOCK_CONTROL_TOKEN: token })
  }

  /** Freeze the mock's clock at this instant (an ISO string or a Date). */
  withClock(instant: string | Date): this {
    return this.withEnvironment({ GITLAB_MOCK_CLOCK: instant instanceof Date ? instant.toISOString() : instant })
  }

  /** Origin used in Link headers and web_url fields (default: the origin each request was sent to). */
  withExternalUrl(url: string): this {
    return this.withEnvironment({ GITLAB_MOCK_EXTERNAL_URL: url })
  }

  /** silent | error (the helper's default) | info | debug; the lines go to the container's log. */
  withLogLevel(level: 'silent' | 'error' | 'info' | 'debug'): this {
    return this.withEnvironment({ GITLAB_MOCK_LOG_LEVEL: level })
  }

  override async start(): Promise<StartedGitLabRunnersMockContainer> {
    if (this.#fixturePath !== undefined) await checkFixtureFile(this.#fixturePath)
    const attempt = randomUUID()
    this.withLabels({ [START_LABEL]: attempt })
    let container: StartedTestContainer
    try {
      container = await super.start()
    } catch (error) {
      const removed = await removeContainers(attempt)
      const note = removed > 0 ? ` (the container it created was removed)` : ''
      throw new Error(`gitlab-runners-mock did not start: ${(error as Error).message}${note}`, { cause: error })
    }
    const started = new StartedGitLabRunnersMockContainer(container, this.#controlToken)
    try {
      await started.refreshTokens()
    } catch (error) {
      if (error instanceof ControlApiError && error.status === 404) return started // control API switched off

      const output = await containerOutput(container)
      await container.stop({ timeout: 1000 }).catch(() => undefined)
      throw new Error(`gitlab-runners-mock did not start: ${(error as Error).message}${output ? `\n${output}` : ''}`, { cause: error })
    }
    return started
  }
}

/** A missing or unreadable fixture file fails here, before any container exists. */
async function checkFixtureFile(path: string): Promise<void> {
  const where = resolve(path)
  let info
  try {
    info = await stat(where)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(`gitlab-runners-mock: fixture file ${path} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`} (looked at ${where}); no container was created`)
  }
  if (!info.isFile()) throw new Error(`gitlab-runners-mock: fixture ${path} is not a file (looked at ${where}); no container was created`)
}

/** Remove every container a start attempt created (whatever state it is in); the number removed. */
async function removeContainers(attempt: string): Promise<number> {
  try {
    const client = await getContainerRuntimeClient()
    const found = await client.container.dockerode.listContainers({ all: true, filters: { label: [`${START_LABEL}=${attempt}`] } })
    await Promise.all(found.map((info) => client.container.getById(info.Id).remove({ force: true, v: true })))
    return found.length
  } catch {
    return 0
  }
}

async function containerOutput(container: StartedTestContainer): Promise<string> {
  try {
    const stream = await container.logs({ tail: 40 })
    return await new Promise<string>((resolve) => {
      let text = ''
      const done = () => resolve(text.trim())
      stream.on('data', (chunk: Buffer | string) => (text += chunk.toString()))
      stream.on('end', done)
      stream.on('error', done)
      setTimeout(done, 2000).unref()
    })
  } catch {
    return ''
  }
}

/** A running mock: URLs, the well-known tokens, and the control API calls tests use between cases. */
export class StartedGitLabRunnersMockContainer extends AbstractStartedContainer {
  readonly #controlToken: string | undefined
  #tokens: WellKnownTokens | undefined
  #control: ControlClient | undefined

  constructor(started: StartedTestContainer, controlToken?: string) {
    super(started)
    this.#controlToken = controlToken
  }

  /** The default world's control API: the same ControlClient the in-process server and world handles give. */
  get control(): ControlClient {
    this.#control ??= new ControlClient({ baseUrl: this.getBaseUrl(), controlToken: this.#controlToken })
    return this.#control
  }

  /** A world of this container by name (created on its first request): its base URL and control client. */
  world(name: string): { name: string; url: string; apiUrl: string; control: ControlClient } {
    const control = this.control.world(name)
    return { name, url: control.baseUrl, apiUrl: `${control.baseUrl}/api/v4`, control }
  }

  /** e.g. http://localhost:32768 (what a GitLab client calls its host or base URL). */
  getBaseUrl(): string {
    const host = this.getHost()
    return `http://${host.includes(':') ? `[${host}]` : host}:${this.getMappedPort(MOCK_PORT)}`
  }

  /** e.g. http://localhost:32768/api/v4 */
  getApiUrl(): string {
    return `${this.getBaseUrl()}/api/v4`
  }

  getControlToken(): string | undefined {
    return this.#controlToken
  }

  /** The fixture's named users' personal access tokens, registration tokens and runner tokens. */
  get tokens(): WellKnownTokens {
    if (!this.#tokens) throw new Error('no well-known tokens: the control API is off (GITLAB_MOCK_CONTROL=off)')
    return this.#tokens
  }

  getTokens(): WellKnownTokens {
    return this.tokens
  }

  /** Read the well-known tokens again (after a reseed or a registration-token reset). */
  async refreshTokens(): Promise<DefaultFixtureTokens> {
    const tokens = await this.control.tokens()
    this.#tokens = tokens
    return tokens
  }

  /** Put the world back as it was at start (same seed, fixture and clock). */
  async reset(): Promise<void> {
    await this.control.reset()
    await this.refreshTokens()
  }

  /** Remember the world under a name; restoreSnapshot(name) brings it back. */
  async snapshot(name = 'default'): Promise<void> {
    await this.control.snapshot(name)
  }

  async restoreSnapshot(name = 'default'): Promise<void> {
    await this.control.restore(name)
  }
}
