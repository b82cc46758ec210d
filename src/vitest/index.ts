/**
 * @module `gitlab-runners-mock/vitest`: a world of its own for each test file (or each test) on the
 * server the globalSetup (`gitlab-runners-mock/vitest/setup`) started, so files running in parallel
 * workers never see each other's writes. `const gitlab = useMockGitLab()` at the top of a file; inside
 * tests and hooks `gitlab.url`, `gitlab.apiUrl`, `gitlab.tokens` and `gitlab.control` are that world's.
 */
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, beforeEach, inject } from 'vitest'
import { ControlClient, type DefaultFixtureTokens, type WorldOptionsInput } from '../control/client.js'
import { PROVIDE_KEY } from './provided.js'

export type { ProvidedMockServer } from './provided.js'
export { ControlClient, ControlApiError, type DefaultFixtureTokens } from '../control/client.js'

/** One world on the shared server. */
export interface MockGitLab {
  /** The world's name (`/-/worlds/<name>`). */
  readonly name: string
  /** Its base URL: give it to any GitLab client as the host (python-gitlab `url=`, gitbeaker `host`). */
  readonly url: string
  /** `<url>/api/v4`. */
  readonly apiUrl: string
  /** The default fixture's tokens as the world starts (typed by name). */
  readonly tokens: DefaultFixtureTokens
  /** Its control API: journal, verify, faults, clock, records, reset… */
  readonly control: ControlClient
}

export interface UseMockGitLabOptions extends WorldOptionsInput {
  /** `file` (default): one world for the file, made before its first test; `test`: a fresh world for every test. */
  per?: 'file' | 'test'
}

/** Register the hooks that give this file (or each of its tests) its own world, and return its handle. */
export function useMockGitLab(options: UseMockGitLabOptions = {}): MockGitLab {
  const { per = 'file', ...worldOptions } = options
  let current: { name: string; control: ControlClient; tokens: DefaultFixtureTokens } | undefined

  const open = async () => {
    const provided = inject(PROVIDE_KEY)
    if (!provided) throw new Error('gitlab-runners-mock: add "gitlab-runners-mock/vitest/setup" to globalSetup in your vitest config')
    const server = new ControlClient({ baseUrl: provided.url, controlToken: provided.controlToken ?? undefined })
    const name = `vitest-${randomUUID().slice(0, 13)}`
    await server.createWorld(name, worldOptions)
    const control = server.world(name)
    current = { name, control, tokens: await control.tokens() }
  }
  const close = async () => {
    const done = current
    current = undefined
    if (done) await done.control.deleteWorld(done.name).catch(() => undefined)
  }
  if (per === 'test') {
    beforeEach(open)
    afterEach(close)
  } else {
    beforeAll(open)
    afterAll(close)
  }

  const now = () => {
    if (!current) throw new Error('gitlab-runners-mock: useMockGitLab() values are available inside tests and hooks, not at the top level of a file')
    return current
  }
  return {
    get name() {
      return now().name
    },
    get url() {
      return now().control.baseUrl
    },
    get apiUrl() {
      return `${now().control.baseUrl}/api/v4`
    },
    get tokens() {
      return now().tokens
    },
    get control() {
      return now().control
    },
  }
}
