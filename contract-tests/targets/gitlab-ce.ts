/**
 * @module A real GitLab in a container for the contract suite: `gitlab/gitlab-ce:<GITLAB_CE_VERSION>` (default
 * 15.11.13-ce.0) through testcontainers, waited on until /-/readiness?all=1 reports every check ok, then an
 * admin token and the instance registration token are made inside it with `gitlab-rails runner`.
 * The definition and the parsers are plain functions, so they are tested offline.
 */
import { randomBytes } from 'node:crypto'

export const DEFAULT_GITLAB_CE_VERSION = '15.11.13-ce.0'
export const GITLAB_HTTP_PORT = 80
export const READINESS_PATH = '/-/readiness?all=1'
/** GitLab needs minutes to boot (reconfigure, migrations): the wait gives it 15. */
export const STARTUP_TIMEOUT_MS = 15 * 60_000

export interface GitLabCeDefinition {
  image: string
  env: Record<string, string>
  ports: number[]
  shmSizeBytes: number
  wait: { kind: 'http'; path: string; port: number; timeoutMs: number }
}

/** Omnibus settings that make a test instance boot faster and lighter (no monitoring, few workers). */
const OMNIBUS_CONFIG = [
  "external_url 'http://localhost'",
  "gitlab_rails['initial_root_password'] = ENV['GITLAB_ROOT_PASSWORD']",
  "gitlab_rails['monitoring_whitelist'] = ['0.0.0.0/0', '::/0']",
  "prometheus_monitoring['enable'] = false",
  "puma['worker_processes'] = 0",
  "sidekiq['max_concurrency'] = 5",
  "gitlab_kas['enable'] = false",
  "registry['enable'] = false",
].join('; ')

export function gitlabCeDefinition(env: NodeJS.ProcessEnv = process.env): GitLabCeDefinition {
  const version = env.GITLAB_CE_VERSION || DEFAULT_GITLAB_CE_VERSION
  return {
    image: `gitlab/gitlab-ce:${version}`,
    env: { GITLAB_OMNIBUS_CONFIG: OMNIBUS_CONFIG, GITLAB_ROOT_PASSWORD: env.GITLAB_ROOT_PASSWORD || `Root-${randomBytes(9).toString('hex')}!` },
    ports: [GITLAB_HTTP_PORT],
    shmSizeBytes: 256 * 1024 * 1024,
    wait: { kind: 'http', path: READINESS_PATH, port: GITLAB_HTTP_PORT, timeoutMs: STARTUP_TIMEOUT_MS },
  }
}

/**
 * Whether a /-/readiness?all=1 body says GitLab is ready: `status` "ok" and every `*_check` entry "ok".
 * Anything else (HTML while booting, a 502 page, a failing check) is "not ready yet", never an error.
 */
export function readinessOk(body: string): boolean {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return false
  }
  if (parsed === null || typeof parsed !== 'object' || (parsed as { status?: unknown }).status !== 'ok') return false
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!key.endsWith('_check')) continue
    if (!Array.isArray(value) || value.some((entry) => (entry as { status?: unknown })?.status !== 'ok')) return false
  }
  return true
}

const MARKER = 'CONTRACT-SETUP:'

/** The Ruby run inside the container: an admin PAT with a known value, and the instance registration token, printed as one JSON line. */
export function railsSetupScript(adminToken: string): string {
  return [
    "user = User.find_by_username('root')",
    "token = user.personal_access_tokens.create!(scopes: [:api, :sudo], name: 'contract-suite', expires_at: 2.days.from_now)",
    `token.set_token('${adminToken}')`,
    'token.save!',
    `puts '${MARKER}' + { admin_token: token.token, registration_token: Gitlab::CurrentSettings.current_application_settings.runners_registration_token }.to_json`,
  ].join('; ')
}

/** The admin and registration tokens from the rails runner's output (it prints warnings around them). */
export function parseRailsSetup(output: string): { adminToken: string; registrationToken: string } {
  const line = output.split('\n').find((l) => l.startsWith(MARKER))
  if (!line) throw new Error(`gitlab-rails runner printed no ${MARKER} line; output was:\n${output.slice(-2000)}`)
  const parsed = JSON.parse(line.slice(MARKER.length)) as { admin_token?: unknown; registration_token?: unknown }
  if (typeof parsed.admin_token !== 'string' || typeof parsed.registration_token !== 'string') throw new Error(`unexpected setup output: ${line}`)
  return { adminToken: parsed.admin_token, registrationToken: parsed.registration_token }
}

export function newAdminTokenValue(): string {
  return `glpat-${randomBytes(10).toString('hex')}`
}

export interface RunningGitLab {
  url: string
  adminToken: string
  registrationToken: string
  stop(): Promise<void>
}

/** Build the testcontainers container for a definition (not started). */
export async function gitlabCeContainer(definition: GitLabCeDefinition) {
  const { GenericContainer, Wait } = await import('testcontainers')
  return new GenericContainer(definition.image)
    .withEnvironment(definition.env)
    .withExposedPorts(...definition.ports)
    .withSharedMemorySize(definition.shmSizeBytes)
    .withWaitStrategy(Wait.forHttp(definition.wait.path, definition.wait.port).forStatusCode(200).forResponsePredicate(readinessOk))
    .withStartupTimeout(definition.wait.timeoutMs)
}

/** Start GitLab CE, wait until ready, create the admin token inside it. Needs Docker, the image (about 3 GB) and 4+ GB of RAM. */
export async function startGitlabCe(env: NodeJS.ProcessEnv = process.env): Promise<RunningGitLab> {
  const definition = gitlabCeDefinition(env)
  const container = await (await gitlabCeContainer(definition)).start()
  try {
    const wanted = newAdminTokenValue()
    const result = await container.exec(['gitlab-rails', 'runner', railsSetupScript(wanted)])
    if (result.exitCode !== 0) throw new Error(`gitlab-rails runner failed (${result.exitCode}): ${result.output.slice(-2000)}`)
    const { adminToken, registrationToken } = parseRailsSetup(result.output)
    return {
      url: `http://${container.getHost()}:${container.getMappedPort(GITLAB_HTTP_PORT)}`,
      adminToken,
      registrationToken,
      stop: async () => {
        await container.stop({ timeout: 30_000 })
      },
    }
  } catch (error) {
    await container.stop().catch(() => undefined)
    throw error
  }
}
