/** @module The process entry (the only file that reads argv and env or exits; the installed command, src/cli/launch.ts, reads only the code cache's variables before running this): parse flags and GITLAB_MOCK_* variables through the option table, start the server, print where it listens and the well-known tokens, stop cleanly on SIGTERM/SIGINT. Every failure is one line on stderr and exit code 2. */
import { isIP } from 'node:net'
import { lookup } from 'node:dns/promises'
import pkg from '../package.json' with { type: 'json' }
import { CliError, helpText, parseCli, type CliSettings } from './cli/options.js'
import { formatLogLine } from './http/log-types.js'
import { FixtureError, type Fixture } from './seed/fixture-types.js'
import { loadFixture } from './seed/load-fixture.js'
import { startMockServer, type MockServer } from './server.js'
import { DEFAULT_GITLAB_VERSION, GitLabVersionError } from './domain/gitlab-version.js'
import { CONTROL_PREFIX } from './control/constants.js'
import { DEFAULT_FIXTURE, MockWorld, registrationTokenNote } from './world.js'
import type { TokenInfo } from './well-known-tokens.js'
import { buildCompactly } from './cli/compact-build.js'

const TITLE = `gitlab-runners-mock ${pkg.version}: a fake of GitLab's Runners API (/api/v4), GitLab ${DEFAULT_GITLAB_VERSION} behaviour by default`

function fail(message: string): never {
  process.stderr.write(`gitlab-runners-mock: ${message}\n`)
  process.exit(2)
}

/** A listen or lookup failure as one line with its fix. */
function listenProblem(error: NodeJS.ErrnoException, host: string, port: number): string | undefined {
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${port} on ${host} is already in use: stop what listens there, choose another --port, or use --port 0 to pick a free one`
    case 'EACCES':
      return `no permission to listen on port ${port}: use a port above 1023, or --port 0 to pick a free one`
    case 'EADDRNOTAVAIL':
      return `address ${host} is not an address of this machine: use --host 127.0.0.1, --host 0.0.0.0 (all interfaces) or one of this machine's addresses`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return `host ${host} does not resolve (${error.code}): use an IP address such as 127.0.0.1 or 0.0.0.0, or a name this machine resolves`
    default:
      return undefined
  }
}

/** A fixture problem as one line (a fixture with several schema or reference problems lists them, one a line, after it). */
function fixtureProblem(error: FixtureError, path: string): string {
  const [first] = error.problems
  if (error.problems.length === 1 && first && first.path === '')
    return first.message.startsWith('cannot read')
      ? `${first.message}: check the --fixture (GITLAB_MOCK_FIXTURE) path; relative paths start at ${process.cwd()}`
      : `${first.message}: fix the JSON at that place`
  if (path && error.problems.length === 1 && first) return `invalid fixture ${path}: ${first.path}: ${first.message}`
  return error.message
}

function tokenLines(list: TokenInfo[]): string[] {
  const lines: string[] = ['  personal access tokens:']
  for (const t of list) {
    if (t.kind !== 'personal_access_token') continue
    const notes = [t.role, `scopes ${t.scopes.join(',')}`, t.expired ? 'EXPIRED' : '', t.revoked ? 'REVOKED' : '', t.userState === 'blocked' ? 'user blocked' : '']
    lines.push(`    ${t.user.padEnd(10)} ${t.token.padEnd(28)} ${notes.filter(Boolean).join('; ')}`)
  }
  const instance = list.find((t) => t.kind === 'registration_token' && t.owner === 'instance')
  lines.push(`  registration tokens: instance ${instance?.token ?? '(none)'}`)
  for (const t of list) if (t.kind === 'registration_token' && t.owner !== 'instance') lines.push(`    ${t.owner.padEnd(7)} ${(t.path ?? '').padEnd(22)} ${t.token}`)
  const runners = list.filter((t) => t.kind === 'runner_authentication_token')
  lines.push(`  runner authentication tokens:${runners.length === 0 ? ' (the fixture names no runners)' : ''}`)
  for (const t of runners)
    lines.push(`    #${t.runnerId} ${t.token}  ${t.runnerType}${t.description ? ` "${t.description}"` : ''}${t.expired ? '; EXPIRED' : ''}`)
  return lines
}

function banner(server: MockServer, settings: CliSettings, bound: string): string {
  const world = server.world
  const tokens = server.tokens
  if (settings['log-format'] === 'json')
    return formatLogLine('json', {
      level: 'info',
      msg: 'listening',
      gitlab_version: world.profile.version,
      registration_tokens: registrationTokenNote(world),
      url: `${server.url}/api/v4`,
      bound,
      control_url: settings.control ? `${server.url}${CONTROL_PREFIX}` : null,
      seed: world.seed,
      runners: world.store.state.runners.size,
      tokens: tokens.list,
    })
  return [
    `${new Date().toISOString()} gitlab-runners-mock: GitLab ${world.profile.version} Runners API on ${server.url}/api/v4 (seed ${world.seed}, ${world.store.state.runners.size} runners)`,
    `  emulating GitLab ${world.profile.release.version}; ${registrationTokenNote(world)}`,
    `  listening on ${bound}; clients use ${server.url} as GitLab's URL`,
    `  control API: ${settings.control ? `${server.url}${CONTROL_PREFIX}` : 'off'}`,
    ...(settings.control ? [`  inspector: ${server.url}${CONTROL_PREFIX}/ui   API docs: ${server.url}${CONTROL_PREFIX}/docs   OpenAPI: ${server.url}${CONTROL_PREFIX}/openapi.json`] : []),
    ...tokenLines(tokens.list),
  ].join('\n')
}

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2), process.env)
  if (command.kind === 'help') return void process.stdout.write(helpText(TITLE))
  if (command.kind === 'version') return void process.stdout.write(`${pkg.version}\n`)
  const settings = command.settings
  const host = settings.host
  // Resolve a name first, so a typo fails with its own message (the server binds the same address).
  if (isIP(host) === 0) {
    try {
      await lookup(host)
    } catch (error) {
      fail(listenProblem(error as NodeJS.ErrnoException, host, settings.port) ?? `host ${host} does not resolve: ${(error as Error).message}`)
    }
  }

  let fixture: Fixture = DEFAULT_FIXTURE
  if (settings.fixture) {
    try {
      fixture = await loadFixture(settings.fixture)
    } catch (error) {
      if (error instanceof FixtureError) fail(fixtureProblem(error, settings.fixture))
      throw error
    }
  }
  const expiration = settings['runner-token-expiration']
  if (expiration !== undefined)
    fixture = { ...fixture, settings: { ...fixture.settings, runner_token_expiration_interval: expiration || null } }
  const world = buildCompactly(
    () => new MockWorld({ seed: settings.seed, fixture, clock: settings.clock ?? null, gitlabVersion: settings['gitlab-version'] }),
  )
  let server: MockServer
  try {
    server = await startMockServer({
      world,
      port: settings.port,
      host,
      externalUrl: settings['external-url'],
      controlToken: settings['control-token'] || undefined,
      control: settings.control,
      bodyLimit: settings['body-limit'],
      logLevel: settings['log-level'],
      logFormat: settings['log-format'],
      maxWorlds: settings['max-worlds'],
      journalSize: settings['journal-size'],
      rateLimit: settings['rate-limit'],
    })
  } catch (error) {
    const line = listenProblem(error as NodeJS.ErrnoException, host, settings.port)
    if (line) fail(line)
    throw error
  }
  const bound = `${host.includes(':') ? `[${host}]` : host}:${server.port}`
  if (settings['log-level'] !== 'silent') process.stdout.write(`${banner(server, settings, bound)}\n`)

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    const forced = setTimeout(() => process.exit(0), 900)
    forced.unref()
    server.close().then(
      () => {
        if (settings['log-level'] !== 'silent')
          process.stdout.write(
            `${settings['log-format'] === 'json' ? formatLogLine('json', { level: 'info', msg: 'stopped', signal }) : `${new Date().toISOString()} gitlab-runners-mock: stopped (${signal})`}\n`,
          )
        process.exit(0)
      },
      () => process.exit(0),
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  if (error instanceof CliError) fail(error.message)
  if (error instanceof FixtureError || error instanceof GitLabVersionError) fail(error.message)
  fail(`unexpected error: ${(error as Error)?.message ?? String(error)} (a bug: please report it with the command you ran)`)
})
