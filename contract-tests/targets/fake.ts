/** @module The in-process target: the fake started with startMockServer on a free local port, driven over real HTTP, emulating one GitLab version. */
import { startMockServer } from '../../src/server.js'
import type { TargetStart } from '../lib/types.js'

export async function startFakeTarget(gitlabVersion: string): Promise<TargetStart> {
  const server = await startMockServer({ host: '127.0.0.1', port: 0, gitlabVersion })
  return { baseUrl: server.url, stop: () => server.close() }
}
