/**
 * @module The testcontainers helper (`gitlab-runners-mock/testcontainers`): the Docker image as a
 * GenericContainer with seed, fixture, control token and clock setters; started, it knows its base
 * URL, the well-known tokens and how to reset the world. The only module that imports testcontainers.
 */
import { basename } from 'node:path'
import { AbstractStartedContainer, GenericContainer, Wait, type StartedTestContainer } from 'testcontainers'
import type { Fixture } from '../seed/fixture-types.js'
import type { WellKnownTokens } from '../world.js'

export type { WellKnownTokens } from '../world.js'

/** The port the image listens on. */
export const MOCK_PORT = 8080
// Same values as src/control/routes.ts; repeated so this entry never loads hono or the app.
const CONTROL_PREFIX = '/-/mock'
const CONTROL_TOKEN_HEADER = 'X-Mock-Control-Token'
const FIXTURE_TARGET = '/app/fixtures'

/** The mock's image as a testcontainers container: `await new GitLabRunnersMockContainer().withSeed(7).start()`. */
export class GitLabRunnersMockContainer extends GenericContainer {
  #controlToken: string | undefined

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
    const container = await super.start()
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

/** The control API answered with an error status. */
export class ControlApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
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

  constructor(started: StartedTestContainer, controlToken?: string) {
    super(started)
    this.#controlToken = controlToken
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
  async refreshTokens(): Promise<WellKnownTokens> {
    this.#tokens = (await this.#control('GET', '/tokens')) as WellKnownTokens
    return this.#tokens
  }

  /** Put the world back as it was at start (same seed, fixture and clock). */
  async reset(): Promise<void> {
    await this.#control('POST', '/reset')
    await this.refreshTokens()
  }

  /** Remember the world under a name; restoreSnapshot(name) brings it back. */
  async snapshot(name = 'default'): Promise<void> {
    await this.#control('POST', '/snapshots', { name })
  }

  async restoreSnapshot(name = 'default'): Promise<void> {
    await this.#control('POST', `/snapshots/${encodeURIComponent(name)}/restore`)
  }

  async #control(method: string, path: string, body?: unknown): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.#controlToken) headers[CONTROL_TOKEN_HEADER] = this.#controlToken
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await fetch(`${this.getBaseUrl()}${CONTROL_PREFIX}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
    const text = await response.text()
    if (!response.ok) throw new ControlApiError(response.status, `${method} ${CONTROL_PREFIX}${path} answered ${response.status}: ${text}`)
    return text === '' ? undefined : (JSON.parse(text) as unknown)
  }
}
