/** @module Where the control API lives and the header that carries its token: shared by the app, the CLI and the testcontainers helper without loading Hono. */
export const CONTROL_PREFIX = '/-/mock'
export const CONTROL_TOKEN_HEADER = 'X-Mock-Control-Token'
