/**
 * @module Compact, read-only-after-build storage for jobs: one row per job in typed arrays (times as
 * doubles, small texts as ids into a shared string list, 40-digit shas as 20 bytes), and a Job object
 * made on each read. Jobs never change once the world is built, so every store forked from a template
 * shares one table. At 100k runners × 3 jobs this holds in ~48 MB what objects held in ~190 MB: a row keeps
 * only what it cannot derive (fitsRow says what is derived; other jobs are kept whole).
 */
import { JOB_STATUSES, type Job, type JobStatus } from './types.js'

// A row holds what it cannot derive: queued at creation, never erased, and a pipeline of the job's own
// ref, status and creation whose iid is its id and which was updated when the job last moved (fitsRow).
const F = { createdAt: 0, startedAt: 1, finishedAt: 2, coverage: 3, commitCreatedAt: 4 } as const
const F_WIDTH = 5
const I = {
  id: 0, runnerId: 1, projectId: 2, userId: 3, status: 4, stage: 5, name: 6, ref: 7, flags: 8, failureReason: 9,
  title: 10, message: 11, authorName: 12, authorEmail: 13, pipelineId: 14, source: 15, runnerManagerId: 16,
} as const
const I_WIDTH = 17
const SHA_BYTES = 20
const FLAG_TAG = 1
const FLAG_ALLOW_FAILURE = 2
const FLAG_PARENT = 4

const HEX40 = /^[0-9a-f]{40}$/
const STATUS_INDEX = new Map<JobStatus, number>(JOB_STATUSES.map((s, i) => [s, i]))

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
  sha: Uint8Array
  parent: Uint8Array
  title: number
  message: number
  authorName: number
  authorEmail: number
  commitCreatedAt: number
  pipelineId: number
  source: number
  runnerManagerId: number | null
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

const num = (v: number | null) => (v === null ? Number.NaN : v)
const orNull = (v: number) => (Number.isNaN(v) ? null : v)

/**
 * The jobs of a world, keyed by id; iteration is in insertion (build) order, as a Map's. A table made by
 * {@link JobTable.fork} reads through to a frozen base table (the template's jobs, whose times the reader
 * moves) and holds the jobs added since (a live world's records, already in the world's time frame).
 */
export class JobTable {
  readonly #base: JobTable | null
  #rows = 0
  #f = new Float64Array(0)
  #i = new Int32Array(0)
  #sha = new Uint8Array(0)
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

  /** Whether one of the runner's jobs has this status (read from the rows: no Job objects made). */
  runnerHasStatus(runnerId: number, status: JobStatus): boolean {
    if (this.#base?.runnerHasStatus(runnerId, status)) return true
    const wanted = STATUS_INDEX.get(status)
    const has = (id: number) => {
      const where = this.#where(id)
      return where === 1 ? this.#whole.get(id)?.status === status : this.#i[(where - 2) * I_WIDTH + I.status] === wanted
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
    const ids = this.#runnerIds
    let lo = 0
    let hi = ids.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const v = ids[mid] as number
      if (v === runnerId) return mid
      if (v < runnerId) lo = mid + 1
      else hi = mid - 1
    }
    return -1
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
    if (id !== job.id || !fitsRow(job)) {
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
    return where === 1 ? (this.#whole.get(id) as Job).runnerId : (this.#i[(where - 2) * I_WIDTH + I.runnerId] as number)
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
    if (need * I_WIDTH > this.#i.length) this.#grow(need)
    // The ids to come (the generator's run up to lastId) placed without doubling the id map on the way.
    if (lastId !== undefined && Number.isInteger(lastId) && lastId >= this.#rowOf.length && lastId < 2 ** 24) {
      const grown = new Int32Array(lastId + 1)
      grown.set(this.#rowOf)
      this.#rowOf = grown
    }
  }

  /**
   * Append a generated job without building a Job object: commit and pipeline sha are `sha` (20 bytes),
   * short id its first 8 digits, one parent `parent`, pipeline ref and status those of the job.
   */
  addRow(job: GeneratedJob): void {
    if (this.#frozen) throw new Error('jobs are read-only once the world is built')
    if (this.has(job.id)) throw new Error(`job ${job.id} is already stored`)
    const n = this.#texts.length
    const text = (id: number) => id >= 0 && id < n
    if (!(text(job.stage) && text(job.name) && text(job.ref) && text(job.title) && text(job.message) && text(job.authorName) && text(job.authorEmail) && text(job.source) && (job.failureReason === -1 || text(job.failureReason))))
      throw new Error('a text id of the row is not in this table')
    if ((this.#rows + 1) * I_WIDTH > this.#i.length) this.#grow()
    const row = this.#rows++
    const f = row * F_WIDTH
    const i = row * I_WIDTH
    const fl = this.#f
    fl[f + F.createdAt] = job.createdAt
    fl[f + F.startedAt] = num(job.startedAt)
    fl[f + F.finishedAt] = num(job.finishedAt)
    fl[f + F.coverage] = num(job.coverage)
    fl[f + F.commitCreatedAt] = job.commitCreatedAt
    const ints = this.#i
    ints[i + I.id] = job.id
    ints[i + I.runnerId] = job.runnerId
    ints[i + I.projectId] = job.projectId
    ints[i + I.userId] = job.userId ?? -1
    ints[i + I.status] = STATUS_INDEX.get(job.status) as number
    ints[i + I.stage] = job.stage
    ints[i + I.name] = job.name
    ints[i + I.ref] = job.ref
    ints[i + I.flags] = (job.tag ? FLAG_TAG : 0) | (job.allowFailure ? FLAG_ALLOW_FAILURE : 0) | FLAG_PARENT
    ints[i + I.failureReason] = job.failureReason
    ints[i + I.title] = job.title
    ints[i + I.message] = job.message
    ints[i + I.authorName] = job.authorName
    ints[i + I.authorEmail] = job.authorEmail
    ints[i + I.pipelineId] = job.pipelineId
    ints[i + I.source] = job.source
    ints[i + I.runnerManagerId] = job.runnerManagerId ?? -1
    // 20 bytes by hand: TypedArray#set costs more than the copy at this size (600k of them at 100k runners).
    const sha = this.#sha
    const s = row * SHA_BYTES * 2
    for (let b = 0; b < SHA_BYTES; b++) {
      sha[s + b] = job.sha[b] as number
      sha[s + SHA_BYTES + b] = job.parent[b] as number
    }
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
    if (this.#f.length > this.#rows * F_WIDTH) this.#f = this.#f.slice(0, this.#rows * F_WIDTH)
    if (this.#i.length > this.#rows * I_WIDTH) this.#i = this.#i.slice(0, this.#rows * I_WIDTH)
    if (this.#sha.length > this.#rows * SHA_BYTES * 2) this.#sha = this.#sha.slice(0, this.#rows * SHA_BYTES * 2)
    return this
  }

  /**
   * The runner index when jobs were added runner by runner (as the generator adds them): a runner's span starts
   * where its first job is, and the jobs keep their build order. Undefined when a job's runner comes before the one
   * of a job added earlier. No arrays besides the index itself (at 300k jobs the counting path's scratch was 6 MB).
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
      let lo = 0
      let hi = distinct - 1
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1
        const v = runnerIds[mid] as number
        if (v === runnerId) return mid
        if (v < runnerId) lo = mid + 1
        else hi = mid - 1
      }
      throw new Error(`runner ${runnerId} is not among the table's runners`)
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
    const f = new Float64Array(capacity * F_WIDTH)
    f.set(this.#f)
    const i = new Int32Array(capacity * I_WIDTH)
    i.set(this.#i)
    const sha = new Uint8Array(capacity * SHA_BYTES * 2)
    sha.set(this.#sha)
    this.#f = f
    this.#i = i
    this.#sha = sha
  }

  #write(job: Job): number {
    if ((this.#rows + 1) * I_WIDTH > this.#i.length) this.#grow()
    const row = this.#rows++
    const f = row * F_WIDTH
    const i = row * I_WIDTH
    const commit = job.commit as NonNullable<Job['commit']>
    this.#f[f + F.createdAt] = job.createdAt
    this.#f[f + F.startedAt] = num(job.startedAt)
    this.#f[f + F.finishedAt] = num(job.finishedAt)
    this.#f[f + F.coverage] = num(job.coverage)
    this.#f[f + F.commitCreatedAt] = commit.createdAt
    const ints = this.#i
    ints[i + I.id] = job.id
    ints[i + I.runnerId] = job.runnerId
    ints[i + I.projectId] = job.projectId
    ints[i + I.userId] = job.userId ?? -1
    ints[i + I.status] = STATUS_INDEX.get(job.status) as number
    ints[i + I.stage] = this.#text(job.stage)
    ints[i + I.name] = this.#text(job.name)
    ints[i + I.ref] = this.#text(job.ref)
    ints[i + I.flags] = (job.tag ? FLAG_TAG : 0) | (job.allowFailure ? FLAG_ALLOW_FAILURE : 0) | (commit.parentIds.length > 0 ? FLAG_PARENT : 0)
    ints[i + I.failureReason] = job.failureReason === null ? -1 : this.#text(job.failureReason)
    ints[i + I.title] = this.#text(commit.title)
    ints[i + I.message] = this.#text(commit.message)
    ints[i + I.authorName] = this.#text(commit.authorName)
    ints[i + I.authorEmail] = this.#text(commit.authorEmail)
    ints[i + I.pipelineId] = job.pipeline.id
    ints[i + I.source] = this.#text(job.pipeline.source)
    ints[i + I.runnerManagerId] = job.runnerManagerId ?? -1
    const s = row * SHA_BYTES * 2
    this.#sha.set(Buffer.from(commit.id, 'hex'), s)
    if (commit.parentIds.length > 0) this.#sha.set(Buffer.from(commit.parentIds[0] as string, 'hex'), s + SHA_BYTES)
    return row
  }

  #read(row: number, shift: number): Job {
    const f = row * F_WIDTH
    const i = row * I_WIDTH
    const fl = this.#f
    const ints = this.#i
    const t = this.#texts
    const time = (k: number) => (fl[f + k] as number) + shift
    const timeOrNull = (k: number) => {
      const v = fl[f + k] as number
      return Number.isNaN(v) ? null : v + shift
    }
    const s = row * SHA_BYTES * 2
    const bytes = Buffer.from(this.#sha.buffer, this.#sha.byteOffset, this.#sha.byteLength)
    const sha = bytes.toString('hex', s, s + SHA_BYTES)
    const flags = ints[i + I.flags] as number
    const status = JOB_STATUSES[ints[i + I.status] as number] as JobStatus
    const failure = ints[i + I.failureReason] as number
    const userId = ints[i + I.userId] as number
    const managerId = ints[i + I.runnerManagerId] as number
    const ref = t[ints[i + I.ref] as number] as string
    const createdAt = time(F.createdAt)
    const startedAt = timeOrNull(F.startedAt)
    const finishedAt = timeOrNull(F.finishedAt)
    const pipelineId = ints[i + I.pipelineId] as number
    return {
      id: ints[i + I.id] as number,
      runnerId: ints[i + I.runnerId] as number,
      runnerManagerId: managerId < 0 ? null : managerId,
      projectId: ints[i + I.projectId] as number,
      userId: userId < 0 ? null : userId,
      status,
      stage: t[ints[i + I.stage] as number] as string,
      name: t[ints[i + I.name] as number] as string,
      ref,
      tag: (flags & FLAG_TAG) !== 0,
      coverage: orNull(fl[f + F.coverage] as number),
      allowFailure: (flags & FLAG_ALLOW_FAILURE) !== 0,
      createdAt,
      queuedAt: createdAt,
      startedAt,
      finishedAt,
      erasedAt: null,
      failureReason: failure < 0 ? null : (t[failure] as string),
      commit: {
        id: sha,
        shortId: sha.slice(0, 8),
        title: t[ints[i + I.title] as number] as string,
        message: t[ints[i + I.message] as number] as string,
        authorName: t[ints[i + I.authorName] as number] as string,
        authorEmail: t[ints[i + I.authorEmail] as number] as string,
        createdAt: time(F.commitCreatedAt),
        parentIds: (flags & FLAG_PARENT) !== 0 ? [bytes.toString('hex', s + SHA_BYTES, s + 2 * SHA_BYTES)] : [],
      },
      pipeline: {
        id: pipelineId,
        iid: pipelineId,
        sha,
        ref,
        status,
        source: t[ints[i + I.source] as number] as string,
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
