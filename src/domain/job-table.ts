/**
 * @module Compact, read-only-after-build storage for jobs: one row per job in typed arrays (see below), small
 * texts as ids into a shared string list, and a Job object made on each read. Jobs never change once the world is built, so every store forked from a template
 * shares one table. At 100k runners × 3 jobs this holds in ~23 MB what objects held in ~190 MB: a row keeps
 * only what it cannot derive (fitsRow says what is derived; other jobs are kept whole), 76 bytes a job:
 * its creation time as a double, its other times as milliseconds from it, coverage in hundredths, texts
 * as 16-bit ids (a job whose times, coverage or texts do not fit so is kept whole), and its two shas as the
 * seeded generator's states they were drawn from (a fixture job's shas: 40 bytes in a column of their own).
 */
import { hexDigits } from './random.js'
import { JOB_STATUSES, type Job, type JobStatus } from './types.js'

// A row holds what it cannot derive: queued at creation, never erased, and a pipeline of the job's own
// ref, status and creation whose iid is its id and which was updated when the job last moved (fitsRow).
// Columns: creation time (Float64), ten Int32 (times as offsets from creation, NONE for none), nine 16-bit text ids
// (the failure reason's plus one: 0 for none), two bytes (status, flags), then two Uint32 for the shas: a generated
// row's two generator states (FLAG_SEEDED), a fixture row's place in the sha bytes (20 bytes each sha).
const N = { id: 0, runnerId: 1, projectId: 2, userId: 3, pipelineId: 4, runnerManagerId: 5, started: 6, finished: 7, commitCreated: 8, coverage: 9 } as const
const N_WIDTH = 10
const W = { stage: 0, name: 1, ref: 2, failureReason: 3, title: 4, message: 5, authorName: 6, authorEmail: 7, source: 8 } as const
const W_WIDTH = 9
const B = { status: 0, flags: 1 } as const
const B_WIDTH = 2
/** No time, no coverage (Int32's least value, which no offset that fits takes). */
const NONE = -(2 ** 31)
const INT32_MAX = 2 ** 31 - 1
/** Text ids fit 16 bits (the failure reason's is kept plus one). */
const MAX_TEXTS = 2 ** 16 - 1
/** Fixture jobs (set) add texts up to here; the rest is left to the generator's vocabulary, which comes after them. */
const SET_TEXTS = 2 ** 15
const SHA_BYTES = 20
/** A sha's hex digits: a generated row's sha is what this many draws of int(16) from its state give ({@link hexDigits}). */
export const SHA_DIGITS = 40
const FLAG_TAG = 1
const FLAG_ALLOW_FAILURE = 2
const FLAG_PARENT = 4
const FLAG_SEEDED = 8

const HEX40 = /^[0-9a-f]{40}$/
const STATUS_INDEX = new Map<JobStatus, number>(JOB_STATUSES.map((s, i) => [s, i]))

/** A generator state: a whole number that fits 32 bits unsigned. */
const isState = (state: number): boolean => Number.isInteger(state) && state >= 0 && state < 2 ** 32

/** A row's times as stored: started, finished and commit creation as offsets from creation, coverage in hundredths. */
const packed = new Int32Array(4)

/**
 * Pack a job's times and coverage into `packed`; false when one does not fit (a time more than ~24 days from the
 * job's creation or not a whole millisecond, a coverage that is not a whole number of hundredths).
 */
function pack(createdAt: number, startedAt: number | null, finishedAt: number | null, commitCreatedAt: number, coverage: number | null): boolean {
  const started = offset(startedAt, createdAt)
  const finished = offset(finishedAt, createdAt)
  const commitCreated = offset(commitCreatedAt, createdAt)
  const hundredths = coverage === null ? NONE : Math.round(coverage * 100)
  if (started === undefined || finished === undefined || commitCreated === undefined) return false
  // Read back as the stored Int32 divided by 100: exactly the coverage given (-0 is not: it would come back 0).
  if (coverage !== null && !(hundredths > NONE && hundredths <= INT32_MAX && Object.is((hundredths | 0) / 100, coverage))) return false
  packed[0] = started
  packed[1] = finished
  packed[2] = commitCreated
  packed[3] = hundredths
  return true
}

function offset(time: number | null, from: number): number | undefined {
  if (time === null) return NONE
  const d = time - from
  // The read adds it back: it must give exactly `time` (a sum can round where the difference did not).
  return Number.isInteger(d) && d > NONE && d <= INT32_MAX && Object.is(from + d, time) ? d : undefined
}

/**
 * A generated job's facts, as the seed generator draws them (see JobTable#addRow). Texts are ids from
 * {@link JobTable.textId} (the generator looks each vocabulary entry up once, not once per job).
 */
export interface GeneratedJob {
  id: number
  runnerId: number
  projectId: number
  userId: number | null
  status: JobStatus
  stage: number
  name: number
  ref: number
  tag: boolean
  coverage: number | null
  allowFailure: boolean
  createdAt: number
  startedAt: number | null
  finishedAt: number | null
  /** A text id, or -1 for none. */
  failureReason: number
  /** The seeded generator's state before the sha's {@link SHA_DIGITS} draws (see RandomSource#advance). */
  sha: number
  /** The same for the one parent's sha. */
  parent: number
  title: number
  message: number
  authorName: number
  authorEmail: number
  commitCreatedAt: number
  pipelineId: number
  source: number
  runnerManagerId: number | null
}

/** Where `id` is in `ids` (ascending), or -1. */
function positionOf(ids: Float64Array, id: number): number {
  let lo = 0
  let hi = ids.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const v = ids[mid] as number
    if (v === id) return mid
    if (v < id) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** A frozen table's runner index: sorted runner ids, where each one's job ids start in `jobs` (one more entry: the end), and the job ids. */
interface RunnerIndex {
  runnerIds: Float64Array<ArrayBuffer>
  start: Int32Array<ArrayBuffer>
  jobs: Float64Array<ArrayBuffer>
}

/** Whether a job fits a compact row exactly (else it is kept whole): GitLab-like commits and pipelines. */
function fitsRow(job: Job): boolean {
  const c = job.commit
  return (
    c !== null &&
    HEX40.test(c.id) &&
    c.shortId === c.id.slice(0, 8) &&
    c.parentIds.length <= 1 &&
    c.parentIds.every((p) => HEX40.test(p)) &&
    job.pipeline.sha === c.id &&
    job.queuedAt === job.createdAt &&
    job.erasedAt === null &&
    job.pipeline.iid === job.pipeline.id &&
    job.pipeline.ref === job.ref &&
    job.pipeline.status === job.status &&
    job.pipeline.createdAt === job.createdAt &&
    job.pipeline.updatedAt === (job.finishedAt ?? job.startedAt ?? job.createdAt) &&
    Number.isSafeInteger(job.id) && job.id > 0 && job.id < 2 ** 31 &&
    job.pipeline.id < 2 ** 31 && job.pipeline.iid < 2 ** 31 &&
    job.runnerId < 2 ** 31 && job.projectId < 2 ** 31 && (job.userId === null || job.userId < 2 ** 31) &&
    (job.runnerManagerId === null || (Number.isSafeInteger(job.runnerManagerId) && job.runnerManagerId >= 0 && job.runnerManagerId < 2 ** 31))
  )
}

/**
 * The jobs of a world, keyed by id; iteration is in insertion (build) order, as a Map's. A table made by
 * {@link JobTable.fork} reads through to a frozen base table (the template's jobs, whose times the reader
 * moves) and holds the jobs added since (a live world's records, already in the world's time frame).
 */
export class JobTable {
  readonly #base: JobTable | null
  #rows = 0
  #t = new Float64Array(0)
  #n = new Int32Array(0)
  #w = new Uint16Array(0)
  #b = new Uint8Array(0)
  /** Two per row: a generated row's two sha states (commit, parent); a fixture row's pair number in #shaBytes, then nothing. */
  #shas = new Uint32Array(0)
  /** Fixture rows' shas, 20 bytes each, in pairs (commit, parent). */
  #shaBytes = new Uint8Array(0)
  #shaPairs = 0
  /** Jobs that do not fit a row, kept as frozen objects. */
  readonly #whole = new Map<number, Job>()
  /** id → row + 2 (1: a whole job, 0: none) for ids below 2^24; larger ids in #sparse. */
  #rowOf = new Int32Array(0)
  readonly #sparse = new Map<number, number>()
  /** Every id in insertion order. */
  readonly #order: number[] = []
  readonly #texts: string[] = []
  readonly #textId = new Map<string, number>()
  /**
   * While building, only once read: runner id → its job ids (a world being built rarely asks; 100k small
   * lists would be garbage at once). Once frozen: sorted runner ids, and their job ids in one array (CSR).
   */
  #byRunner: Map<number, number[]> | null = null
  #runnerIds = new Float64Array(0)
  #runnerStart = new Int32Array(1)
  #runnerJobs = new Float64Array(0)
  #frozen = false

  constructor(base: JobTable | null = null) {
    this.#base = base
  }

  /**
   * A table for a forked store: this one is frozen and shared; jobs added to the fork go to its own part.
   * A fork of a fork that added nothing reads the same base (no chain grows from resets and snapshots).
   */
  fork(): JobTable {
    this.freeze()
    return new JobTable(this.#order.length === 0 && this.#base !== null ? this.#base : this)
  }

  /** True once shared: writes are refused (fork it). */
  get frozen(): boolean {
    return this.#frozen
  }

  get size(): number {
    return this.#order.length + (this.#base?.size ?? 0)
  }

  has(id: number): boolean {
    return this.#where(id) !== 0 || (this.#base?.has(id) ?? false)
  }

  *keys(): IterableIterator<number> {
    if (this.#base) yield* this.#base.keys()
    yield* this.#order.values()
  }

  /** The job with its times moved by `shiftMs` (a fresh object: jobs are read-only). Jobs added to a fork are in its frame already. */
  get(id: number, shiftMs = 0): Job | undefined {
    const where = this.#where(id)
    if (where === 0) return this.#base?.get(id, shiftMs)
    const shift = this.#base === null ? shiftMs : 0
    return where === 1 ? shifted(this.#whole.get(id) as Job, shift) : this.#read(where - 2, shift)
  }

  *values(shiftMs = 0): IterableIterator<Job> {
    if (this.#base) yield* this.#base.values(shiftMs)
    for (const id of this.#order) yield this.get(id, shiftMs) as Job
  }

  /**
   * Whether one of the runner's jobs has this status, and ran on that manager when one is named (read from the
   * rows: no Job objects made).
   */
  runnerHasStatus(runnerId: number, status: JobStatus, managerId?: number): boolean {
    if (this.#base?.runnerHasStatus(runnerId, status, managerId)) return true
    const wanted = STATUS_INDEX.get(status)
    const has = (id: number) => {
      const where = this.#where(id)
      if (where === 1) {
        const job = this.#whole.get(id) as Job
        return job.status === status && (managerId === undefined || job.runnerManagerId === managerId)
      }
      const row = where - 2
      return this.#b[row * B_WIDTH + B.status] === wanted && (managerId === undefined || this.#n[row * N_WIDTH + N.runnerManagerId] === managerId)
    }
    if (!this.#frozen) return (this.#building().get(runnerId) ?? []).some(has)
    // Every entity shows job_execution_status: read the runner's ids in place, no array per call.
    const k = this.#runnerIndex(runnerId)
    if (k < 0) return false
    for (let at = this.#runnerStart[k] as number, end = this.#runnerStart[k + 1] as number; at < end; at++) if (has(this.#runnerJobs[at] as number)) return true
    return false
  }

  /** Job ids of a runner in ascending order. */
  idsOfRunner(runnerId: number): readonly number[] {
    const own = this.#ownIdsOfRunner(runnerId)
    if (this.#base === null) return own
    const below = this.#base.idsOfRunner(runnerId)
    if (own.length === 0) return below
    return [...below, ...own].sort((a, b) => a - b)
  }

  #ownIdsOfRunner(runnerId: number): readonly number[] {
    if (!this.#frozen) return this.#building().get(runnerId) ?? []
    const k = this.#runnerIndex(runnerId)
    return k < 0 ? [] : Array.from(this.#runnerJobs.subarray(this.#runnerStart[k], this.#runnerStart[k + 1]))
  }

  /** Where a runner's ids start in the frozen index (its position among the sorted runner ids), or -1. */
  #runnerIndex(runnerId: number): number {
    return positionOf(this.#runnerIds, runnerId)
  }

  #where(id: number): number {
    if (id >= 0 && id < this.#rowOf.length) return this.#rowOf[id] as number
    return this.#sparse.get(id) ?? 0
  }

  #place(id: number, where: number): void {
    this.#order.push(id)
    if (!Number.isInteger(id) || id < 0 || id >= 2 ** 24) {
      this.#sparse.set(id, where)
      return
    }
    if (id >= this.#rowOf.length) {
      const grown = new Int32Array(Math.max(1024, id + 1, this.#rowOf.length * 2))
      grown.set(this.#rowOf)
      this.#rowOf = grown
    }
    this.#rowOf[id] = where
  }

  /** Add a job while the world is built (the table refuses writes once frozen). */
  set(id: number, job: Job): this {
    if (this.#frozen) throw new Error('jobs are read-only once the world is built')
    if (this.has(id)) throw new Error(`job ${id} is already stored`)
    const fits =
      id === job.id && fitsRow(job) && this.#texts.length + W_WIDTH <= SET_TEXTS &&
      pack(job.createdAt, job.startedAt, job.finishedAt, (job.commit as NonNullable<Job['commit']>).createdAt, job.coverage)
    if (!fits) {
      this.#whole.set(id, deepFreeze(structuredClone(job)))
      this.#place(id, 1)
    } else {
      this.#place(id, this.#write(job) + 2)
    }
    this.#index(job.runnerId, id)
    return this
  }

  /** The runner's job ids of a table being built, made on the first read and kept up from then on. */
  #building(): Map<number, number[]> {
    if (this.#byRunner === null) {
      this.#byRunner = new Map()
      for (const id of this.#order) this.#index(this.#runnerOf(id), id)
    }
    return this.#byRunner
  }

  #runnerOf(id: number): number {
    const where = this.#where(id)
    return where === 1 ? (this.#whole.get(id) as Job).runnerId : (this.#n[(where - 2) * N_WIDTH + N.runnerId] as number)
  }

  #index(runnerId: number, id: number): void {
    if (this.#byRunner === null) return
    const list = this.#byRunner.get(runnerId)
    if (list === undefined) this.#byRunner.set(runnerId, [id])
    else {
      list.push(id)
      if ((list[list.length - 2] as number) > id) list.sort((a, b) => a - b)
    }
  }

  /** Room for `more` rows without growing (the generator knows its count), and for ids up to `lastId`. */
  reserve(more: number, lastId?: number): void {
    const need = this.#rows + more
    if (need > this.#t.length) this.#grow(need)
    // The ids to come (the generator's run up to lastId) placed without doubling the id map on the way.
    if (lastId !== undefined && Number.isInteger(lastId) && lastId >= this.#rowOf.length && lastId < 2 ** 24) {
      const grown = new Int32Array(lastId + 1)
      grown.set(this.#rowOf)
      this.#rowOf = grown
    }
  }

  /**
   * Append a generated job without building a Job object: commit and pipeline sha are the digits drawn from the
   * generator state `sha` (`hexDigits(sha, SHA_DIGITS)`, made when the job is read), short id its first 8 digits,
   * one parent drawn from `parent`, pipeline ref and status those of the job.
   */
  addRow(job: GeneratedJob): void {
    if (this.#frozen) throw new Error('jobs are read-only once the world is built')
    if (this.has(job.id)) throw new Error(`job ${job.id} is already stored`)
    const n = this.#texts.length
    const text = (id: number) => Number.isInteger(id) && id >= 0 && id < n
    if (!(text(job.stage) && text(job.name) && text(job.ref) && text(job.title) && text(job.message) && text(job.authorName) && text(job.authorEmail) && text(job.source) && (job.failureReason === -1 || text(job.failureReason))))
      throw new Error('a text id of the row is not in this table')
    if (!pack(job.createdAt, job.startedAt, job.finishedAt, job.commitCreatedAt, job.coverage))
      throw new Error(`generated job ${job.id}: its times lie too far from its creation, or its coverage is not in hundredths`)
    if (!(isState(job.sha) && isState(job.parent))) throw new Error(`generated job ${job.id}: a sha's state is not a 32-bit generator state`)
    const flags = (job.tag ? FLAG_TAG : 0) | (job.allowFailure ? FLAG_ALLOW_FAILURE : 0) | FLAG_PARENT | FLAG_SEEDED
    const row = this.#newRow(job.createdAt, job.id, job.runnerId, job.projectId, job.userId, job.pipelineId, job.runnerManagerId, job.status, flags)
    this.#putTexts(row, job.stage, job.name, job.ref, job.failureReason + 1, job.title, job.message, job.authorName, job.authorEmail, job.source)
    this.#shas[row * 2] = job.sha
    this.#shas[row * 2 + 1] = job.parent
    this.#place(job.id, row + 2)
    this.#index(job.runnerId, job.id)
  }

  /** No more writes: every store forked from the world shares this table. */
  freeze(): this {
    if (this.#frozen) return this
    this.#frozen = true
    const { runnerIds, start, jobs } = this.#groupedIndex() ?? this.#countedIndex()
    this.#runnerIds = runnerIds
    this.#runnerStart = start
    const distinct = runnerIds.length
    // Ids ascending within a runner (build order almost always is); a view per runner only where one is out of order.
    for (let k = 0; k < distinct; k++) {
      for (let at = (start[k] as number) + 1, end = start[k + 1] as number; at < end; at++)
        if ((jobs[at - 1] as number) > (jobs[at] as number)) {
          jobs.subarray(start[k], end).sort()
          break
        }
    }
    this.#runnerJobs = jobs
    this.#byRunner = null
    // Trim the row arrays to their use where doubling left slack (reserve() sizes them exactly: no copy then).
    if (this.#t.length > this.#rows) {
      const rows = this.#rows
      this.#t = this.#t.slice(0, rows)
      this.#n = this.#n.slice(0, rows * N_WIDTH)
      this.#w = this.#w.slice(0, rows * W_WIDTH)
      this.#b = this.#b.slice(0, rows * B_WIDTH)
      this.#shas = this.#shas.slice(0, rows * 2)
    }
    if (this.#shaBytes.length > this.#shaPairs * SHA_BYTES * 2) this.#shaBytes = this.#shaBytes.slice(0, this.#shaPairs * SHA_BYTES * 2)
    return this
  }

  /**
   * The runner index when jobs were added runner by runner (as the generator adds them): a runner's span starts
   * where its first job is, and the jobs keep their build order. Undefined when a job's runner comes before the one
   * of a job added earlier. Two walks over the jobs (count the runners, then fill) and no arrays besides the index
   * itself (at 300k jobs the counting path's scratch was 6 MB).
   */
  #groupedIndex(): RunnerIndex | undefined {
    const order = this.#order
    let distinct = 0
    for (let j = 0, previous = Number.NaN; j < order.length; j++) {
      const runnerId = this.#runnerOf(order[j] as number)
      if (runnerId < previous) return undefined
      if (runnerId !== previous) distinct++
      previous = runnerId
    }
    const runnerIds = new Float64Array(distinct)
    const start = new Int32Array(distinct + 1)
    for (let j = 0, k = -1, previous = Number.NaN; j < order.length; j++) {
      const runnerId = this.#runnerOf(order[j] as number)
      if (runnerId !== previous) {
        runnerIds[++k] = runnerId
        start[k] = j
        previous = runnerId
      }
    }
    start[distinct] = order.length
    return { runnerIds, start, jobs: Float64Array.from(order) }
  }

  /** The runner index by counting: runner ids sorted and made unique, each job placed in its runner's span in build order. */
  #countedIndex(): RunnerIndex {
    const order = this.#order
    const runnerOfJob = Float64Array.from(order, (id) => this.#runnerOf(id))
    const sorted = runnerOfJob.slice().sort()
    let distinct = 0
    for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[distinct++] = sorted[k] as number
    const runnerIds = sorted.slice(0, distinct)
    const search = (runnerId: number) => {
      const k = positionOf(runnerIds, runnerId)
      if (k < 0) throw new Error(`runner ${runnerId} is not among the table's runners`)
      return k
    }
    const start = new Int32Array(distinct + 1)
    const slot = new Int32Array(order.length)
    for (let j = 0; j < order.length; j++) {
      const k = search(runnerOfJob[j] as number)
      slot[j] = k
      start[k + 1] = (start[k + 1] as number) + 1
    }
    for (let k = 0; k < distinct; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number)
    const jobs = new Float64Array(order.length)
    const next = start.slice(0, distinct)
    for (let j = 0; j < order.length; j++) {
      const k = slot[j] as number
      const at = next[k] as number
      jobs[at] = order[j] as number
      next[k] = at + 1
    }
    return { runnerIds, start, jobs }
  }

  /** The id of a text in this table (added if new), for {@link GeneratedJob} rows. */
  textId(value: string): number {
    if (this.#frozen) throw new Error('jobs are read-only once the world is built')
    if (!this.#textId.has(value) && this.#texts.length >= MAX_TEXTS) throw new Error(`a job table holds at most ${MAX_TEXTS} texts`)
    return this.#text(value)
  }

  #text(value: string): number {
    let id = this.#textId.get(value)
    if (id === undefined) {
      id = this.#texts.length
      this.#texts.push(value)
      this.#textId.set(value, id)
    }
    return id
  }

  #grow(atLeast = 0): void {
    const capacity = Math.max(1024, this.#rows * 2, atLeast)
    const t = new Float64Array(capacity)
    t.set(this.#t)
    const n = new Int32Array(capacity * N_WIDTH)
    n.set(this.#n)
    const w = new Uint16Array(capacity * W_WIDTH)
    w.set(this.#w)
    const b = new Uint8Array(capacity * B_WIDTH)
    b.set(this.#b)
    const shas = new Uint32Array(capacity * 2)
    shas.set(this.#shas)
    this.#t = t
    this.#n = n
    this.#w = w
    this.#b = b
    this.#shas = shas
  }

  /** The next row, room made for it. */
  #row(): number {
    if (this.#rows + 1 > this.#t.length) this.#grow()
    return this.#rows++
  }

  /** A new row with the columns every job has (its times already in `packed`); the caller writes its texts and shas. */
  #newRow(createdAt: number, id: number, runnerId: number, projectId: number, userId: number | null, pipelineId: number, managerId: number | null, status: JobStatus, flags: number): number {
    const row = this.#row()
    this.#t[row] = createdAt
    const ints = this.#n
    const i = row * N_WIDTH
    ints[i + N.id] = id
    ints[i + N.runnerId] = runnerId
    ints[i + N.projectId] = projectId
    ints[i + N.userId] = userId ?? -1
    ints[i + N.pipelineId] = pipelineId
    ints[i + N.runnerManagerId] = managerId ?? -1
    ints[i + N.started] = packed[0] as number
    ints[i + N.finished] = packed[1] as number
    ints[i + N.commitCreated] = packed[2] as number
    ints[i + N.coverage] = packed[3] as number
    const b = row * B_WIDTH
    this.#b[b + B.status] = STATUS_INDEX.get(status) as number
    this.#b[b + B.flags] = flags
    return row
  }

  /** A row's text ids (the failure reason's plus one: 0 for none). */
  #putTexts(row: number, stage: number, name: number, ref: number, failureReason: number, title: number, message: number, authorName: number, authorEmail: number, source: number): void {
    const w = this.#w
    const t = row * W_WIDTH
    w[t + W.stage] = stage
    w[t + W.name] = name
    w[t + W.ref] = ref
    w[t + W.failureReason] = failureReason
    w[t + W.title] = title
    w[t + W.message] = message
    w[t + W.authorName] = authorName
    w[t + W.authorEmail] = authorEmail
    w[t + W.source] = source
  }

  /** Store a job that fits a row (its times already in `packed`, see set()). */
  #write(job: Job): number {
    const commit = job.commit as NonNullable<Job['commit']>
    const flags = (job.tag ? FLAG_TAG : 0) | (job.allowFailure ? FLAG_ALLOW_FAILURE : 0) | (commit.parentIds.length > 0 ? FLAG_PARENT : 0)
    const row = this.#newRow(job.createdAt, job.id, job.runnerId, job.projectId, job.userId, job.pipeline.id, job.runnerManagerId, job.status, flags)
    const failureReason = job.failureReason === null ? 0 : this.#text(job.failureReason) + 1
    this.#putTexts(row, this.#text(job.stage), this.#text(job.name), this.#text(job.ref), failureReason, this.#text(commit.title), this.#text(commit.message), this.#text(commit.authorName), this.#text(commit.authorEmail), this.#text(job.pipeline.source))
    const pair = this.#shaPairs++
    if (this.#shaBytes.length < this.#shaPairs * SHA_BYTES * 2) {
      const grown = new Uint8Array(Math.max(1024, this.#shaPairs * 2) * SHA_BYTES * 2)
      grown.set(this.#shaBytes)
      this.#shaBytes = grown
    }
    const s = pair * SHA_BYTES * 2
    this.#shaBytes.set(Buffer.from(commit.id, 'hex'), s)
    if (commit.parentIds.length > 0) this.#shaBytes.set(Buffer.from(commit.parentIds[0] as string, 'hex'), s + SHA_BYTES)
    this.#shas[row * 2] = pair
    return row
  }

  /** A row's commit sha (`which` 0) or its parent's (1). */
  #shaOf(row: number, flags: number, which: 0 | 1): string {
    if ((flags & FLAG_SEEDED) !== 0) return hexDigits(this.#shas[row * 2 + which] as number, SHA_DIGITS)
    const s = (this.#shas[row * 2] as number) * SHA_BYTES * 2 + which * SHA_BYTES
    return Buffer.from(this.#shaBytes.buffer, this.#shaBytes.byteOffset + s, SHA_BYTES).toString('hex')
  }

  #read(row: number, shift: number): Job {
    const ints = this.#n
    const i = row * N_WIDTH
    const w = this.#w
    const k = row * W_WIDTH
    const t = this.#texts
    const created = this.#t[row] as number
    const timeOrNull = (column: number) => {
      const v = ints[i + column] as number
      return v === NONE ? null : created + v + shift
    }
    const flags = this.#b[row * B_WIDTH + B.flags] as number
    const sha = this.#shaOf(row, flags, 0)
    const status = JOB_STATUSES[this.#b[row * B_WIDTH + B.status] as number] as JobStatus
    const failure = w[k + W.failureReason] as number
    const userId = ints[i + N.userId] as number
    const managerId = ints[i + N.runnerManagerId] as number
    const hundredths = ints[i + N.coverage] as number
    const ref = t[w[k + W.ref] as number] as string
    const createdAt = created + shift
    const startedAt = timeOrNull(N.started)
    const finishedAt = timeOrNull(N.finished)
    const pipelineId = ints[i + N.pipelineId] as number
    return {
      id: ints[i + N.id] as number,
      runnerId: ints[i + N.runnerId] as number,
      runnerManagerId: managerId < 0 ? null : managerId,
      projectId: ints[i + N.projectId] as number,
      userId: userId < 0 ? null : userId,
      status,
      stage: t[w[k + W.stage] as number] as string,
      name: t[w[k + W.name] as number] as string,
      ref,
      tag: (flags & FLAG_TAG) !== 0,
      coverage: hundredths === NONE ? null : hundredths / 100,
      allowFailure: (flags & FLAG_ALLOW_FAILURE) !== 0,
      createdAt,
      queuedAt: createdAt,
      startedAt,
      finishedAt,
      erasedAt: null,
      failureReason: failure === 0 ? null : (t[failure - 1] as string),
      commit: {
        id: sha,
        shortId: sha.slice(0, 8),
        title: t[w[k + W.title] as number] as string,
        message: t[w[k + W.message] as number] as string,
        authorName: t[w[k + W.authorName] as number] as string,
        authorEmail: t[w[k + W.authorEmail] as number] as string,
        createdAt: timeOrNull(N.commitCreated) as number,
        parentIds: (flags & FLAG_PARENT) !== 0 ? [this.#shaOf(row, flags, 1)] : [],
      },
      pipeline: {
        id: pipelineId,
        iid: pipelineId,
        sha,
        ref,
        status,
        source: t[w[k + W.source] as number] as string,
        createdAt,
        updatedAt: finishedAt ?? startedAt ?? createdAt,
      },
    }
  }
}

/** A copy of a whole (non-row) job with its times moved. */
function shifted(job: Job, shift: number): Job {
  const tn = (v: number | null) => (v === null ? null : v + shift)
  return {
    ...job,
    createdAt: job.createdAt + shift,
    queuedAt: tn(job.queuedAt),
    startedAt: tn(job.startedAt),
    finishedAt: tn(job.finishedAt),
    erasedAt: tn(job.erasedAt),
    commit: job.commit ? { ...job.commit, parentIds: [...job.commit.parentIds], createdAt: job.commit.createdAt + shift } : null,
    pipeline: { ...job.pipeline, createdAt: job.pipeline.createdAt + shift, updatedAt: job.pipeline.updatedAt + shift },
  }
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as object)) deepFreeze(v)
  }
  return value
}
