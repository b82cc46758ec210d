#!/usr/bin/env node
/** @module The process entry (the only file that reads argv and env or exits): parse flags and GITLAB_MOCK_* variables, start the server, print its URL and tokens, stop cleanly on SIGTERM/SIGINT. */
import { parseArgs } from 'node:util'
import type { LogLevel } from './http/request-log.js'
import { FixtureError, type Fixture } from './seed/fixture-types.js'
import { loadFixture } from './seed/load-fixture.js'
import { startMockServer } from './server.js'
import { GITLAB_VERSION } from './http/endpoints/meta.js'
import { CONTROL_PREFIX } from './control/routes.js'
import { DEFAULT_FIXTURE, MockWorld } from './world.js'

const HELP = `gitlab-runners-mock: a fake of GitLab's Runners API (/api/v4), GitLab ${GITLAB_VERSION.version} behaviour

Usage: gitlab-runners-mock [options]

  --port <n>                 port (env PORT, default 8080; 0 picks a free one)
  --host <addr>              interface (env HOST, default 0.0.0.0)
  --seed <n|text>            seed for generated filler and new tokens (env GITLAB_MOCK_SEED, default 1)
  --fixture <path>           world to load instead of fixtures/default.json (env GITLAB_MOCK_FIXTURE)
  --external-url <url>       origin used in Link headers and web_url (env GITLAB_MOCK_EXTERNAL_URL)
  --control-token <t>        require X-Mock-Control-Token on ${CONTROL_PREFIX} (env GITLAB_MOCK_CONTROL_TOKEN)
  --no-control               switch the control API off (env GITLAB_MOCK_CONTROL=off)
  --clock <iso>              freeze the clock at an instant (env GITLAB_MOCK_CLOCK)
  --runner-token-expiration <s>  instance runner-token expiration interval in seconds
                             (env GITLAB_MOCK_RUNNER_TOKEN_EXPIRATION)
  --body-limit <bytes>       largest request body, default 1048576 (env GITLAB_MOCK_BODY_LIMIT)
  --log-level <level>        silent | error | info | debug (env GITLAB_MOCK_LOG_LEVEL, default info)
  --help                     this text
`

function fail(message: string): never {
  process.stderr.write(`gitlab-runners-mock: ${message}\n`)
  process.exit(2)
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) fail(`${name} must be a whole number, got ${value}`)
  return n
}

async function main(): Promise<void> {
  const env = process.env
  let args
  try {
    args = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        seed: { type: 'string' },
        fixture: { type: 'string' },
        'external-url': { type: 'string' },
        'control-token': { type: 'string' },
        'no-control': { type: 'boolean' },
        clock: { type: 'string' },
        'runner-token-expiration': { type: 'string' },
        'body-limit': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values
  } catch (error) {
    fail(`${(error as Error).message}\n\n${HELP}`)
  }
  if (args.help) {
    process.stdout.write(HELP)
    return
  }
  const logLevel = (args['log-level'] ?? env.GITLAB_MOCK_LOG_LEVEL ?? 'info') as LogLevel
  if (!['silent', 'error', 'info', 'debug'].includes(logLevel)) fail(`unknown log level ${logLevel}`)
  const seedText = args.seed ?? env.GITLAB_MOCK_SEED
  const seed = seedText === undefined || seedText === '' ? undefined : /^\d+$/.test(seedText) ? Number(seedText) : seedText
  const fixturePath = args.fixture ?? env.GITLAB_MOCK_FIXTURE
  const expiration = numberOption(args['runner-token-expiration'] ?? env.GITLAB_MOCK_RUNNER_TOKEN_EXPIRATION, 'runner token expiration')
  const clockText = args.clock ?? env.GITLAB_MOCK_CLOCK
  if (clockText && Number.isNaN(Date.parse(clockText))) fail(`--clock must be an ISO instant, got ${clockText}`)

  let fixture: Fixture = fixturePath ? await loadFixture(fixturePath) : DEFAULT_FIXTURE
  if (expiration !== undefined)
    fixture = { ...fixture, settings: { ...fixture.settings, runner_token_expiration_interval: expiration || null } }
  const world = new MockWorld({ seed, fixture, clock: clockText || null })
  const server = await startMockServer({
    world,
    port: numberOption(args.port ?? env.PORT, 'port') ?? 8080,
    host: args.host ?? env.HOST ?? '0.0.0.0',
    externalUrl: args['external-url'] ?? (env.GITLAB_MOCK_EXTERNAL_URL || undefined),
    controlToken: args['control-token'] ?? (env.GITLAB_MOCK_CONTROL_TOKEN || undefined),
    control: !(args['no-control'] || ['off', 'false', '0'].includes((env.GITLAB_MOCK_CONTROL ?? '').toLowerCase())),
    bodyLimit: numberOption(args['body-limit'] ?? env.GITLAB_MOCK_BODY_LIMIT, 'body limit'),
    logLevel,
  })

  if (logLevel !== 'silent') {
    const t = server.tokens
    const lines = [
      `gitlab-runners-mock: GitLab ${GITLAB_VERSION.version} Runners API on ${server.url}/api/v4 (seed ${world.seed}, ${world.store.state.runners.size} runners)`,
      `  control API: ${server.url}${CONTROL_PREFIX}`,
      '  personal access tokens:',
      ...Object.entries(t.users).map(([user, token]) => `    ${user.padEnd(10)} ${token}`),
      `  registration tokens: instance ${t.registration.instance}`,
      ...Object.entries(t.registration.groups).map(([path, token]) => `    group   ${path.padEnd(22)} ${token}`),
      ...Object.entries(t.registration.projects).map(([path, token]) => `    project ${path.padEnd(22)} ${token}`),
      `  runner authentication tokens: ${Object.entries(t.runners).map(([id, token]) => `#${id} ${token}`).join(', ')}`,
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  }

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    const forced = setTimeout(() => process.exit(0), 900)
    forced.unref()
    server.close().then(
      () => {
        if (logLevel !== 'silent') process.stdout.write(`gitlab-runners-mock: stopped (${signal})\n`)
        process.exit(0)
      },
      () => process.exit(0),
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((error: unknown) => {
  if (error instanceof FixtureError) fail(error.message)
  fail((error as Error)?.stack ?? String(error))
})
