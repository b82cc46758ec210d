/** @module The testcontainers helper without Docker: its settings become the image's environment, and only its own entry loads testcontainers. */
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { GitLabRunnersMockContainer, MOCK_PORT } from './index.js'

/** Reads what GenericContainer keeps for `docker create`. */
class Inspectable extends GitLabRunnersMockContainer {
  settings() {
    return { image: this.imageName.string, env: this.environment, ports: this.exposedPorts, files: this.filesToCopy, contents: this.contentsToCopy }
  }
}

async function bundledPackages(entry: string): Promise<string[]> {
  const result = await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, packages: 'external', logLevel: 'silent' })
  return Object.values(result.metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path))
}

describe('GitLabRunnersMockContainer', () => {
  it('defaults to the gitlab-runners-mock:latest image on port 8080 with error-level logging', () => {
    const settings = new Inspectable().settings()
    expect(settings.image).toBe('gitlab-runners-mock:latest')
    expect(settings.ports).toEqual([MOCK_PORT])
    expect(settings.env).toEqual({ PORT: '8080', GITLAB_MOCK_LOG_LEVEL: 'error' })
  })

  it('turns seed, control token, clock, external URL and log level into GITLAB_MOCK_* variables', () => {
    const settings = new Inspectable('registry.example.com/mock:1')
      .withSeed(7)
      .withControlToken('s3cret')
      .withClock(new Date('2030-01-02T03:04:05Z'))
      .withExternalUrl('http://gitlab:8080')
      .withLogLevel('debug')
      .settings()
    expect(settings.image).toBe('registry.example.com/mock:1')
    expect(settings.env).toEqual({
      PORT: '8080',
      GITLAB_MOCK_LOG_LEVEL: 'debug',
      GITLAB_MOCK_SEED: '7',
      GITLAB_MOCK_CONTROL_TOKEN: 's3cret',
      GITLAB_MOCK_CLOCK: '2030-01-02T03:04:05.000Z',
      GITLAB_MOCK_EXTERNAL_URL: 'http://gitlab:8080',
    })
  })

  it('turns withGitLabVersion into GITLAB_MOCK_GITLAB_VERSION', () => {
    expect(new Inspectable().withGitLabVersion('17.0').settings().env.GITLAB_MOCK_GITLAB_VERSION).toBe('17.0')
  })

  it('copies a fixture file (or object) into /app/fixtures, readable by the image user, and points GITLAB_MOCK_FIXTURE at it', () => {
    const fromFile = new Inspectable().withFixture('/home/me/worlds/small.json').settings()
    expect(fromFile.files).toEqual([{ source: '/home/me/worlds/small.json', target: '/app/fixtures/small.json', mode: 0o644 }])
    expect(fromFile.env.GITLAB_MOCK_FIXTURE).toBe('/app/fixtures/small.json')

    const fromObject = new Inspectable().withFixture({ runners: [{ id: 9, runner_type: 'instance_type' }] }).settings()
    expect(fromObject.contents).toEqual([
      { content: '{"runners":[{"id":9,"runner_type":"instance_type"}]}', target: '/app/fixtures/fixture.json', mode: 0o644 },
    ])
    expect(fromObject.env.GITLAB_MOCK_FIXTURE).toBe('/app/fixtures/fixture.json')
  })
})

describe('GitLabRunnersMockContainer.start() with a fixture file that is not there', () => {
  it('fails before talking to Docker, naming the path it looked at', async () => {
    await expect(new GitLabRunnersMockContainer('no-such-image:never').withFixture('tc/does-not-exist.json').start()).rejects.toThrow(
      `gitlab-runners-mock: fixture file tc/does-not-exist.json does not exist (looked at ${process.cwd()}/tc/does-not-exist.json); no container was created`,
    )
  })
})

describe('testcontainers as an optional peer dependency', () => {
  it('is imported by the testcontainers entry and by no other entry', async () => {
    expect(await bundledPackages('src/testcontainers/index.ts')).toContain('testcontainers')
    for (const entry of ['src/index.ts', 'src/cli.ts']) expect(await bundledPackages(entry)).not.toContain('testcontainers')
  })

  it('is declared as an optional peer, never as a runtime dependency', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
    expect(pkg.dependencies?.testcontainers).toBeUndefined()
    expect(pkg.peerDependencies?.testcontainers).toMatch(/^\^11\./)
    expect(pkg.peerDependenciesMeta?.testcontainers).toEqual({ optional: true })
    expect(pkg.exports['./testcontainers']).toEqual({
      import: { types: './dist/types/testcontainers/index.d.ts', default: './dist/testcontainers.js' },
      require: { types: './dist/types/testcontainers/index.d.cts', default: './dist/testcontainers.cjs' },
    })
  })
})
