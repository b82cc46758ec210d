/**
 * @module The mock's own pages under /-/mock: the OpenAPI document (openapi.json), the docs page that
 * renders it (Swagger UI, served from the package's own files) and the inspector (ui). They hold no
 * world data, so they stay open when a control token is set: the inspector asks for the token and
 * sends it with each call it makes. Everything here loads lazily, on its first request.
 */
import { Hono } from 'hono'
import type { AppEnv } from '../http/env.js'

/** No request may leave the server's own origin (no CDN, fonts or telemetry). */
export const PAGE_CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"

const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API docs · gitlab-runners-mock</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="docs/swagger-ui.css">
<style>body{margin:0;background:#fafafa}.topbar-note{font:14px/1.4 system-ui,sans-serif;padding:8px 20px;background:#1f2937;color:#f9fafb}.topbar-note a{color:#93c5fd}</style>
</head>
<body>
<div class="topbar-note">gitlab-runners-mock · <a href="openapi.json">openapi.json</a> · <a href="ui">inspector</a></div>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script src="docs/init.js"></script>
</body>
</html>
`

/** Swagger UI's options: the document next door, no online validator badge, the control token from the inspector's session. */
const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: 'openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  withCredentials: false,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  tryItOutEnabled: false,
  requestInterceptor: function (req) {
    var token = sessionStorage.getItem('gitlab-runners-mock-control-token');
    if (token && req.url.indexOf('/-/mock/') !== -1 && !req.headers['X-Mock-Control-Token']) req.headers['X-Mock-Control-Token'] = token;
    return req;
  },
});
`

const TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' }

export interface PageOptions {
  /** The app's registered routes (read on the first document request, when every route is mounted). */
  routes: () => ReadonlyArray<{ method: string; path: string; handler: unknown }>
}

export function pageRoutes(options: PageOptions) {
  const app = new Hono<AppEnv>()
  const documents = new Map<string, string>()

  app.get('/openapi.json', async (c) => {
    const version = c.var.world.profile.version
    let document = documents.get(version)
    if (!document) {
      const { serverDocument } = await import('../openapi/serve.js')
      document = JSON.stringify(serverDocument(c.var.world.profile, options.routes()))
      documents.set(version, document)
    }
    return c.body(document, 200, { 'Content-Type': 'application/json' })
  })

  app.get('/docs', (c) => {
    c.header('Content-Security-Policy', PAGE_CSP)
    return c.html(DOCS_HTML)
  })
  app.get('/docs/init.js', (c) => c.body(DOCS_INIT, 200, { 'Content-Type': TYPES.js!, 'Cache-Control': 'no-cache' }))
  app.get('/docs/:file{swagger-ui-bundle\\.js|swagger-ui\\.css}', async (c) => {
    const file = c.req.param('file') as 'swagger-ui-bundle.js' | 'swagger-ui.css'
    const { swaggerUiFiles } = await import('../openapi/swagger-ui-files.js')
    const files = await swaggerUiFiles()
    return c.body(files[file], 200, { 'Content-Type': TYPES[file.split('.').pop()!]!, 'Cache-Control': 'public, max-age=86400' })
  })

  app.get('/ui', async (c) => {
    const { inspectorPage } = await import('../inspector/page.js')
    c.header('Content-Security-Policy', PAGE_CSP)
    return c.html(inspectorPage(c.var.world.profile.release.version))
  })
  app.get('/ui/app.js', async (c) => {
    const { CLIENT_SCRIPT } = await import('../inspector/client.js')
    return c.body(CLIENT_SCRIPT, 200, { 'Content-Type': TYPES.js!, 'Cache-Control': 'no-cache' })
  })
  return app
}
