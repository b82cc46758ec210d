// Type-checked against the package's CommonJS declarations (.d.cts, the `require` condition).
import { createApp, startMockServer, type MockServer } from 'gitlab-runners-mock'

const app = createApp({ seed: 1 })
export const version: Promise<Response> | Response = app.request('/api/v4/version')
export const started: Promise<MockServer> = startMockServer({ port: 0 })
