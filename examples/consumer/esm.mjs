// ESM: import the package and its subpaths, answer one request in-process.
import { createApp, DEFAULT_GITLAB_VERSION } from 'gitlab-runners-mock'
import { GitLabRunnersMockContainer } from 'gitlab-runners-mock/testcontainers'
import 'gitlab-runners-mock/vitest-context'

const app = createApp({ seed: 1 })
const res = await app.fetch(new Request('https://gitlab.example.com/api/v4/user', { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' } }))
const user = await res.json()
console.log(JSON.stringify({ status: res.status, username: user.username, version: DEFAULT_GITLAB_VERSION, world: app.world.profile.version, container: typeof GitLabRunnersMockContainer }))
