/** @module The in-process target: the fake started with startMockServer on a free local port, driven over real HTTP. */
import { startMockServer } from '../../src/server.js'
import type { TargetStart } from '../lib/types.js'

export async function startFakeTarget(): Promise<TargetStart> {
  const server = await startMockServer({ host: '127.0.0.1', port: 0 })
  return { baseUrl: server.url, stop: () => server.close() }
}
