import { describe, expect, it } from 'vitest'
import { createApp } from './app.js'

describe('createApp as a fetch handler (msw, undici interceptors)', () => {
  it("answers a standard Request for another origin, as the README's msw handler passes it", async () => {
    const app = createApp({ seed: 1, externalUrl: 'https://gitlab.example.com' })
    const handler = ({ request }: { request: Request }) => app.fetch(request)
    const res = await handler({ request: new Request('https://gitlab.example.com/api/v4/runners/all?per_page=1', { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' } }) })
    expect(res.status).toBe(200)
    expect(res.headers.get('link')).toContain('<https://gitlab.example.com/api/v4/runners/all?page=2&per_page=1>; rel="next"')
    expect(((await res.json()) as unknown[]).length).toBe(1)
  })

  it('refuses an invalid fixture object like loadFixture (a runner without runner_type)', () => {
    expect(() => createApp({ fixture: { runners: [{ description: 'no type' }] } as never })).toThrow(
      "invalid fixture (1 problem):\n  /runners/0: must have required property 'runner_type'",
    )
  })
})
