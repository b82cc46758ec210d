import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'

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
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
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

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

describe('the CLI', () => {
  it('prints the real URL for --port 0 and the well-known tokens, serves them, and exits 0 on SIGTERM', async () => {
    const cli = runCli(['--port', '0', '--host', '127.0.0.1', '--clock', '2026-01-15T12:00:00Z', '--seed', '3'])
    const url = await printedUrl(cli)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(url).not.toMatch(/:0$/)
    const out = cli.stdout()
    for (const text of ['root       glpat-AdminToken0000000001', 'bob        glpat-MaintainerToken00001', 'instance InstanceRegToken0001', '#1 SharedRunnerToken001', '(seed 3, 31 runners)'])
      expect(out).toContain(text)
    expect(out).toContain(`control API: ${url}/-/mock`)

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

  it('exits 2 on a bad flag value, saying which', async () => {
    const cli = runCli(['--port', 'eighty', '--clock', '2026-01-15T12:00:00Z'])
    expect((await cli.exit).code).toBe(2)
    expect(cli.stderr()).toBe('gitlab-runners-mock: port must be a whole number, got eighty\n')
    const clock = runCli(['--port', '0', '--clock', 'tomorrow'])
    expect((await clock.exit).code).toBe(2)
    expect(clock.stderr()).toBe('gitlab-runners-mock: --clock must be an ISO instant, got tomorrow\n')
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
})
