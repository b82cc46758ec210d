/** @module The world the fake targets start from for the contract suite: the roles every scenario needs, and one runner with jobs. */
import type { Fixture, FixtureToken, FixtureUser } from '../../src/seed/fixture-types.js'

export const CONTRACT_GROUP = 'contract'
export const CONTRACT_PROJECT = 'contract/app'
export const CONTRACT_OTHER_PROJECT = 'contract/lib'

const user = (id: number, username: string, tokens: FixtureToken[], admin = false): FixtureUser => ({
  id,
  username,
  name: username,
  admin,
  created_at: '-400d',
  tokens,
})

export const CONTRACT_FIXTURE: Fixture = {
  description: 'contract-tests: admin, maintainer (of contract/app and contract/lib), reporter and owner of the group contract, an outsider',
  // Registration tokens allowed at every version (GitLab 17+ needs an admin to re-enable them), so the runner-side scenarios can register.
  settings: { registration_token: 'ContractInstanceRegToken01', runner_token_expiration_interval: null, allow_runner_registration_token: true },
  users: [
    user(1, 'root', [{ token: 'glpat-ContractAdmin000001', scopes: ['api', 'sudo'] }], true),
    user(2, 'maintainer', [
      { token: 'glpat-ContractMaint000001', scopes: ['api'] },
      { token: 'glpat-ContractMaintRead01', scopes: ['read_api'] },
      { token: 'glpat-ContractRevoked0001', scopes: ['api'], revoked: true },
      { token: 'glpat-ContractExpired0001', scopes: ['api'], expires_at: '-1d' },
      { token: 'glpat-ContractManage00001', scopes: ['manage_runner'] },
    ]),
    user(3, 'reporter', [{ token: 'glpat-ContractReporter001', scopes: ['api'] }]),
    user(4, 'owner', [{ token: 'glpat-ContractOwner000001', scopes: ['api'] }]),
    user(5, 'outsider', [{ token: 'glpat-ContractOutsider01', scopes: ['api'] }]),
  ],
  groups: [{ id: 20, full_path: CONTRACT_GROUP, name: 'Contract', visibility: 'private', created_at: '-300d', members: { owner: 'owner', reporter: 'reporter' } }],
  projects: [
    { id: 200, path_with_namespace: CONTRACT_PROJECT, name: 'App', visibility: 'private', created_at: '-200d', members: { maintainer: 'maintainer' } },
    { id: 201, path_with_namespace: CONTRACT_OTHER_PROJECT, name: 'Lib', visibility: 'private', created_at: '-200d', members: { maintainer: 'maintainer' } },
  ],
  runners: [
    { id: 1, runner_type: 'project_type', projects: [CONTRACT_PROJECT], description: 'contract-jobs-runner', name: 'gitlab-runner', tag_list: ['docker'],
      ip_address: '10.1.0.1', version: '15.11.0', revision: '436955cb', platform: 'linux', architecture: 'amd64', contacted_at: '-1m', created_at: '-30d' },
  ],
  jobs: [
    { id: 1, runner: 1, project: CONTRACT_PROJECT, user: 'maintainer', status: 'success', stage: 'build', name: 'compile', ref: 'main', created_at: '-3h', started_at: '-179m', finished_at: '-170m', coverage: 81.5 },
    { id: 2, runner: 1, project: CONTRACT_PROJECT, user: 'maintainer', status: 'failed', stage: 'test', name: 'unit', ref: 'main', created_at: '-2h', started_at: '-119m', finished_at: '-110m', failure_reason: 'script_failure' },
    { id: 3, runner: 1, project: CONTRACT_PROJECT, user: 'reporter', status: 'running', stage: 'test', name: 'e2e', ref: 'main', created_at: '-10m', started_at: '-9m' },
    { id: 4, runner: 1, project: CONTRACT_PROJECT, user: null, status: 'pending', stage: 'deploy', name: 'deploy', ref: 'v1.0.0', tag: true, created_at: '-2m' },
  ],
}
