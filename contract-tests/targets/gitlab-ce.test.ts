import { describe, expect, it } from 'vitest'
import {
  DEFAULT_GITLAB_CE_VERSION,
  gitlabCeContainer,
  gitlabCeDefinition,
  parseRailsSetup,
  railsSetupScript,
  readinessOk,
  startGitlabCe,
} from './gitlab-ce.js'
import { gitlabSettings } from './gitlab-world.js'
import { wantedTargets } from './index.js'

describe('the gitlab/gitlab-ce container definition', () => {
  it('uses 15.11.13-ce.0 by default and GITLAB_CE_VERSION when set', () => {
    expect(gitlabCeDefinition({}).image).toBe(`gitlab/gitlab-ce:${DEFAULT_GITLAB_CE_VERSION}`)
    expect(DEFAULT_GITLAB_CE_VERSION).toBe('15.11.13-ce.0')
    expect(gitlabCeDefinition({ GITLAB_CE_VERSION: '16.11.10-ce.0' }).image).toBe('gitlab/gitlab-ce:16.11.10-ce.0')
  })

  it('exposes port 80 and waits on /-/readiness?all=1 for up to 15 minutes', () => {
    const d = gitlabCeDefinition({ GITLAB_ROOT_PASSWORD: 'Secret-Root-1!' })
    expect(d.ports).toEqual([80])
    expect(d.wait).toEqual({ kind: 'http', path: '/-/readiness?all=1', port: 80, timeoutMs: 900_000 })
    expect(d.env.GITLAB_ROOT_PASSWORD).toBe('Secret-Root-1!')
    expect(d.env.GITLAB_OMNIBUS_CONFIG).toContain("external_url 'http://localhost'")
    expect(d.env.GITLAB_OMNIBUS_CONFIG).toContain("gitlab_rails['monitoring_whitelist']")
  })

  it('builds a testcontainers container from the definition without starting it', async () => {
    const container = await gitlabCeContainer(gitlabCeDefinition({}))
    expect(container.constructor.name).toBe('GenericContainer')
  })

  it('reads readiness: ready only when the status and every check say ok', () => {
    expect(readinessOk('{"status":"ok","master_check":[{"status":"ok"}],"db_check":[{"status":"ok"}],"redis_check":[{"status":"ok"}]}')).toBe(true)
    expect(readinessOk('{"status":"failed","master_check":[{"status":"ok"}],"db_check":[{"status":"failed","message":"unexpected Db check result: 0"}]}')).toBe(false)
    expect(readinessOk('{"status":"ok","gitaly_check":[{"status":"ok"},{"status":"failed"}]}')).toBe(false)
    expect(readinessOk('<html>502 Whoops, GitLab is taking too much time to respond.</html>')).toBe(false)
    expect(readinessOk('')).toBe(false)
  })

  it('makes the admin token inside the container and parses it from the runner\'s noisy output', () => {
    const script = railsSetupScript('glpat-0123456789abcdef0123')
    expect(script).toContain("token.set_token('glpat-0123456789abcdef0123')")
    expect(script).toContain('runners_registration_token')
    const output = 'WARNING: something\nCONTRACT-SETUP:{"admin_token":"glpat-0123456789abcdef0123","registration_token":"GR1348941abc"}\n'
    expect(parseRailsSetup(output)).toEqual({ adminToken: 'glpat-0123456789abcdef0123', registrationToken: 'GR1348941abc' })
    expect(() => parseRailsSetup('Traceback (most recent call last)')).toThrow(/printed no CONTRACT-SETUP: line/)
  })

  const live = process.env.GITLAB_CE_START === '1'
  if (!live)
    console.warn('gitlab/gitlab-ce live start skipped: it pulls a ~3 GB image and needs 4+ GB of RAM and several minutes; set GITLAB_CE_START=1 where that is possible')
  it.skipIf(!live)('starts GitLab CE, waits until ready and creates a working admin token (GITLAB_CE_START=1 only)', { timeout: 20 * 60_000 }, async () => {
    const gitlab = await startGitlabCe()
    try {
      const res = await fetch(`${gitlab.url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': gitlab.adminToken } })
      expect(((await res.json()) as { is_admin: boolean }).is_admin).toBe(true)
    } finally {
      await gitlab.stop()
    }
  })
})

describe('choosing targets from the environment', () => {
  it('runs every target by default and only the named ones with CONTRACT_TARGETS', () => {
    expect([...wantedTargets({})]).toEqual(['fake', 'docker', 'gitlab'])
    expect([...wantedTargets({ CONTRACT_TARGETS: 'fake, gitlab' })]).toEqual(['fake', 'gitlab'])
  })

  it('skips the real GitLab with its reason when GITLAB_URL or the admin token is missing', () => {
    expect(gitlabSettings({})).toEqual({ skip: 'GITLAB_URL is not set (set GITLAB_URL and GITLAB_ADMIN_TOKEN to run the suite against a real GitLab)' })
    expect(gitlabSettings({ GITLAB_URL: 'http://127.0.0.1:8080' })).toMatchObject({ skip: expect.stringContaining('GITLAB_ADMIN_TOKEN is not') })
    expect(gitlabSettings({ GITLAB_URL: 'http://127.0.0.1:8080/', GITLAB_ADMIN_TOKEN: 't', GITLAB_ALLOW_DESTRUCTIVE: '1' })).toEqual({
      url: 'http://127.0.0.1:8080',
      adminToken: 't',
      userToken: undefined,
      registrationToken: undefined,
      allowDestructive: true,
    })
  })
})
