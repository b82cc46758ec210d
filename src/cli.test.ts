import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { OPTIONS, helpText, parseCli } from './cli/options.js'

const ROOT = new URL('..', import.meta.url)
const HANG_BOUND_MS = 5_000
const children: ChildProcess[] = []

interface Cli {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Run src/cli.ts in its own Node process (tsx loads the TypeScript), with only the given variables set. */
function runCli(args: string[], env: Record<string, string> = {}): Cli {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('GITLAB_MOCK_') && k !== 'PORT' && k !== 'HOST'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...clean, ...env } })
  children.push(child)
  let out = ''
  let err = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d))
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d))
  // 'close', not 'exit': at 'exit' the child's pipes may still hold what it wrote last (a clean-clone CI run once read
  // an empty stderr from a CLI that had exited with code 2 after writing its one line).
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  )
  return { child, stdout: () => out, stderr: () => err, exit }
}

/** Wait for the CLI's first line and return the API base URL it printed. */
async function printedUrl(cli: Cli): Promise<string> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const match = /on (http:\/\/\S+)\/api\/v4 /.exec(cli.stdout())
    if (match && cli.stdout().includes('runner authentication tokens')) return match[1] as string
    if (cli.child.exitCode !== null) throw new Error(`the CLI exited: ${cli.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no URL printed: ${cli.stdout()} ${cli.stderr()}`)
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// After all tests, not each: the failure cases run concurrently and must not kill each other's children.
afterAll(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('the CLI', () => {
  it('prints the real URL for --port 0 and the well-known tokens, serves them, and exits 0 on SIGTERM', async () => {
    const cli = runCli(['--port', '0', '--host', '127.0.0.1', '--clock', '2026-01-15T12:00:00Z', '--seed', '3'])
    const url = await printedUrl(cli)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(url).not.toMatch(/:0$/)
    const out = cli.stdout()
    for (const text of [
      'root       glpat-AdminToken0000000001',
      'bob        glpat-MaintainerToken00001',
      'bob        glpat-ExpiredToken00000001   user; scopes api; EXPIRED',
      'bob        glpat-RevokedToken00000001   user; scopes api; REVOKED',
      'instance InstanceRegToken0001',
      '#1 SharedRunnerToken001  instance_type',
      '(seed 3, 31 runners)',
    ])
      expect(out).toContain(text)
    expect(out).toContain(`control API: ${url}/-/mock`)
    expect(out).toContain(`inspector: ${url}/-/mock/ui   API docs: ${url}/-/mock/docs   OpenAPI: ${url}/-/mock/openapi.json`)
    expect(out).toContain(`listening on 127.0.0.1:${new URL(url).port}; clients use ${url} as GitLab's URL`)

    const user = await fetch(`${url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' } })
    expect(await user.json()).toMatchObject({ username: 'root', is_admin: true })
    expect(await (await fetch(`${url}/-/mock/clock`)).json()).toEqual({ now: '2026-01-15T12:00:00.000Z', frozen: true })

    const started = Date.now()
    cli.child.kill('SIGTERM')
    expect(await cli.exit).toEqual({ code: 0, signal: null })
    expect(Date.now() - started).toBeLessThan(HANG_BOUND_MS)
  })

  it('takes its settings from PORT, HOST and GITLAB_MOCK_* variables', async () => {
    const cli = runCli([], {
      PORT: '0',
      HOST: '127.0.0.1',
      GITLAB_MOCK_SEED: '4',
      GITLAB_MOCK_CLOCK: '2027-06-01T00:00:00Z',
      GITLAB_MOCK_CONTROL_TOKEN: 'ctl',
      GITLAB_MOCK_EXTERNAL_URL: 'https://gitlab.example.com',
    })
    const url = await printedUrl(cli)
    expect(cli.stdout()).toContain('(seed 4, 31 runners)')
    expect((await fetch(`${url}/-/mock/clock`)).status).toBe(401)
    expect(await (await fetch(`${url}/-/mock/clock`, { headers: { 'X-Mock-Control-Token': 'ctl' } })).json()).toEqual({
      now: '2027-06-01T00:00:00.000Z',
      frozen: true,
    })
    const user = await fetch(`${url}/api/v4/user`, { headers: { 'PRIVATE-TOKEN': 'glpat-PlainUserToken000001' } })
    expect(((await user.json()) as { web_url: string }).web_url).toBe('https://gitlab.example.com/erin')
    cli.child.kill('SIGTERM')
    expect((await cli.exit).code).toBe(0)
  })

  it('loads --fixture and switches the control API off with --no-control', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitlab-mock-cli-'))
    const path = join(dir, 'world.json')
    writeFileSync(path, JSON.stringify({ users: [{ username: 'zed', tokens: [{ token: 'glpat-zed' }] }], generate: { runners: 7 } }))
    const cli = runCli(['--port', '0', '--host', '127.0.0.1', '--fixture', path, '--no-control'])
    const url = await printedUrl(cli)
    expect(cli.stdout()).toContain('7 runners)')
    expect(cli.stdout()).toContain('zed        glpat-zed')
    const res = await fetch(`${url}/-/mock/state`)
    expect([res.status, await res.json()]).toEqual([404, { error: '404 Not Found' }])
    cli.child.kill('SIGINT')
    expect((await cli.exit).code).toBe(0)
  })

  it('exits 2 on a bad fixture, printing every problem and serving nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitlab-mock-cli-'))
    const path = join(dir, 'bad.json')
    writeFileSync(path, JSON.stringify({ users: [{ username: 'a', admin: 'yes' }], projects: [{ path_with_namespace: 'ghost/p' }] }))
    const cli = runCli(['--port', '0', '--fixture', path])
    expect((await cli.exit).code).toBe(2)
    expect(cli.stdout()).toBe('')
    expect(cli.stderr()).toBe(
      [
        'gitlab-runners-mock: invalid fixture (2 problems):',
        '  /users/0/admin: must be boolean',
        '  /projects/0/path_with_namespace: namespace ghost is neither a group nor a user',
        '',
      ].join('\n'),
    )
  })

  it('prints its version and a help generated from the option table', async () => {
    const version = runCli(['--version'])
    expect((await version.exit).code).toBe(0)
    expect(version.stdout()).toBe(`${(JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string }).version}\n`)
    const help = runCli(['--help'])
    expect((await help.exit).code).toBe(0)
    expect(help.stdout()).toBe(helpText(help.stdout().split('\n')[0] as string))
    for (const row of OPTIONS) expect(help.stdout()).toContain(row.env)
  })

  it('loads a fixture that names runners without ids and lists their tokens, and warns about a stale intent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitlab-mock-cli-'))
    const path = join(dir, 'world.json')
    writeFileSync(path, JSON.stringify({ runners: [{ runner_type: 'instance_type', description: 'old', contacted_at: '-4mo' }] }))
    const cli = runCli(['--port', '0', '--host', '127.0.0.1', '--fixture', path])
    await printedUrl(cli)
    expect(cli.stdout()).toMatch(/#1 \S+ {2}instance_type "old"/)
    await until(() => cli.stderr().includes('\n'))
    expect(cli.stderr()).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z fixture warning: \/runners\/0\/contacted_at: is older than 7 days but created_at is not set/) // the default version's window
    cli.child.kill('SIGTERM')
    expect((await cli.exit).code).toBe(0)
  })
})

describe.concurrent('CLI failures: one line on stderr naming the problem and the fix, exit code 2, nothing on stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitlab-mock-cli-'))
  const broken = join(dir, 'broken.json')
  writeFileSync(broken, '{\n  "users": [\n    { "username" "x" }\n  ]\n}\n')
  const missing = join(dir, 'missing.json')
  const cases: Array<[string, string[], Record<string, string>, string | RegExp]> = [
    ['a port out of range', ['--port', '99999'], {}, '--port must be a whole number from 0 to 65535, got "99999"'],
    ['a port that is not a number', ['--port', 'eighty'], {}, '--port must be a whole number from 0 to 65535, got "eighty"'],
    ['a bad PORT variable', [], { PORT: '-1' }, 'PORT must be a whole number from 0 to 65535, got "-1"'],
    ['a host that does not resolve', ['--port', '0', '--host', '999.1.1.1'], {}, /^host 999\.1\.1\.1 does not resolve \((ENOTFOUND|EAI_AGAIN)\): use an IP address such as 127\.0\.0\.1 or 0\.0\.0\.0, or a name this machine resolves$/],
    ['a missing fixture file', ['--port', '0', '--fixture', missing], {}, `cannot read ${missing}: no such file (ENOENT): check the --fixture (GITLAB_MOCK_FIXTURE) path; relative paths start at ${fileURLToPath(ROOT).replace(/\/$/, '')}`],
    ['a fixture that is not JSON', ['--port', '0'], { GITLAB_MOCK_FIXTURE: broken }, `${broken} is not JSON: line 3, column 18: Expected ':' after property name: fix the JSON at that place`],
    ['a bad boolean variable', ['--port', '0'], { GITLAB_MOCK_CONTROL: 'maybe' }, 'GITLAB_MOCK_CONTROL must be one of true/1/yes/on/false/0/no/off, got "maybe"'],
    ['a bad log level variable', ['--port', '0'], { GITLAB_MOCK_LOG_LEVEL: 'loud' }, 'GITLAB_MOCK_LOG_LEVEL must be one of silent, error, info, debug, got "loud"'],
    ['a clock that is not an instant', ['--port', '0', '--clock', 'tomorrow'], {}, '--clock must be an ISO instant such as 2026-01-15T12:00:00Z, got "tomorrow"'],
    ['an unknown flag', ['--prot', '0'], {}, 'unknown option --prot (gitlab-runners-mock --help lists the options)'],
    ['a flag without its value', ['--port'], {}, '--port needs a value <n>'],
    ['a rate limit that is not n/period', ['--port', '0', '--rate-limit', 'lots'], {}, '--rate-limit must look like 600/60s (requests per period, s, m or h), got "lots"'],
  ]
  it.each(cases)('%s', async (_name, args, env, expected) => {
    const cli = runCli(args, env)
    expect((await cli.exit).code).toBe(2)
    expect(cli.stdout()).toBe('')
    const lines = cli.stderr().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toBe('')
    const message = (lines[0] as string).replace(/^gitlab-runners-mock: /, '')
    if (typeof expected === 'string') expect(message).toBe(expected)
    else expect(message).toMatch(expected)
  })

  it('a port in use, suggesting --port 0', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as AddressInfo).port
    try {
      const cli = runCli(['--port', String(port), '--host', '127.0.0.1'])
      expect((await cli.exit).code).toBe(2)
      expect(cli.stdout()).toBe('')
      expect(cli.stderr()).toBe(
        `gitlab-runners-mock: port ${port} on 127.0.0.1 is already in use: stop what listens there, choose another --port, or use --port 0 to pick a free one\n`,
      )
    } finally {
      blocker.close()
    }
  })

  it('takes every spelling of a boolean variable', async () => {
    for (const [value, on] of [['no', false], ['OFF', false], ['0', false], ['false', false], ['yes', true], ['on', true], ['1', true], ['TRUE', true]] as const) {
      const command = parseCli([], { GITLAB_MOCK_CONTROL: value })
      expect(command.kind === 'serve' && command.settings.control).toBe(on)
    }
    const flag = parseCli(['--no-control'], { GITLAB_MOCK_CONTROL: 'on' })
    expect(flag.kind === 'serve' && flag.settings.control).toBe(false)
  })

  it('emulates the version --gitlab-version or GITLAB_MOCK_GITLAB_VERSION names (default 18.11), and says so', async () => {
    const byEnv = runCli(['--port', '0'], { GITLAB_MOCK_GITLAB_VERSION: '16.11' })
    const url = await printedUrl(byEnv)
    expect(byEnv.stdout()).toContain('GitLab 16.11 Runners API on')
    expect(byEnv.stdout()).toContain("emulating GitLab 16.11.0; registration tokens allowed by the fixture's allow_runner_registration_token")
    const version = await fetch(`${url}/api/v4/version`, { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' } })
    expect(((await version.json()) as { version: string }).version).toBe('16.11.0')
    byEnv.child.kill('SIGTERM')
    expect((await byEnv.exit).code).toBe(0)

    const byDefault = runCli(['--port', '0'])
    await printedUrl(byDefault)
    expect(byDefault.stdout()).toContain('emulating GitLab 18.11.0;')
    byDefault.child.kill('SIGTERM')
    await byDefault.exit
  })

  it('exits 2 with one line naming the range for a version it does not emulate', async () => {
    const cli = runCli(['--port', '0', '--gitlab-version', '19.0'])
    expect((await cli.exit).code).toBe(2)
    expect(cli.stdout()).toBe('')
    expect(cli.stderr()).toBe('gitlab-runners-mock: unsupported GitLab version "19.0": give X.Y from 15.11 through 18.11 (for example 16.11, 17.0 or 18.11)\n')
  })

  it('takes --max-worlds, --journal-size and --rate-limit', async () => {
    const cli = runCli(['--port', '0', '--log-level', 'error', '--max-worlds', '3', '--journal-size', '0', '--rate-limit', '2/1h'])
    const url = await printedUrl(cli)
    const worlds = (await (await fetch(`${url}/-/mock/worlds`)).json()) as { max_worlds: number }
    expect(worlds.max_worlds).toBe(3)
    expect(await (await fetch(`${url}/-/mock/rate-limit`)).json()).toEqual({ enabled: true, limit: 2, period_seconds: 3600 })
    expect(((await (await fetch(`${url}/-/mock/requests`)).json()) as { enabled: boolean }).enabled).toBe(false)
    cli.child.kill('SIGTERM')
    await cli.exit
  })
})
