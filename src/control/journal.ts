/**
 * @module The request journal of one world: a bounded ring of what it answered. Records are kept raw
 * (cheap on the request path) and shown redacted (src/control/journal-view.ts); filters and
 * verification read them here.
 */

/** Header values as received: Node's raw header list (`[name, value, name, value, …]`), or a Headers object for in-process requests. */
export type HeaderSource = readonly string[] | Headers

/** One answered request, as recorded (secrets still in it: never serve this, serve journalEntryView). */
export interface JournalRecord {
  seq: number
  /** Wall clock, epoch ms. */
  at: number
  /** The world's clock, epoch ms. */
  worldAt: number
  method: string
  /** World-relative path (`/api/v4/runners/1`), without the query. */
  path: string
  /** The query string without `?` ('' for none). */
  query: string
  /** `GET /api/v4/runners/:id`, or null when no route matched. */
  endpoint: string | null
  status: number
  durationMs: number
  /** The request's headers as a raw list (`[name, value, name, value, …]`). */
  headers: readonly string[]
  requestBody: Uint8Array | undefined
  /**
   * The answer's own string when it is short (kept by reference, nothing copied per request; shown cut to
   * BODY_KEEP), else its first BODY_KEEP characters as UTF-8 bytes (a slice of a string would keep the whole body alive).
   */
  responseBody: string | Uint8Array | undefined
  /** The id of the fault rule that answered or delayed it, if any. */
  fault: number | null
  /** The X-Request-Id the answer carried. */
  requestId: string
}

export const DEFAULT_JOURNAL_SIZE = 1000
/** Bodies are kept up to this many bytes (characters for the response). */
export const BODY_KEEP = 4096

/** Number columns of an entry (fault: NaN for none). */
const SEQ = 0
const AT = 1
const WORLD_AT = 2
const STATUS = 3
const DURATION = 4
const FAULT = 5
/** The byte length of the entry's texts in its slot of the byte ring (-1: kept as a string in TEXT). */
const TEXT_BYTES = 6
const NUMBERS = 7
/** Reference columns of an entry. */
const TEXT = 0
const ENDPOINT = 1
const REQUEST_BODY = 2
const RESPONSE_BODY = 3
const REFS = 4

/**
 * An entry's texts (method, path, query, request id, then the header names and values), one line each: neither
 * can hold a line break (HTTP parsers and Headers refuse them in names and values, URLs encode them). They are
 * written as UTF-8 into the entry's slot of a byte ring, so recording keeps no object alive: references to the
 * request's strings (slices of the URL, the parser's header strings), or even one string per entry, are copied
 * by the young-generation collector and then collected again from the old generation while the ring holds them.
 * Texts that may not fit a slot (and in-process Headers objects) are kept as one string.
 */
const SLOT_BYTES = 2048
/** Slots are allocated this many at a time, as the ring fills: a world that answers a few requests holds one block. */
const BLOCK_SLOTS = 16

/** The same lines as one string: for texts that might not fit a slot, and in-process Headers. */
function packTexts(method: string, path: string, query: string, requestId: string, headers: HeaderSource): string {
  const parts = [method, path, query, requestId]
  if (headers instanceof Headers) headers.forEach((value, name) => parts.push(name, value))
  else for (const h of headers) parts.push(h)
  return parts.join('\n')
}

/**
 * A bounded ring kept as columns (one array of numbers, one of references, both allocated once): recording a
 * request allocates one string, where an object per entry would be copied by the young-generation collector
 * while the ring holds it. Records are made when read.
 */
export class Journal {
  readonly #numbers: Float64Array
  readonly #refs: unknown[]
  readonly #blocks: (Buffer | undefined)[]
  #start = 0
  #size = 0
  #seq = 0
  #dropped = 0

  constructor(readonly capacity: number = DEFAULT_JOURNAL_SIZE) {
    const n = Math.max(0, capacity)
    this.#numbers = new Float64Array(n * NUMBERS)
    this.#refs = new Array<unknown>(n * REFS).fill(undefined)
    this.#blocks = new Array<Buffer | undefined>(Math.ceil(n / BLOCK_SLOTS)).fill(undefined)
  }

  get enabled(): boolean {
    return this.capacity > 0
  }

  /** The next sequence number (1 for the first request). */
  nextSeq(): number {
    return ++this.#seq
  }

  /** The slot the next entry goes to (the oldest is overwritten once the ring is full). */
  #slot(): number {
    if (this.#size < this.capacity) return (this.#start + this.#size++) % this.capacity
    const slot = this.#start
    this.#start = (this.#start + 1) % this.capacity
    this.#dropped++
    return slot
  }

  record(entry: JournalRecord): void {
    this.append(entry.seq, entry.at, entry.worldAt, entry.method, entry.path, entry.query, entry.endpoint, entry.status, entry.durationMs, entry.headers, entry.requestBody, entry.responseBody, entry.fault, entry.requestId)
  }

  /** record() without an entry object: what the request path calls. */
  append(
    seq: number, at: number, worldAt: number, method: string, path: string, query: string, endpoint: string | null, status: number, durationMs: number,
    headers: HeaderSource, requestBody: Uint8Array | undefined, responseBody: string | Uint8Array | undefined, fault: number | null, requestId: string,
  ): void {
    if (this.capacity === 0) return
    const slot = this.#slot()
    const n = slot * NUMBERS
    const nums = this.#numbers
    nums[n + SEQ] = seq
    nums[n + AT] = at
    nums[n + WORLD_AT] = worldAt
    nums[n + STATUS] = status
    nums[n + DURATION] = durationMs
    nums[n + FAULT] = fault === null ? Number.NaN : fault
    const r = slot * REFS
    const refs = this.#refs
    const written = this.#writeTexts(slot, method, path, query, requestId, headers)
    nums[n + TEXT_BYTES] = written
    refs[r + TEXT] = written < 0 ? packTexts(method, path, query, requestId, headers) : undefined
    refs[r + ENDPOINT] = endpoint
    refs[r + REQUEST_BODY] = requestBody
    refs[r + RESPONSE_BODY] = responseBody
  }

  /** Write the texts into the slot's bytes; their length, or -1 when they might not fit (or come as a Headers object). */
  #writeTexts(slot: number, method: string, path: string, query: string, requestId: string, headers: HeaderSource): number {
    if (headers instanceof Headers) return -1
    let chars = method.length + path.length + query.length + requestId.length + headers.length + 4
    for (const h of headers) chars += h.length
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    if (chars * 3 > SLOT_BYTES) return -1
    const block = Math.floor(slot / BLOCK_SLOTS)
    const bytes = (this.#blocks[block] ??= Buffer.allocUnsafe(BLOCK_SLOTS * SLOT_BYTES))
    const start = (slot % BLOCK_SLOTS) * SLOT_BYTES
    let at = start
    at += bytes.write(method, at, 'utf8')
    bytes[at++] = 10
    at += bytes.write(path, at, 'utf8')
    bytes[at++] = 10
    at += bytes.write(query, at, 'utf8')
    bytes[at++] = 10
    at += bytes.write(requestId, at, 'utf8')
    for (const h of headers) {
      bytes[at++] = 10
      at += bytes.write(h, at, 'utf8')
    }
    return at - start
  }

  #texts(slot: number, n: number): string {
    const written = this.#numbers[n + TEXT_BYTES] as number
    if (written < 0) return this.#refs[slot * REFS + TEXT] as string
    const start = (slot % BLOCK_SLOTS) * SLOT_BYTES
    return (this.#blocks[Math.floor(slot / BLOCK_SLOTS)] as Buffer).toString('utf8', start, start + written)
  }

  #at(slot: number): JournalRecord {
    const n = slot * NUMBERS
    const nums = this.#numbers
    const r = slot * REFS
    const refs = this.#refs
    const fault = nums[n + FAULT] as number
    const [method, path, query, requestId, ...headers] = this.#texts(slot, n).split('\n') as [string, string, string, string, ...string[]]
    return {
      seq: nums[n + SEQ] as number,
      at: nums[n + AT] as number,
      worldAt: nums[n + WORLD_AT] as number,
      method,
      path,
      query,
      endpoint: refs[r + ENDPOINT] as string | null,
      status: nums[n + STATUS] as number,
      durationMs: nums[n + DURATION] as number,
      headers,
      requestBody: refs[r + REQUEST_BODY] as Uint8Array | undefined,
      responseBody: refs[r + RESPONSE_BODY] as string | Uint8Array | undefined,
      fault: Number.isNaN(fault) ? null : fault,
      requestId,
    }
  }

  /** The newest record, if any. */
  last(): JournalRecord | undefined {
    return this.#size === 0 ? undefined : this.#at((this.#start + this.#size - 1) % this.capacity)
  }

  /** Oldest first. */
  records(): JournalRecord[] {
    const out: JournalRecord[] = []
    for (let i = 0; i < this.#size; i++) out.push(this.#at((this.#start + i) % this.capacity))
    return out
  }

  /** How many records the ring overwrote since the last clear. */
  get dropped(): number {
    return this.#dropped
  }

  /** Forget every record (sequence numbers keep counting, so `since` stays meaningful). */
  clear(): void {
    this.#refs.fill(undefined)
    this.#start = 0
    this.#size = 0
    this.#dropped = 0
  }
}

/** `*` matches any run of characters (slashes included); everything else literally. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${body}$`)
}

export interface JournalFilter {
  method?: string
  path?: string
  endpoint?: string
  status?: number
  since?: number
  unmatched?: boolean
}

/** A predicate over records for the journal's query filters. */
export function recordFilter(filter: JournalFilter): (r: JournalRecord) => boolean {
  const method = filter.method?.toUpperCase()
  const path = filter.path === undefined ? undefined : globToRegExp(filter.path)
  const endpoint = filter.endpoint === undefined ? undefined : globToRegExp(filter.endpoint)
  return (r) =>
    (method === undefined || r.method === method) &&
    (path === undefined || path.test(r.path)) &&
    (endpoint === undefined || (r.endpoint !== null && endpoint.test(r.endpoint))) &&
    (filter.status === undefined || r.status === filter.status) &&
    (filter.since === undefined || r.seq > filter.since) &&
    (filter.unmatched !== true || r.endpoint === null)
}

const decoder = new TextDecoder()

/** The request body as text (at most BODY_KEEP bytes were kept). */
export function requestBodyText(r: JournalRecord): string | undefined {
  return r.requestBody === undefined ? undefined : decoder.decode(r.requestBody)
}

export function responseBodyText(r: JournalRecord): string | undefined {
  const body = r.responseBody
  if (body === undefined) return undefined
  return typeof body === 'string' ? body.slice(0, BODY_KEEP) : decoder.decode(body)
}

export interface VerifyPattern {
  method?: string
  path?: string
  endpoint?: string
  bodyContains?: string
  count?: number
  atLeast?: number
  atMost?: number
}

export interface VerifyResult {
  ok: boolean
  count: number
  expected: { count: number } | { at_least: number } | { at_most: number } | { at_least: number; at_most: number }
  /** Records closest to the pattern that did not match it (same path or endpoint, other method or body first). */
  nearMisses: JournalRecord[]
}

const NEAR_MISSES = 3

export function verify(records: JournalRecord[], pattern: VerifyPattern): VerifyResult {
  const method = pattern.method?.toUpperCase()
  const path = pattern.path === undefined ? undefined : globToRegExp(pattern.path)
  const endpoint = pattern.endpoint === undefined ? undefined : globToRegExp(pattern.endpoint)
  const where = (r: JournalRecord) => (path === undefined || path.test(r.path)) && (endpoint === undefined || (r.endpoint !== null && endpoint.test(r.endpoint)))
  const how = (r: JournalRecord) =>
    (method === undefined || r.method === method) && (pattern.bodyContains === undefined || (requestBodyText(r) ?? '').includes(pattern.bodyContains))
  let count = 0
  for (const r of records) if (where(r) && how(r)) count++

  const expected: VerifyResult['expected'] =
    pattern.count !== undefined
      ? { count: pattern.count }
      : pattern.atMost !== undefined && pattern.atLeast !== undefined
        ? { at_least: pattern.atLeast, at_most: pattern.atMost }
        : pattern.atMost !== undefined
          ? { at_most: pattern.atMost }
          : { at_least: pattern.atLeast ?? 1 }
  const ok =
    pattern.count !== undefined ? count === pattern.count : count >= (pattern.atLeast ?? (pattern.atMost === undefined ? 1 : 0)) && count <= (pattern.atMost ?? Infinity)
  if (ok) return { ok, count, expected, nearMisses: [] }

  // Same place, other method or body; else the same method at the most similar path.
  let near = records.filter((r) => where(r) && !how(r))
  if (near.length === 0) {
    const target = pattern.path ?? pattern.endpoint?.replace(/^\S+\s+/, '') ?? ''
    const common = (a: string) => {
      let i = 0
      while (i < a.length && i < target.length && a[i] === target[i]) i++
      return i
    }
    near = records
      .filter((r) => !where(r) && (method === undefined || r.method === method))
      .map((r) => ({ r, score: common(r.path) }))
      .sort((a, b) => b.score - a.score || b.r.seq - a.r.seq)
      .map(({ r }) => r)
  } else near = near.reverse()
  return { ok, count, expected, nearMisses: near.slice(0, NEAR_MISSES) }
}
