/** @module Logging vocabulary shared by the app, the server and the CLI (no Hono here, so the public types stay light). */
export type LogLevel = 'silent' | 'error' | 'info' | 'debug'
export type LogFormat = 'text' | 'json'
export type LogSink = (line: string) => void
export const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'info', 'debug']
export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json']

/** The world a line belongs to: one world per process today. */
export const DEFAULT_WORLD = 'default'

/**
 * One log line: text is `<ISO time> <message>` (then `key=value` extras), json is one object with
 * `time` first. Every line the mock writes goes through here, so every line has its time.
 */
export function formatLogLine(format: LogFormat, fields: { level: string; msg: string } & Record<string, unknown>, now = Date.now()): string {
  const time = new Date(now).toISOString()
  if (format === 'json') return JSON.stringify({ time, ...fields })
  let line = `${time} ${fields.msg}`
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'level' || key === 'msg' || value === undefined) continue
    line += ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`
  }
  return line
}
