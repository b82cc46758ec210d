// vitest.global-setup.ts: one mock for the whole run
import { startMockServer, type MockServer } from 'gitlab-runners-mock'
import 'gitlab-runners-mock/vitest-context' // types project.provide() and inject() for gitlabUrl and adminToken
import type { TestProject } from 'vitest/node'

let server: MockServer

export async function setup(project: TestProject) {
  server = await startMockServer({ port: 0, seed: 1, clock: '2026-01-15T12:00:00Z' })
  project.provide('gitlabUrl', server.url)
  project.provide('adminToken', server.tokens.users.root!)
}

export async function teardown() {
  await server.close()
}
