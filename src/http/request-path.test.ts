import { describe, expect, it } from 'vitest'
import { harness, TOKENS } from '../../test/harness.js'
import { pathStart, requestPath, singleLeadingSlash } from './request-path.js'

describe('the path a request names', () => {
  it('is the URL path without the query, its doubled leading slash collapsed', () => {
    expect(requestPath('http://h:1/api/v4/runners?page=2')).toBe('/api/v4/runners')
    expect(requestPath('http://h:1//api/v4/runners')).toBe('/api/v4/runners')
    expect(requestPath('http://h:1///api/v4/runners//1?x=//y')).toBe('/api/v4/runners//1')
    expect(requestPath('http://h:1')).toBe('/')
    expect(requestPath('http://h:1/')).toBe('/')
    expect(pathStart('https://gitlab.test/a')).toBe(19)
    expect(singleLeadingSlash('/a//b')).toBe('/a//b')
    expect(singleLeadingSlash('//')).toBe('/')
  })

  it('picks the same world for the router and the world middleware when the world path starts with two slashes', async () => {
    const h = harness()
    const admin = { token: TOKENS.admin }
    expect((await h.put('//-/worlds/a/api/v4/runners/1', { ...admin, body: { description: 'in a' } })).status).toBe(200)
    expect((await h.get('/-/worlds/a/api/v4/runners/1', admin)).body.description).toBe('in a')
    expect((await h.get('/api/v4/runners/1', admin)).body.description).toBe('shared-linux-online')
    expect((await h.get('//-/worlds/%20/api/v4/runners/1', admin)).status).toBe(400)
  })
})
