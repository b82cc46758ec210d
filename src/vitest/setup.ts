/**
 * @module `gitlab-runners-mock/vitest/setup`: a vitest globalSetup that starts one mock server for the
 * whole run and provides its URL to every test file (`useMockGitLab()` then gives each file its own
 * world on it). `createGlobalSetup(options)` starts it with server options instead of the defaults.
 */
import type { TestProject } from 'vitest/node'
import { startMockServer, type ServerOptions } from '../server.js'
import { PROVIDE_KEY } from './provided.js'

/** A globalSetup function starting the server with these options. */
export function createGlobalSetup(options: ServerOptions = {}) {
  return async function setup(project: Pick<TestProject, 'provide'>): Promise<() => Promise<void>> {
    const server = await startMockServer({ logLevel: 'error', ...options })
    project.provide(PROVIDE_KEY, { url: server.url, controlToken: options.controlToken ?? null })
    return () => server.close()
  }
}

export default createGlobalSetup()
