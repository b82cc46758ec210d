/**
 * @module The request journal of one world: a bounded ring of what it answered. Records are kept raw
 * (cheap on the request path) and shown redacted (src/control/journal-view.ts); filters and
 * verification read them here.
 */
import { idOf, isNewestId, newestHigh, newestLow } from '../http/request-id.js'

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
  /** The request body's first BODY_KEEP bytes (of a body read as text: the UTF-8 of its first BODY_KEEP characters). */
  requestBody: Uint8Array | undefined
  /** The answer's text, its first BODY_KEEP characters (as bytes only where bytes were recorded). */
  responseBody: string | Uint8Array | undefined
  /** The id of the fault rule that answered or delayed it, if any. */
  fault: number | null
  /** The X-Request-Id the answer carried. */
  requestId: string
}

export const DEFAULT_JOURNAL_SIZE = 1000
/** Bodies are kept up to this many bytes (characters for the response). */
export const BODY_KEEP = 4096

/** Number columns of an entry (fault: NaN for none; a body's length -1 for none). */
const SEQ = 0
const AT = 1
const WORLD_AT = 2
const STATUS = 3
const DURATION = 4
const FAULT = 5
/**
 * Where the entry's own bytes start in the log: its request id (unless kept as numbers), then (unless shared) its
 * texts, its request body, then (unless shared) its response body.
 */
const OFFSET = 6
/** The request id's length in the log; NUMBER_ID for an id kept as its random part's two halves (in #ids) and AT's time. */
const ID_BYTES = 7
const NUMBER_ID = -1
/** Where its texts (method, path, query, headers) are: its own, or the newest entry's when the request was the very same one sent again. */
const TEXT_AT = 8
const TEXT_BYTES = 9
const REQUEST_AT = 10
const REQUEST_BYTES = 11
/** Where its response body's bytes are: its own, or the previous entry's when both answered the very same string. */
const RESPONSE_AT = 12
const RESPONSE_BYTES = 13
/** Whether the response body was recorded as text (TEXT) or as bytes (BYTES). */
const RESPONSE_KIND = 14
const TEXT = 1
const BYTES = 2
/** The first byte the entry needs in ring order (bytes it shares come before its own). */
const FIRST = 15
const NUMBERS = 16
/** The columns that hold offsets into the log. */
const MOVED = [OFFSET, TEXT_AT, REQUEST_AT, RESPONSE_AT, FIRST]

/** A body's first BODY_KEEP characters (a string) or bytes. */
function cut<T extends string | Uint8Array | undefined>(body: T): T {
  if (body === undefined) return body
  return (typeof body === 'string' ? (body.length > BODY_KEEP ? body.slice(0, BODY_KEEP) : body) : body.byteLength > BODY_KEEP ? body.subarray(0, BODY_KEEP) : body) as T
}

/** The log's first size; it doubles when the entries in the ring need more. */
const INITIAL_LOG_BYTES = 16 * 1024
/**
 * A repeated answer shares the newest entry's bytes while they lie at most this far behind the log's tail; further
 * back it is written again. The ring's oldest entry keeps the log from reusing anything after the first byte it needs,
 * so bytes shared for ever would pin every entry's bytes written since: a kept answer asked for all day grew the log
 * without end (about 150 bytes a request).
 */
export const SHARE_SPAN = 64 * 1024
const EMPTY = Buffer.alloc(0)

/**
 * Writes a short text (a request id) at `at`: an ASCII one byte by byte (cheaper than a call into the encoder for a
 * few dozen characters), any other as UTF-8. Gives the offset after it.
 */
function writeShort(log: Buffer, text: string, at: number): number {
  const n = text.length
  for (let i = 0; i < n; i++) {
    const code = text.charCodeAt(i)
    if (code > 0x7f) return at + log.write(text, at, 'utf8')
    log[at + i] = code
  }
  return at + n
}

/** The most bytes a body can take in the log: UTF-8 takes at most 3 bytes per UTF-16 unit of a text. */
function mostBytes(body: string | Uint8Array | undefined): number {
  return typeof body === 'string' ? body.length * 3 : (body?.byteLength ?? 0)
}

/** Writes a body (a text as UTF-8, bytes as they are) at `at`; gives the offset after it. */
function writeBody(log: Buffer, body: string | Uint8Array | undefined, at: number): number {
  if (typeof body === 'string') return at + log.write(body, at, 'utf8')
  if (body === undefined) return at
  log.set(body, at)
  return at + body.byteLength
}

/** An entry's own numbers, written whatever it shares, at `n` (its slot's first column). */
function putOwn(nums: Float64Array, n: number, seq: number, at: number, worldAt: number, status: number, durationMs: number, fault: number | null): void {
  nums[n + SEQ] = seq
  nums[n + AT] = at
  nums[n + WORLD_AT] = worldAt
  nums[n + STATUS] = status
  nums[n + DURATION] = durationMs
  nums[n + FAULT] = fault === null ? Number.NaN : fault
}

/** Whether two raw header lists hold the same names and values in the same order (a Headers object is never compared). */
function sameHeaders(headers: HeaderSource, last: HeaderSource | undefined): boolean {
  if (!Array.isArray(headers) || !Array.isArray(last) || headers.length !== last.length) return false
  for (let i = 0; i < headers.length; i++) if (headers[i] !== last[i]) return false
  return true
}

/**
 * How far `offset` lies behind `tail` in a ring log of `length` bytes: straight back, or (once the tail has wrapped
 * to the log's start) back across its end. The tail never catches up with the oldest byte an entry needs, so an
 * offset equal to the tail is no distance at all.
 */
export function behind(offset: number, tail: number, length: number): number {
  return tail >= offset ? tail - offset : length - offset + tail
}

/**
 * A bounded ring kept as columns: numbers in one array, the endpoint's name (one string per route) in another,
 * and every text and body as UTF-8 in one byte log used as a ring (oldest entry first, like the ring itself).
 * Recording copies bytes and keeps no reference to the request's objects or to the answer's string, beyond one
 * request's worth to know the same request or answer again (the newest entry's, or the equal first of a run of
 * repeats): anything a journal of 1,000 entries refers to
 * outlives the young generation, is copied to the old one, and stays there until a full collection (about 600
 * bytes a request under the mixed bench profile when answers were kept by reference). Records are made when read.
 *
 * A request sent again (a client polling: the same method, request-target and headers) writes only its id and shares
 * the newest entry's texts, as the very same answer shares its body: a byte log of texts written per request cost
 * about 0.3 µs each, the most of an append. Its id, made by the request path for its time, is kept as two numbers
 * rather than written (src/http/request-id.ts): such a request writes no bytes at all.
 */
export class Journal {
  readonly #numbers: Float64Array
  /** Each slot's request id as numbers (see isNewestId), two a slot: a column of its own, four entries a cache line. */
  readonly #ids: Float64Array
  readonly #endpoints: (string | null)[]
  #log: Buffer = EMPTY
  /** Where the next entry's bytes go. */
  #tail = 0
  /**
   * The oldest entry's first byte as last read. The ring only moves forward, so this is never ahead of it: room
   * before it is free. Read again when it leaves too little.
   */
  #head = 0
  /** The newest entry's response body: a kept answer repeated by the next entry shares its bytes. */
  #lastBody: string | Uint8Array | undefined
  /** The newest entry's request (method, target, headers): the same request sent again shares its texts' bytes. */
  #lastMethod = ''
  #lastTarget = ''
  #lastHeaders: HeaderSource | undefined
  /** The GitLab version the newest entry's endpoint was found under (see repeat()). */
  #lastVersion: string | undefined
  #start = 0
  #size = 0
  #seq = 0
  #dropped = 0

  constructor(readonly capacity: number = DEFAULT_JOURNAL_SIZE) {
    const n = Math.max(0, capacity)
    this.#numbers = new Float64Array(n * NUMBERS)
    this.#ids = new Float64Array(n * 2)
    this.#endpoints = new Array<string | null>(n).fill(null)
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
    // Wrapped by a comparison rather than a division.
    if (this.#size < this.capacity) {
      const slot = this.#start + this.#size++
      return slot >= this.capacity ? slot - this.capacity : slot
    }
    const slot = this.#start
    this.#start = slot + 1 === this.capacity ? 0 : slot + 1
    this.#dropped++
    return slot
  }

  record(entry: JournalRecord): void {
    const target = entry.query === '' ? entry.path : entry.path + '?' + entry.query
    this.append(entry.seq, entry.at, entry.worldAt, entry.method, entry.path, target, entry.endpoint, entry.status, entry.durationMs, entry.headers, entry.requestBody, entry.responseBody, entry.fault, entry.requestId)
  }

  /**
   * record() without an entry object: what the request path calls when the request is not the newest entry's sent
   * again (repeat()). `target` is the request as sent (its URL or request-target): its query is what follows its first
   * `?`, read only when the entry's texts are written. The same method, target and headers are the same request sent
   * again (a request-target as the HTTP parser made it is a flat string, compared in a few nanoseconds, where the path
   * Hono sliced from the URL took about 50). `version`: the GitLab version its endpoint was found under (see repeat());
   * none, and no repeat takes its endpoint.
   */
  append(
    seq: number, at: number, worldAt: number, method: string, path: string, target: string, endpoint: string | null, status: number, durationMs: number,
    headers: HeaderSource, requestBody: string | Uint8Array | undefined, responseBody: string | Uint8Array | undefined, fault: number | null, requestId: string,
    version?: string,
  ): void {
    if (this.capacity === 0) return
    const slot = this.#slot()
    if (version !== this.#lastVersion) this.#lastVersion = version
    const request = cut(requestBody)
    const nums = this.#numbers
    const previous = this.#before(slot) * NUMBERS
    // What the newest entry's bytes can give this one while they lie within SHARE_SPAN of the tail: its texts, for the
    // very same request sent again (a client polling), and its response body, for the very same answer (a kept one).
    const sharesText = method === this.#lastMethod && target === this.#lastTarget && sameHeaders(headers, this.#lastHeaders) && this.#near(previous + TEXT_AT)
    const sharesResponse = responseBody !== undefined && responseBody === this.#lastBody && (nums[previous + RESPONSE_BYTES] as number) >= 0 && this.#near(previous + RESPONSE_AT)
    // The request's own strings are kept only when they differ: a polling client's repeats leave the first ones in
    // place, which have long reached the old generation, so no write stores a young object in this old one.
    if (responseBody !== this.#lastBody) this.#lastBody = responseBody
    if (!sharesText) {
      this.#lastMethod = method
      this.#lastTarget = target
      this.#lastHeaders = headers
    }
    // One line each; written with one call (a call per line cost twice as much).
    let texts = ''
    if (!sharesText) {
      const q = target.indexOf('?')
      texts = method + '\n' + path + '\n' + (q === -1 ? '' : target.slice(q + 1))
      if (Array.isArray(headers)) for (let i = 0; i < headers.length; i++) texts += '\n' + (headers[i] as string)
      else (headers as Headers).forEach((value, name) => (texts += '\n' + name + '\n' + value))
    }
    // The answer's first BODY_KEEP characters, cut only to be written (a long kept answer shared is not sliced again).
    const response = sharesResponse ? undefined : cut(responseBody)
    // The id the request path made for this entry's time, as numbers: a copy of its 26 characters cost about 40 ns.
    const idAsNumbers = isNewestId(requestId, at)
    // Room for the most the entry can take; the rest is given back.
    const room = (idAsNumbers ? 0 : mostBytes(requestId)) + mostBytes(texts) + mostBytes(request) + mostBytes(response)
    const log = this.#reserve(room)
    // Offsets read after #reserve: growing the log moves the entries' bytes.
    const start = this.#tail
    let end = start
    if (idAsNumbers) {
      this.#ids[slot * 2] = newestHigh()
      this.#ids[slot * 2 + 1] = newestLow()
    } else end = writeShort(log, requestId, start)
    const idBytes = idAsNumbers ? NUMBER_ID : end - start
    const textAt = sharesText ? (nums[previous + TEXT_AT] as number) : end
    if (!sharesText) end += log.write(texts, end, 'utf8')
    const textBytes = sharesText ? (nums[previous + TEXT_BYTES] as number) : end - textAt
    const requestAt = end
    end = writeBody(log, request, end)
    const afterRequest = end
    const responseAt = sharesResponse ? (nums[previous + RESPONSE_AT] as number) : end
    end = writeBody(log, response, end) // nothing when it is shared
    this.#tail = end
    // The first byte it needs: the shared bytes furthest back, or its own.
    const logLength = log.length
    let first = start
    if (sharesText) first = textAt
    if (sharesResponse && behind(responseAt, start, logLength) > behind(first, start, logLength)) first = responseAt
    const n = slot * NUMBERS
    putOwn(nums, n, seq, at, worldAt, status, durationMs, fault)
    nums[n + OFFSET] = start
    nums[n + ID_BYTES] = idBytes
    nums[n + TEXT_AT] = textAt
    nums[n + TEXT_BYTES] = textBytes
    nums[n + REQUEST_AT] = requestAt
    nums[n + REQUEST_BYTES] = request === undefined ? -1 : afterRequest - requestAt
    nums[n + RESPONSE_AT] = responseAt
    nums[n + RESPONSE_BYTES] = sharesResponse ? (nums[previous + RESPONSE_BYTES] as number) : response === undefined ? -1 : end - responseAt
    nums[n + RESPONSE_KIND] = typeof responseBody === 'string' ? TEXT : BYTES
    nums[n + FIRST] = first
    this.#endpoints[slot] = endpoint
  }

  /**
   * The entry for the newest entry's request sent again (a client polling), if this request is one: whether it wrote
   * it (if not, append() writes the entry). One is the same method, target and headers, with no body, given the same
   * answer (or none again), its id the newest made for its time, and routed under the same GitLab version: the same
   * method and path find the same route there, so it takes the newest entry's endpoint (the request path then does
   * not look for it). It shares the newest entry's texts and answer and keeps its id as numbers, writing no bytes.
   * It shares them wherever they lie: the newest entry checked they were within SHARE_SPAN of the tail before it wrote
   * its own bytes (or shared them the same way), so they lie at most one entry's bytes further back. In a ring of one,
   * the newest entry is the one it replaces, read before it is overwritten.
   * On a path of its own (first at the top of append): timed in the server, the append took 0.03 µs less on details and 0.12 µs less on the list
   * (the whole journaling path 0.18 and 0.14 µs less), where in a loop of appends alone (everything cached) it saved
   * 5–10 ns: the general case's code and columns are what it no longer touches.
   */
  repeat(
    seq: number, at: number, worldAt: number, method: string, target: string, version: string, status: number, durationMs: number,
    headers: HeaderSource, requestBody: string | Uint8Array | undefined, responseBody: string | Uint8Array | undefined, fault: number | null, requestId: string,
  ): boolean {
    if (
      requestBody !== undefined ||
      responseBody !== this.#lastBody ||
      method !== this.#lastMethod ||
      target !== this.#lastTarget ||
      version !== this.#lastVersion ||
      !isNewestId(requestId, at) ||
      !sameHeaders(headers, this.#lastHeaders)
    )
      return false
    const slot = this.#slot()
    const nums = this.#numbers
    const before = this.#before(slot)
    const previous = before * NUMBERS
    const tail = this.#tail
    const textAt = nums[previous + TEXT_AT] as number
    const responseAt = nums[previous + RESPONSE_AT] as number
    const n = slot * NUMBERS
    putOwn(nums, n, seq, at, worldAt, status, durationMs, fault)
    // Its id is numbers and it has no body: where its own bytes would start (OFFSET, REQUEST_AT) is never read.
    nums[n + ID_BYTES] = NUMBER_ID
    nums[n + TEXT_AT] = textAt
    nums[n + TEXT_BYTES] = nums[previous + TEXT_BYTES] as number
    nums[n + REQUEST_BYTES] = -1
    nums[n + RESPONSE_AT] = responseAt
    nums[n + RESPONSE_BYTES] = nums[previous + RESPONSE_BYTES] as number
    nums[n + RESPONSE_KIND] = nums[previous + RESPONSE_KIND] as number
    // The first byte it needs: the shared bytes furthest back.
    const length = this.#log.length
    nums[n + FIRST] = behind(responseAt, tail, length) > behind(textAt, tail, length) ? responseAt : textAt
    this.#ids[slot * 2] = newestHigh()
    this.#ids[slot * 2 + 1] = newestLow()
    this.#endpoints[slot] = this.#endpoints[before] as string | null
    return true
  }

  /** The slot before `slot` in the ring: the newest entry's, while `slot` is being written. */
  #before(slot: number): number {
    return slot === 0 ? this.capacity - 1 : slot - 1
  }

  /** Whether the newest entry (one before the entry being written) has bytes at the offset in column `at`, within SHARE_SPAN of the tail. */
  #near(at: number): boolean {
    return this.#size >= 2 && behind(this.#numbers[at] as number, this.#tail, this.#log.length) <= SHARE_SPAN
  }

  /** The byte log's size: what the journal holds besides its columns of numbers. */
  get logBytes(): number {
    return this.#log.length
  }

  /**
   * Room for `bytes` at the tail of the log (moving the tail to the start when the end is short), growing the log
   * when the entries still in the ring leave too little. The entry being written is already counted in #size.
   */
  #reserve(bytes: number): Buffer {
    const others = this.#size - 1
    for (;;) {
      if (others === 0) {
        this.#tail = 0
        this.#head = 0
        if (bytes <= this.#log.length) return this.#log
      } else {
        // The head as last read first (reading the oldest entry's column is a cache miss on most requests), then as it is.
        if (this.#fits(this.#head, bytes)) return this.#log
        const head = this.#numbers[this.#start * NUMBERS + FIRST] as number
        if (head !== this.#head) {
          this.#head = head
          if (this.#fits(head, bytes)) return this.#log
        }
      }
      this.#grow(bytes, others)
    }
  }

  /** Whether `bytes` fit between the tail and `head` (moving the tail to the log's start when its end is short). */
  #fits(head: number, bytes: number): boolean {
    if (this.#tail < head) return head - this.#tail > bytes
    if (this.#log.length - this.#tail >= bytes) return true
    if (head <= bytes) return false
    this.#tail = 0 // the end of the log stays unused until the ring moves past it
    return true
  }

  /** A log at least twice as large, with the entries still in the ring moved to its start, oldest first. */
  #grow(bytes: number, others: number): void {
    const old = this.#log
    const nums = this.#numbers
    const head = others === 0 ? 0 : (nums[this.#start * NUMBERS + FIRST] as number)
    const wrapped = others > 0 && this.#tail < head
    const used = others === 0 ? 0 : wrapped ? old.length - head + this.#tail : this.#tail - head
    let length = Math.max(INITIAL_LOG_BYTES, old.length * 2)
    while (length <= used + bytes) length *= 2
    const log = Buffer.allocUnsafe(length)
    if (others > 0) {
      if (wrapped) {
        old.copy(log, 0, head, old.length)
        old.copy(log, old.length - head, 0, this.#tail)
      } else old.copy(log, 0, head, this.#tail)
      for (let i = 0; i < others; i++) {
        const n = ((this.#start + i) % this.capacity) * NUMBERS
        for (const column of MOVED) {
          const offset = nums[n + column] as number
          nums[n + column] = offset >= head ? offset - head : offset + old.length - head
        }
      }
    }
    this.#log = log
    this.#tail = used
    this.#head = 0
  }

  #at(slot: number): JournalRecord {
    const n = slot * NUMBERS
    const nums = this.#numbers
    const log = this.#log
    const fault = nums[n + FAULT] as number
    const start = nums[n + OFFSET] as number
    const textAt = nums[n + TEXT_AT] as number
    const requestAt = nums[n + REQUEST_AT] as number
    const requestBytes = nums[n + REQUEST_BYTES] as number
    const responseStart = nums[n + RESPONSE_AT] as number
    const responseBytes = nums[n + RESPONSE_BYTES] as number
    const idBytes = nums[n + ID_BYTES] as number
    const requestId = idBytes === NUMBER_ID ? idOf(nums[n + AT] as number, this.#ids[slot * 2] as number, this.#ids[slot * 2 + 1] as number) : log.toString('utf8', start, start + idBytes)
    const [method, path, query, ...headers] = log.toString('utf8', textAt, textAt + (nums[n + TEXT_BYTES] as number)).split('\n') as [string, string, string, ...string[]]
    return {
      seq: nums[n + SEQ] as number,
      at: nums[n + AT] as number,
      worldAt: nums[n + WORLD_AT] as number,
      method,
      path,
      query,
      endpoint: this.#endpoints[slot] as string | null,
      status: nums[n + STATUS] as number,
      durationMs: nums[n + DURATION] as number,
      headers,
      requestBody: requestBytes < 0 ? undefined : new Uint8Array(log.subarray(requestAt, requestAt + requestBytes)),
      responseBody:
        responseBytes < 0
          ? undefined
          : nums[n + RESPONSE_KIND] === TEXT
            ? log.toString('utf8', responseStart, responseStart + responseBytes)
            : new Uint8Array(log.subarray(responseStart, responseStart + responseBytes)),
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

  /** Forget every record (sequence numbers keep counting, so `since` stays meaningful); the log's memory goes too. */
  clear(): void {
    this.#endpoints.fill(null)
    this.#log = EMPTY
    this.#lastBody = undefined
    this.#lastTarget = ''
    this.#lastHeaders = undefined
    this.#tail = 0
    this.#head = 0
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
