// Type-checked against the package's declarations (ESM): the public API in the shapes users write.
import { createApp, FixtureError, loadFixture, startMockServer, type MockApp, type MockServer, type TokenInfo } from 'gitlab-runners-mock'

const app: MockApp = createApp({ seed: 1, clock: '2026-01-15T12:00:00Z', logLevel: 'info', logFormat: 'json' })
const res: Response = await app.request('/api/v4/version', { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' } })
const answered: Response = await app.fetch(new Request('https://gitlab.example.com/api/v4/user'))
const server: MockServer = await startMockServer({ port: 0, fixture: { runners: [{ runner_type: 'instance_type' }] } })
const root: string | undefined = server.tokens.users.root
const described: TokenInfo[] = server.tokens.list
const runnerIds = described.flatMap((t) => (t.kind === 'runner_authentication_token' ? [t.runnerId] : []))
await loadFixture('./world.json').catch((error: unknown) => (error instanceof FixtureError ? error.problems.map((p) => p.path) : []))
export { res, answered, root, runnerIds }
