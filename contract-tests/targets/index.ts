/**
 * @module The three targets and how the environment chooses them: CONTRACT_TARGETS (default
 * `fake,docker,gitlab`) names the wanted ones; each then starts, or says why it cannot run here.
 */
import { existsSync } from 'node:fs'
import type { ContractWorld, TargetEndpoint, TargetName, TargetStart } from '../lib/types.js'
import { startFakeTarget } from './fake.js'
import { fakeWorld } from './fake-world.js'
import { startGitlabCe } from './gitlab-ce.js'
import { gitlabSettings, gitlabWorld } from './gitlab-world.js'

export interface TargetDefinition {
  name: TargetName
  /** Unique per definition: `fake@17.11` (the fake runs once per version), `docker`, `gitlab`. */
  id: string
  /** What it is, for the report. */
  label: string
  start(): Promise<TargetStart>
  /** Establish the scenarios' preconditions on a started target. */
  world(endpoint: TargetEndpoint, runId: string): Promise<ContractWorld>
}

export const ALL_TARGETS: TargetName[] = ['fake', 'docker', 'gitlab']

/** The versions the in-process fake runs the suite at (the Docker image runs its default, 18.11). */
export const FAKE_VERSIONS = ['15.11', '16.11', '17.11', '18.11'] as const

export function wantedTargets(env: NodeJS.ProcessEnv = process.env): Set<TargetName> {
  const raw = env.CONTRACT_TARGETS?.trim()
  if (!raw) return new Set(ALL_TARGETS)
  return new Set(raw.split(',').map((s) => s.trim()).filter((s): s is TargetName => (ALL_TARGETS as string[]).includes(s)))
}

/** The Docker target comes from contract-tests/targets/docker.ts (the Docker issue); imported only when present. */
async function startDocker(): Promise<TargetStart> {
  if (!['docker.ts', 'docker.js'].some((f) => existsSync(new URL(`./${f}`, import.meta.url)))) return { skip: 'docker target not available' }
  const specifier = './docker.js'
  const mod = (await import(/* @vite-ignore */ specifier)) as { startDockerTarget?: () => Promise<TargetStart> }
  if (typeof mod.startDockerTarget !== 'function') return { skip: 'docker target not available' }
  return mod.startDockerTarget()
}

let gitlabCredentials: { adminToken: string; registrationToken?: string } | undefined

async function startGitlab(env: NodeJS.ProcessEnv): Promise<TargetStart> {
  if (!env.GITLAB_URL && env.GITLAB_CE_START === '1') {
    const running = await startGitlabCe(env)
    gitlabCredentials = { adminToken: running.adminToken, registrationToken: running.registrationToken }
    return { baseUrl: running.url, stop: running.stop }
  }
  const settings = gitlabSettings(env)
  if ('skip' in settings) return settings
  return { baseUrl: settings.url, stop: async () => undefined }
}

export function targetDefinitions(env: NodeJS.ProcessEnv = process.env): TargetDefinition[] {
  return [
    ...FAKE_VERSIONS.map(
      (version): TargetDefinition => ({
        name: 'fake',
        id: `fake@${version}`,
        label: `the fake, in-process (startMockServer), GitLab ${version}`,
        start: () => startFakeTarget(version),
        world: (e, id) => fakeWorld('fake', e, id),
      }),
    ),
    { name: 'docker', id: 'docker', label: "the fake's Docker image (testcontainers), default version", start: startDocker, world: (e, id) => fakeWorld('docker', e, id) },
    {
      name: 'gitlab',
      id: 'gitlab',
      label: 'a real GitLab (GITLAB_URL, or GITLAB_CE_START=1 for gitlab/gitlab-ce in Docker)',
      start: () => startGitlab(env),
      world: (endpoint, runId) =>
        gitlabWorld(
          {
            url: endpoint.baseUrl,
            adminToken: gitlabCredentials?.adminToken ?? env.GITLAB_ADMIN_TOKEN ?? '',
            userToken: env.GITLAB_USER_TOKEN || undefined,
            registrationToken: gitlabCredentials?.registrationToken ?? (env.GITLAB_REGISTRATION_TOKEN || undefined),
            allowDestructive: env.GITLAB_ALLOW_DESTRUCTIVE === '1' || gitlabCredentials !== undefined,
          },
          runId,
        ),
    },
  ]
}
