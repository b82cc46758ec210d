/**
 * @module A journal record as the control API shows it, every secret redacted with the request log's
 * rules (src/http/request-log.ts): credential headers, token parameters in the query and the body,
 * token fields in the response (a registration's reply carries the new runner's token), and then any
 * of those values wherever else it appears in the entry.
 */
import { REDACTED, isSecretHeader, isSecretKey, redactBody } from '../http/request-log.js'
import { BODY_KEEP, requestBodyText, responseBodyText, type JournalRecord } from './journal.js'

export interface JournalEntry {
  seq: number
  time: string
  world_time: string
  method: string
  path: string
  query: Record<string, string | string[]>
  endpoint: string | null
  status: number
  duration_ms: number
  request_headers: Record<string, string>
  request_body: string | null
  response_body: string | null
  fault: number | null
  request_id: string
}

function headerPairs(source: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  // A name sent more than once is shown once, its values joined as HTTP joins them.
  const seen = new Map<string, number>()
  for (let i = 0; i + 1 < source.length; i += 2) {
    const name = (source[i] as string).toLowerCase()
    const value = source[i + 1] as string
    const at = seen.get(name)
    if (at === undefined) {
      seen.set(name, out.length)
      out.push([name, value])
    } else (out[at] as [string, string])[1] += `, ${value}`
  }
  return out
}

/** Token values found in a JSON value's token-named fields, at any depth. */
function collectJsonSecrets(value: unknown, into: Set<string>, key = ''): void {
  if (typeof value === 'string') {
    if (isSecretKey(key)) into.add(value)
  } else if (Array.isArray(value)) for (const v of value) collectJsonSecrets(v, into, key)
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) collectJsonSecrets(v, into, k)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

/**
 * JSON text with token fields redacted: parsed when whole; when cut at 4 KiB (or not JSON), every
 * `"…token…": "value"` pair found in the text, an unterminated last value included.
 */
function redactJsonText(text: string, secrets: Set<string>): string {
  const json = parseJson(text)
  if (json !== null && typeof json === 'object') {
    collectJsonSecrets(json, secrets)
    return JSON.stringify(redactBody(json))
  }
  return text.replace(/"((?:[^"\\]|\\.)*)"(\s*:\s*)"((?:[^"\\]|\\.)*)("|$)/g, (pair, key: string, colon: string, value: string, end: string) => {
    if (!isSecretKey(key)) return pair
    secrets.add(value)
    return `"${key}"${colon}"${REDACTED}${end}`
  })
}

/** Form or query pairs with token-named values redacted; the values are added to `secrets`. */
function redactPairs(text: string, secrets: Set<string>): string {
  return text.replace(/(^|[&;])([^=&;]*)=([^&;]*)/g, (pair, sep: string, key: string, value: string) => {
    if (!isSecretKey(key)) return pair
    secrets.add(value)
    try {
      secrets.add(decodeURIComponent(value.replace(/\+/g, ' ')))
    } catch {
      // undecodable: the raw value is enough
    }
    return `${sep}${key}=${REDACTED}`
  })
}

/** A request body redacted by its content type: JSON fields, form pairs, multipart parts named like tokens. */
function redactRequestBody(text: string, contentType: string, secrets: Set<string>): string {
  const type = contentType.toLowerCase()
  if (type.startsWith('application/x-www-form-urlencoded')) return redactPairs(text, secrets)
  if (type.startsWith('multipart/form-data'))
    return text.replace(/(name="([^"]*)"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n)([^\r]*)/g, (part, head: string, name: string, value: string) => {
      if (!isSecretKey(name)) return part
      secrets.add(value)
      return `${head}${REDACTED}`
    })
  return redactJsonText(text, secrets)
}

function queryView(query: string, secrets: Set<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  for (const [key, value] of new URLSearchParams(redactPairs(query, secrets))) {
    const previous = out[key]
    out[key] = previous === undefined ? value : [...[previous].flat(), value]
  }
  return out
}

/** Replace every known secret value in a string (short values are left: they would mangle ordinary text). */
function scrub(text: string, secrets: string[]): string {
  let out = text
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED)
  return out
}

export function journalEntryView(r: JournalRecord): JournalEntry {
  const secrets = new Set<string>()
  const headers: Record<string, string> = {}
  let contentType = ''
  for (const [k, v] of headerPairs(r.headers)) {
    if (k === 'content-type') contentType = v
    if (isSecretHeader(k)) {
      secrets.add(v)
      const bearer = /^\s*\S+\s+(.+)$/.exec(v)
      if (bearer) secrets.add((bearer[1] as string).trim())
      headers[k] = REDACTED
    } else headers[k] = v
  }
  const query = queryView(r.query, secrets)
  const bodyText = requestBodyText(r)
  const requestBody = bodyText === undefined || bodyText === '' ? null : redactRequestBody(bodyText, contentType, secrets)
  const responseText = responseBodyText(r)
  const responseBody = responseText === undefined || responseText === '' ? null : redactJsonText(responseText, secrets)
  const known = [...secrets].filter((s) => s.trim().length >= 6 && s !== REDACTED).sort((a, b) => b.length - a.length)
  const clean = (s: string) => scrub(s, known)
  const cleanQuery: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(query)) cleanQuery[clean(k)] = Array.isArray(v) ? v.map(clean) : clean(v)
  for (const k of Object.keys(headers)) headers[k] = clean(headers[k] as string)
  return {
    seq: r.seq,
    time: new Date(r.at).toISOString(),
    world_time: new Date(r.worldAt).toISOString(),
    method: r.method,
    path: clean(r.path),
    query: cleanQuery,
    endpoint: r.endpoint,
    status: r.status,
    duration_ms: Math.round(r.durationMs * 1000) / 1000,
    request_headers: headers,
    request_body: requestBody === null ? null : clean(requestBody).slice(0, BODY_KEEP),
    response_body: responseBody === null ? null : clean(responseBody).slice(0, BODY_KEEP),
    fault: r.fault,
    request_id: r.requestId,
  }
}
