/**
 * @module The CLI's one option table: each row is a flag, its environment variable, its type, default and
 * help. Parsing (flags, then variables, then defaults), `--help` and the README's table all come from it,
 * so adding an option is adding a row. Values are checked here; a bad one is a CliError: one line that
 * names the flag or variable, what was given, and what would do.
 */
import { DEFAULT_GITLAB_VERSION, GitLabVersionError, parseGitLabVersion } from '../domain/gitlab-version.js'
import { parseRateLimit, type RateLimitSetting } from '../control/rate-limit.js'
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../http/log-types.js'

/** A usage problem: the CLI prints its message as one line and exits 2. */
export class CliError extends Error {}

interface ValueType<T> {
  /** Placeholder in --help, e.g. `<n>`; none for a switch. */
  placeholder?: string
  parse(raw: string, name: string): T
}

const TRUE = ['true', '1', 'yes', 'on']
const FALSE = ['false', '0', 'no', 'off']

const wholeNumber = (min: number, max: number, placeholder: string): ValueType<number> => ({
  placeholder,
  parse(raw, name) {
    const n = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN
    if (!(n >= min && n <= max)) throw new CliError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
    return n
  },
})

const text = (placeholder: string): ValueType<string> => ({ placeholder, parse: (raw) => raw })

const oneOf = <T extends string>(choices: readonly T[]): ValueType<T> => ({
  placeholder: `<${choices.join('|')}>`,
  parse(raw, name) {
    if (!(choices as readonly string[]).includes(raw)) throw new CliError(`${name} must be one of ${choices.join(', ')}, got ${JSON.stringify(raw)}`)
    return raw as T
  },
})

/** Value types by name: rows pick one. */
export const types = {
  port: wholeNumber(0, 65535, '<n>'),
  seconds: wholeNumber(0, 2_147_483_647, '<s>'),
  bytes: wholeNumber(1, Number.MAX_SAFE_INTEGER, '<bytes>'),
  count: (max: number) => wholeNumber(1, max, '<n>'),
  text,
  oneOf,
  /** A switch: `--name` / `--no-name`; its variable takes true/false/1/0/yes/no/on/off. */
  switch: {
    parse(raw: string, name: string): boolean {
      const v = raw.trim().toLowerCase()
      if (TRUE.includes(v)) return true
      if (FALSE.includes(v)) return false
      throw new CliError(`${name} must be one of ${[...TRUE, ...FALSE].join('/')}, got ${JSON.stringify(raw)}`)
    },
  } satisfies ValueType<boolean>,
  /** A number (digits only) or any other text. */
  seed: { placeholder: '<n|text>', parse: (raw: string) => (/^\d+$/.test(raw) ? Number(raw) : raw) } satisfies ValueType<number | string>,
  instant: {
    placeholder: '<iso>',
    parse(raw: string, name: string): string {
      if (Number.isNaN(Date.parse(raw))) throw new CliError(`${name} must be an ISO instant such as 2026-01-15T12:00:00Z, got ${JSON.stringify(raw)}`)
      return raw
    },
  } satisfies ValueType<string>,
  gitlabVersion: {
    placeholder: '<X.Y>',
    parse(raw: string, name: string): string {
      try {
        return parseGitLabVersion(raw)
      } catch (error) {
        if (error instanceof GitLabVersionError) throw new CliError(error.message)
        throw error
      }
    },
  } satisfies ValueType<string>,
  rateLimit: {
    placeholder: '<n/period>',
    parse(raw: string, name: string): RateLimitSetting {
      const setting = parseRateLimit(raw)
      if (!setting) throw new CliError(`${name} must look like 600/60s (requests per period, s, m or h), got ${JSON.stringify(raw)}`)
      return setting
    },
  } satisfies ValueType<RateLimitSetting>,
  url: {
    placeholder: '<url>',
    parse(raw: string, name: string): string {
      if (!/^https?:\/\/[^/\s]+/.test(raw)) throw new CliError(`${name} must be an http(s) URL such as https://gitlab.example.com, got ${JSON.stringify(raw)}`)
      return raw
    },
  } satisfies ValueType<string>,
}

export interface OptionRow<N extends string = string, T = unknown> {
  name: N
  env: string
  type: ValueType<T>
  default: T | undefined
  help: string
}

const row = <N extends string, T>(name: N, env: string, type: ValueType<T>, fallback: T | undefined, help: string): OptionRow<N, T> => ({
  name,
  env,
  type,
  default: fallback,
  help,
})

/** Every option, in --help order. One row each: flag name, variable, type, default (undefined: none), help. */
export const OPTIONS = [
  row('port', 'PORT', types.port, 8080, 'port; 0 picks a free one'),
  row('host', 'HOST', types.text('<addr>'), '0.0.0.0', 'interface to bind (an IP address or a name that resolves)'),
  row('seed', 'GITLAB_MOCK_SEED', types.seed, 1, 'seed of the generated filler and of tokens made at request time'),
  row('fixture', 'GITLAB_MOCK_FIXTURE', types.text('<path>'), undefined, 'world to load instead of fixtures/default.json'),
  row('gitlab-version', 'GITLAB_MOCK_GITLAB_VERSION', types.gitlabVersion, undefined, `GitLab version to emulate, 15.11 through 18.11 (else the fixture's settings.gitlab_version, else ${DEFAULT_GITLAB_VERSION})`),
  row('external-url', 'GITLAB_MOCK_EXTERNAL_URL', types.url, undefined, 'origin used in web_url and Link headers (default: the request origin)'),
  row('control-token', 'GITLAB_MOCK_CONTROL_TOKEN', types.text('<t>'), undefined, 'require X-Mock-Control-Token: <t> on the control API (health stays open)'),
  row('control', 'GITLAB_MOCK_CONTROL', types.switch, true, 'serve the control API at /-/mock (--no-control switches it off)'),
  row('clock', 'GITLAB_MOCK_CLOCK', types.instant, undefined, 'freeze the clock at an instant (default: real time)'),
  row('runner-token-expiration', 'GITLAB_MOCK_RUNNER_TOKEN_EXPIRATION', types.seconds, undefined, 'instance runner-token expiration interval in seconds'),
  row('body-limit', 'GITLAB_MOCK_BODY_LIMIT', types.bytes, 1_048_576, 'largest request body in bytes (413 beyond)'),
  row('log-level', 'GITLAB_MOCK_LOG_LEVEL', types.oneOf<LogLevel>(LOG_LEVELS), 'info', 'how much the request log says (secrets redacted)'),
  row('log-format', 'GITLAB_MOCK_LOG_FORMAT', types.oneOf<LogFormat>(LOG_FORMATS), 'text', 'log lines as text or one JSON object a line'),
  row('max-worlds', 'GITLAB_MOCK_MAX_WORLDS', types.count(100_000), 256, 'named worlds (/-/worlds/<name>) kept at once; past it the least recently used idle one is dropped'),
  row('journal-size', 'GITLAB_MOCK_JOURNAL_SIZE', wholeNumber(0, 1_000_000, '<n>'), 1000, "requests each world's journal keeps (0 turns the journal off)"),
  row('rate-limit', 'GITLAB_MOCK_RATE_LIMIT', types.rateLimit, undefined, "GitLab's authenticated-API throttle per user, e.g. 600/60s (default off)"),
] as const

type Rows = (typeof OPTIONS)[number]
/** Parsed settings by option name; options without a default may be undefined. */
export type CliSettings = {
  [R in Rows as R['name']]: R extends OptionRow<string, infer T> ? (R['default'] extends undefined ? T | undefined : T) : never
}

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'serve'; settings: CliSettings }

const flagOf = (r: OptionRow) => (r.type === types.switch ? `--[no-]${r.name}` : `--${r.name} ${r.type.placeholder ?? ''}`.trim())

/** Flags, then environment variables (empty ones count as unset), then defaults. */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliCommand {
  const given = new Map<string, { raw: string; label: string }>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return { kind: 'help' }
    if (arg === '--version' || arg === '-v') return { kind: 'version' }
    const m = /^--(no-)?([a-z][a-z0-9-]*)(?:=(.*))?$/s.exec(arg)
    const r = m ? OPTIONS.find((o) => o.name === m[2]) : undefined
    if (!m || !r) throw new CliError(`unknown option ${arg.split('=')[0]} (gitlab-runners-mock --help lists the options)`)
    const label = `--${m[1] ?? ''}${r.name}`
    if (r.type === types.switch) {
      if (m[3] !== undefined) throw new CliError(`${label} takes no value (use --${r.name} or --no-${r.name})`)
      given.set(r.name, { raw: m[1] ? 'false' : 'true', label })
      continue
    }
    if (m[1]) throw new CliError(`unknown option ${arg} (gitlab-runners-mock --help lists the options)`)
    const raw = m[3] ?? argv[++i]
    if (raw === undefined) throw new CliError(`${label} needs a value ${r.type.placeholder ?? ''}`.trim())
    given.set(r.name, { raw, label })
  }
  const settings: Record<string, unknown> = {}
  for (const r of OPTIONS as readonly OptionRow[]) {
    const flag = given.get(r.name)
    const fromEnv = env[r.env]
    if (flag) settings[r.name] = r.type.parse(flag.raw, flag.label)
    else if (fromEnv !== undefined && fromEnv !== '') settings[r.name] = r.type.parse(fromEnv, r.env)
    else settings[r.name] = r.default
  }
  return { kind: 'serve', settings: settings as CliSettings }
}

/** --help, from the table. */
export function helpText(title: string): string {
  const rows: Array<readonly [string, string]> = (OPTIONS as readonly OptionRow[]).map((r) => {
    const extra = [`env ${r.env}`, r.default === undefined ? undefined : `default ${String(r.default)}`].filter(Boolean).join(', ')
    return [flagOf(r), `${r.help} (${extra})`] as const
  })
  rows.push(['--version, -v', 'print the version'], ['--help, -h', 'this text'])
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2
  return `${title}\n\nUsage: gitlab-runners-mock [options]\n\n${rows.map(([flag, help]) => `  ${flag.padEnd(width)}${help}`).join('\n')}\n`
}

/** The README's CLI table, from the table (a test checks the README holds exactly this). */
export function markdownTable(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|')
  const lines = ['| flag | environment variable | default | meaning |', '|---|---|---|---|']
  for (const r of OPTIONS as readonly OptionRow[])
    lines.push(`| \`${cell(flagOf(r))}\` | \`${r.env}\` | ${r.default === undefined ? '—' : `\`${String(r.default)}\``} | ${cell(r.help)} |`)
  return lines.join('\n')
}
