// runners.test.js (jest's default configuration: CommonJS, no transform needed)
const { startMockServer } = require('gitlab-runners-mock')

let server
let headers

beforeAll(async () => {
  server = await startMockServer({ seed: 1, clock: '2026-01-15T12:00:00Z' })
  headers = { 'PRIVATE-TOKEN': server.tokens.users.root }
})
afterAll(() => server.close())
beforeEach(() => server.reset()) // every test starts from the same world

test('a runner goes offline two hours after its last contact', async () => {
  const before = await (await fetch(`${server.url}/api/v4/runners/1`, { headers })).json()
  expect(before.status).toBe('online')
  server.world.clock.advance(2 * 60 * 60 * 1000)
  const after = await (await fetch(`${server.url}/api/v4/runners/1`, { headers })).json()
  expect(after.status).toBe('offline')
})
