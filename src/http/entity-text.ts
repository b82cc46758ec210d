/**
 * @module Runner entities as JSON text, cached per record version: a runner record never changes once
 * stored (every write installs a new one), so the text of its entity is built once per record and
 * kept beside it (a WeakMap: texts go when records go). Only `online` and `status` depend on the
 * clock; the cache holds the text around them and they are filled in per request (two comparisons),
 * so a clock move or a status window ending needs no invalidation. Details also depend on the viewer
 * (which linked projects and groups they may see), the base URL and the projects and groups: cached per
 * viewer class and base URL, and keyed by the store's structure stamp (bumped by every write to users,
 * groups, projects or memberships). Everything is keyed by the world's version profile too: the
 * version decides which fields exist (ip_address, maintenance_note, created_by, job_execution_status).
 *
 * A write makes a new record, so its details text is built again; only its head (the runner's own fields) is
 * serialized then: the links that end it (`projects` and `groups`, the larger part) are kept as text by
 * everything they depend on (viewer class, base URL, structure stamp, projects shown, the runner's project
 * ids and group), shared by the records of one runner and by stores with the same structure stamp.
 * The answer to the write itself is made without a cache entry (writtenRunnerDetailsText).
 */
import { reply } from './reply.js'
import type { Context } from 'hono'
import { isOnline, runnerStatus } from '../domain/status.js'
import type { Store } from '../domain/store.js'
import type { Runner } from '../domain/types.js'
import { runnerDetailsEntity, runnerDetailsHead, runnerDetailsLinks, runnerEntity, type EntityContext } from './entities.js'
import type { AppEnv } from './env.js'

const ONLINE = '\u0001online\u0001'
const STATUS = '\u0001status\u0001'
const ONLINE_JSON = JSON.stringify(ONLINE)
const STATUS_JSON = JSON.stringify(STATUS)

/** An entity's text cut where `online` and `status` go: [before, between, after] and which comes first. */
interface Pieces {
  readonly parts: readonly [string, string, string]
  readonly onlineFirst: boolean
}

/** The variants of one entity of one record, by key; the key asked last is checked first (one string compare, no hashing). */
interface Variants {
  lastKey: string | undefined
  lastPieces: Pieces | null
  readonly byKey: Map<string, Pieces | null>
}

interface Entry {
  profile: unknown
  /** List texts: one variant before 18.0; from 18.0 (created_by) keyed by base URL, whether there is a caller, and the structure stamp. */
  list: Variants | undefined
  /** `${baseUrl}\n${viewer}\n${structure stamp}\n${projects shown}` → pieces (a few viewer classes per runner at most). */
  details: Variants | undefined
}

const cache = new WeakMap<Runner, Entry>()
const MAX_DETAIL_VARIANTS = 8

/** Cut a serialized entity at its online and status values; null when they cannot be found exactly once. */
function piecesOf(entity: { online: unknown; status: unknown }): Pieces | null {
  entity.online = ONLINE
  entity.status = STATUS
  const text = JSON.stringify(entity)
  const o = text.indexOf(ONLINE_JSON)
  const s = text.indexOf(STATUS_JSON)
  if (o < 0 || s < 0 || text.indexOf(ONLINE_JSON, o + 1) >= 0 || text.indexOf(STATUS_JSON, s + 1) >= 0) return null
  const [first, firstLen, second, secondLen] = o < s ? [o, ONLINE_JSON.length, s, STATUS_JSON.length] : [s, STATUS_JSON.length, o, ONLINE_JSON.length]
  return { parts: [text.slice(0, first), text.slice(first + firstLen, second), text.slice(second + secondLen)], onlineFirst: o < s }
}

function assemble(pieces: Pieces, runner: Runner, store: Store, now: number): string {
  const online = isOnline(runner, now)
  const onlineText = online === null ? 'null' : online ? 'true' : 'false'
  const statusText = `"${runnerStatus(runner, now, store.profile.staleAfter)}"`
  const [a, b, c] = pieces.parts
  return pieces.onlineFirst ? a + onlineText + b + statusText + c : a + statusText + b + onlineText + c
}

function entryOf(runner: Runner, store: Store): Entry | undefined {
  // Only frozen records are versions; a test's deliberately writable copy is serialized afresh.
  if (!Object.isFrozen(runner)) return undefined
  let entry = cache.get(runner)
  if (entry === undefined || entry.profile !== store.profile) {
    entry = { profile: store.profile, list: undefined, details: undefined }
    cache.set(runner, entry)
  }
  return entry
}

const newVariants = (): Variants => ({ lastKey: undefined, lastPieces: null, byKey: new Map() })

/** The cached pieces under `key`, made by `make` when missing (at most a few variants per record). */
function variant<A>(variants: Variants, key: string, make: (arg: A) => Pieces | null, arg: A): Pieces | null {
  if (variants.lastKey === key) return variants.lastPieces
  const map = variants.byKey
  let pieces = map.get(key)
  if (pieces === undefined) {
    if (map.size >= MAX_DETAIL_VARIANTS) map.clear()
    pieces = make(arg)
    map.set(key, pieces)
  }
  variants.lastKey = key
  variants.lastPieces = pieces
  return pieces
}

/** The key of a list text under `ctx`: the same for every runner of a page, so made once per page. */
export function listTextKey(ctx: EntityContext): string {
  return ctx.store.profile.runnerAuditFields ? `${ctx.baseUrl}\n${ctx.actor === null ? '-' : 'caller'}\n${ctx.store.structureStamp}` : ''
}

/**
 * The Runner entity (list item) as JSON text, byte for byte JSON.stringify(runnerEntity(runner, ctx, now)).
 * Besides the record it shows (from 18.0) its creator as the caller's base URL renders them, and whether
 * one of its jobs runs (a job added to a live world renews the runner's record: Store#addJob).
 */
export function runnerText(runner: Runner, ctx: EntityContext, now = ctx.store.now(), key = listTextKey(ctx)): string {
  const { store } = ctx
  const entry = entryOf(runner, store)
  if (entry === undefined) return JSON.stringify(runnerEntity(runner, ctx, now))
  entry.list ??= newVariants()
  const pieces = variant(entry.list, key, (r) => piecesOf(runnerEntity(r, ctx, now)), runner)
  return pieces === null ? JSON.stringify(runnerEntity(runner, ctx, now)) : assemble(pieces, runner, store, now)
}

/** What a details text depends on besides the record: base URL, viewer class, structure stamp, whether projects are shown. */
function detailsKey(ctx: EntityContext, options: { includeProjects?: boolean }): string {
  const { actor } = ctx
  const viewer = actor === null ? '-' : actor.isAdmin ? 'admin' : `user ${actor.user.id}`
  return `${ctx.baseUrl}\n${viewer}\n${ctx.store.structureStamp}\n${options.includeProjects !== false}`
}

const NO_OPTIONS: { includeProjects?: boolean } = {}

/** Links texts by details key and the runner's links; cleared when full (they are rebuilt in a few microseconds). */
const linksTexts = new Map<string, string>()
const MAX_LINKS_TEXTS = 4096

/** `,"projects":[…],"groups":[…]}`: the end of a details text under `key` (viewer class, base URL, stamp, projects shown). */
function linksText(runner: Runner, ctx: EntityContext, options: { includeProjects?: boolean }, key: string): string {
  const full = `${key}\n${runner.groupId}\n${runner.projectIds.join()}`
  let text = linksTexts.get(full)
  if (text === undefined) {
    if (linksTexts.size >= MAX_LINKS_TEXTS) linksTexts.clear()
    text = `,${JSON.stringify(runnerDetailsLinks(runner, ctx, options)).slice(1)}`
    linksTexts.set(full, text)
  }
  return text
}

/** The details text's pieces: the head's, its closing brace replaced by the links text. */
function detailsPieces(runner: Runner, ctx: EntityContext, options: { includeProjects?: boolean }, key: string): Pieces | null {
  const head = piecesOf(runnerDetailsHead(runner, ctx))
  if (head === null) return null
  const [a, b, c] = head.parts
  return { parts: [a, b, c.slice(0, -1) + linksText(runner, ctx, options, key)], onlineFirst: head.onlineFirst }
}

/**
 * The RunnerDetails entity as JSON text, byte for byte JSON.stringify(runnerDetailsEntity(runner, ctx, options)).
 * From 17.0 its version fields come from the runner's managers: every manager write renews the runner's
 * record (Store#insertManager, #updateManager, #deleteManager), so a cached text never outlives them.
 */
export function runnerDetailsText(runner: Runner, ctx: EntityContext, options: { includeProjects?: boolean } = {}): string {
  const { store } = ctx
  const entry = entryOf(runner, store)
  if (entry === undefined) return JSON.stringify(runnerDetailsEntity(runner, ctx, options))
  const key = detailsKey(ctx, options)
  entry.details ??= newVariants()
  const pieces = variant(entry.details, key, (r) => detailsPieces(r, ctx, options, key), runner)
  return pieces === null ? JSON.stringify(runnerDetailsEntity(runner, ctx, options)) : assemble(pieces, runner, store, store.now())
}

/**
 * The RunnerDetails text of a record just written (PUT /runners/:id answers it): byte for byte
 * JSON.stringify(runnerDetailsEntity(runner, ctx)), made directly (its links from the kept texts) and
 * not kept: only a later read of the record keeps its pieces, so a write pays for no cache entry.
 */
export function writtenRunnerDetailsText(runner: Runner, ctx: EntityContext): string {
  const head = JSON.stringify(runnerDetailsHead(runner, ctx))
  return head.slice(0, -1) + linksText(runner, ctx, NO_OPTIONS, detailsKey(ctx, NO_OPTIONS))
}

const JSON_TYPE = { 'Content-Type': 'application/json' } as const

/** A JSON answer from ready text, with the headers c.json() would set. */
export function jsonText(c: Context<AppEnv>, text: string, status: 200 | 201 = 200): Response {
  return reply(c, text, status, JSON_TYPE)
}
