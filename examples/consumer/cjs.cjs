// CommonJS: require the package and its subpaths, start a server on a port, call it, stop it.
const { startMockServer } = require('gitlab-runners-mock')
const { GitLabRunnersMockContainer } = require('gitlab-runners-mock/testcontainers')
require('gitlab-runners-mock/vitest-context')

startMockServer({ seed: 1 }).then(async (server) => {
  const res = await fetch(`${server.url}/api/v4/runners/1`, { headers: { 'PRIVATE-TOKEN': server.tokens.users.root } })
  const runner = await res.json()
  // The docs page's Swagger UI files: a CommonJS build reads them from the package's dist/assets.
  const docs = await fetch(`${server.url}/-/mock/docs/swagger-ui.css`)
  await docs.arrayBuffer()
  await server.close()
  console.log(JSON.stringify({ status: res.status, id: runner.id, docs: docs.status, container: typeof GitLabRunnersMockContainer }))
})
