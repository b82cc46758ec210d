import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JobTable, type GeneratedJob } from './job-table.js'
import { randomSource } from './random.js'
import type { Job } from './types.js'

const SHA = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef'
const PARENT = 'f'.repeat(40)
const T = Date.parse('2026-01-15T12:00:00Z')

/** A job as the fixture builder makes one: queued when created, its own pipeline (iid = id, same ref and status). */
function job(over: Partial<Job> = {}, pipeline: Partial<Job['pipeline']> = {}): Job {
  const base: Job = {
    id: 7,
    runnerId: 3,
    projectId: 100,
    userId: 2,
    status: 'success',
    stage: 'test',
    name: 'rspec',
    ref: 'main',
    tag: false,
    coverage: 81.25,
    allowFailure: false,
    createdAt: T,
    queuedAt: T,
    startedAt: T + 5_000,
    finishedAt: T + 65_000,
    erasedAt: null,
    failureReason: null,
    commit: { id: SHA, shortId: SHA.slice(0, 8), title: 'Fix', message: 'Fix\n', authorName: 'A B', authorEmail: 'a.b@example.com', createdAt: T - 60_000, parentIds: [PARENT] },
    pipeline: { id: 40, iid: 40, sha: SHA, ref: 'main', status: 'success', source: 'push', createdAt: T, updatedAt: T + 65_000 },
    runnerManagerId: 5,
    ...over,
  }
  return { ...base, pipeline: { ...base.pipeline, ...pipeline } }
}

describe('the job table gives back what it was given', () => {
  it('a job whose queue time and pipeline follow from it round-trips through a compact row', () => {
    const table = new JobTable()
    for (const j of [job(), job({ id: 8, status: 'running', finishedAt: null, coverage: null }, { id: 41, iid: 41, status: 'running', updatedAt: T + 5_000 }), job({ id: 9, status: 'created', startedAt: null, finishedAt: null, userId: null, runnerManagerId: null }, { id: 42, iid: 42, status: 'created', updatedAt: T })])
      table.set(j.id, j)
    table.freeze()
    expect(table.get(7)).toEqual(job())
    expect(table.get(8)?.pipeline.updatedAt).toBe(T + 5_000)
    expect(table.get(9)?.pipeline.updatedAt).toBe(T)
    expect(table.get(9)?.userId).toBeNull()
    // Times move when read with a shift.
    expect(table.get(7, 1_000)?.queuedAt).toBe(T + 1_000)
    expect(table.get(7, 1_000)?.pipeline.updatedAt).toBe(T + 66_000)
  })

  it.each<[string, Partial<Job>, Partial<Job['pipeline']>]>([
    ['queued after creation', { queuedAt: T + 1_000 }, {}],
    ['never queued', { queuedAt: null }, {}],
    ['erased', { erasedAt: T + 70_000 }, {}],
    ['a pipeline iid other than its id', {}, { iid: 3 }],
    ['a pipeline of another ref', {}, { ref: 'feature' }],
    ['a pipeline of another status', {}, { status: 'failed' }],
    ['a pipeline created earlier', {}, { createdAt: T - 1 }],
    ['a pipeline updated later', {}, { updatedAt: T + 99_000 }],
  ])('a job with %s is kept whole, exactly as given', (_, over, pipeline) => {
    const table = new JobTable()
    const given = job(over, pipeline)
    table.set(given.id, given)
    table.freeze()
    expect(table.get(given.id)).toEqual(given)
    expect(table.get(given.id, 500)?.createdAt).toBe(T + 500)
  })

  it.each<[string, Partial<Job>]>([
    ['started 25 days after creation', { startedAt: T + 25 * 86_400_000, finishedAt: T + 26 * 86_400_000 }],
    ['a time between two milliseconds', { startedAt: T + 5_000.5 }],
    ['a coverage finer than hundredths', { coverage: 33.333 }],
    ['a coverage of minus zero', { coverage: -0 }],
  ])('a job with %s is kept whole, exactly as given', (_, over) => {
    const table = new JobTable()
    const given = job(over, { updatedAt: over.finishedAt ?? over.startedAt ?? T + 65_000 })
    table.set(given.id, given)
    table.freeze()
    expect(table.get(given.id)).toStrictEqual(given)
    expect(table.get(given.id, 500)?.startedAt).toBe((given.startedAt as number) + 500)
  })

  it('any job reads back exactly as given, in a row or whole, and moved by a shift', () => {
    // Creation at an instant of today or anywhere (a fraction near the epoch makes a sum round where a difference
    // did not); the other times that far from it in whole milliseconds, or anywhere.
    // (No time is -0: times come from ISO strings and whole milliseconds, and a shift turns -0 into 0 anyway.)
    const plus = (v: number) => v + 0
    const created = fc.oneof(fc.constant(T), fc.double({ min: -1e3, max: 1e3, noNaN: true }).map(plus), fc.integer({ min: -(2 ** 40), max: 2 ** 40 }))
    const offset = fc.oneof(fc.integer({ min: -(2 ** 31) - 5, max: 2 ** 31 + 5 }), fc.integer({ min: -100, max: 100 }))
    const timeFrom = (c: number) => fc.oneof(offset.map((d) => plus(c + d)), fc.double({ min: -(2 ** 31), max: 2 ** 31, noNaN: true }).map(plus))
    const coverage = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 10_000 }).map((h) => h / 100), fc.double({ min: 0, max: 100, noNaN: true }))
    const times = created.chain((c) => fc.tuple(fc.constant(c), fc.option(timeFrom(c)), fc.option(timeFrom(c)), timeFrom(c)))
    fc.assert(
      fc.property(times, coverage, fc.integer({ min: -1e6, max: 1e6 }), ([createdAt, startedAt, finished, commitAt], cov, shift) => {
        const finishedAt = startedAt === null ? null : finished
        const base = job({ createdAt, queuedAt: createdAt, startedAt, finishedAt, coverage: cov, status: finishedAt !== null ? 'success' : startedAt !== null ? 'running' : 'created' })
        const given = {
          ...base,
          commit: { ...(base.commit as NonNullable<Job['commit']>), createdAt: commitAt },
          pipeline: { ...base.pipeline, status: base.status, createdAt, updatedAt: finishedAt ?? startedAt ?? createdAt },
        }
        const table = new JobTable()
        table.set(given.id, given)
        table.freeze()
        expect(table.get(given.id)).toStrictEqual(given)
        const moved = table.get(given.id, shift) as Job
        expect([moved.createdAt, moved.startedAt, moved.finishedAt, moved.commit?.createdAt]).toStrictEqual([
          createdAt + shift, startedAt === null ? null : startedAt + shift, finishedAt === null ? null : finishedAt + shift, commitAt + shift,
        ])
      }),
      { numRuns: 500 },
    )
  })

  it('keeps fixture jobs with texts of their own whole once their texts fill half the text ids, leaving the rest to the generator', () => {
    const table = new JobTable()
    // 7,400 jobs with nine texts of their own each: 66,600 texts, more than 16-bit ids can name.
    const given = Array.from({ length: 7400 }, (_, k) => {
      const base = job({ id: k + 1, status: 'failed', failureReason: `reason ${k}`, stage: `stage ${k}`, name: `name ${k}`, ref: `ref-${k}` }, { id: k + 1, iid: k + 1, ref: `ref-${k}`, status: 'failed', source: `source ${k}` })
      const commit = base.commit as NonNullable<Job['commit']>
      return { ...base, commit: { ...commit, title: `title ${k}`, message: `message ${k}`, authorName: `author ${k}`, authorEmail: `a${k}@example.com` } }
    })
    for (const j of given) table.set(j.id, j)
    // The generator's vocabulary still gets ids, and a row made with them reads back.
    const ids = Array.from({ length: 400 }, (_, k) => table.textId(`vocabulary ${k}`))
    expect(Math.max(...ids)).toBeLessThan(2 ** 16 - 1)
    table.freeze()
    for (const j of given) expect(table.get(j.id)).toStrictEqual(j)
  })

  it("a generated row reads back with the fixture builder's queue time and pipeline, its shas drawn from their states", () => {
    const table = new JobTable()
    // The states the generator's 40 draws of each sha started from; the digits are those draws (hex of int(16)).
    const [sha, parent] = [0, 2 ** 32 - 1]
    const digits = (state: number) => {
      const source = randomSource({ rngState: state })
      return Array.from({ length: 40 }, () => source.int(16).toString(16)).join('')
    }
    const drawn = (j: Job): Job => ({ ...j, commit: { ...(j.commit as NonNullable<Job['commit']>), id: digits(sha), shortId: digits(sha).slice(0, 8), parentIds: [digits(parent)] }, pipeline: { ...j.pipeline, sha: digits(sha) } })
    const text = (value: string) => table.textId(value)
    const row: GeneratedJob = {
      id: 7, runnerId: 3, projectId: 100, userId: 2, status: 'success', stage: text('test'), name: text('rspec'), ref: text('main'), tag: false,
      coverage: 81.25, allowFailure: false, createdAt: T, startedAt: T + 5_000, finishedAt: T + 65_000, failureReason: -1,
      sha, parent, title: text('Fix'), message: text('Fix\n'), authorName: text('A B'), authorEmail: text('a.b@example.com'), commitCreatedAt: T - 60_000,
      pipelineId: 40, source: text('push'), runnerManagerId: 5,
    }
    table.addRow(row)
    expect(table.get(7)).toEqual(drawn(job()))
    // A fork reads through to its frozen base.
    expect(table.fork().get(7)).toEqual(drawn(job()))
    // A fixture job beside generated rows keeps its own shas.
    const mixed = new JobTable()
    mixed.addRow({ ...row, id: 1, stage: mixed.textId('test'), name: mixed.textId('rspec'), ref: mixed.textId('main'), title: mixed.textId('Fix'), message: mixed.textId('Fix\n'), authorName: mixed.textId('A B'), authorEmail: mixed.textId('a.b@example.com'), source: mixed.textId('push') })
    mixed.set(7, job())
    mixed.freeze()
    expect(mixed.get(7)).toEqual(job())
    expect(mixed.get(1)).toEqual(drawn(job({ id: 1 })))
    // A state that is not a 32-bit generator state is refused, and nothing is added.
    const refusing = new JobTable()
    const texts = Object.fromEntries(['test', 'rspec', 'main', 'Fix', 'Fix\n', 'A B', 'a.b@example.com', 'push'].map((v) => [v, refusing.textId(v)]))
    const valid = { ...row, stage: texts.test, name: texts.rspec, ref: texts.main, title: texts.Fix, message: texts['Fix\n'], authorName: texts['A B'], authorEmail: texts['a.b@example.com'], source: texts.push } as GeneratedJob
    for (const bad of [-1, 2 ** 32, 0.5, Number.NaN]) {
      expect(() => refusing.addRow({ ...valid, sha: bad })).toThrow(/not a 32-bit generator state/)
      expect(() => refusing.addRow({ ...valid, parent: bad })).toThrow(/not a 32-bit generator state/)
    }
    expect(refusing.size).toBe(0)
    refusing.addRow(valid)
    expect(refusing.get(7)).toEqual(drawn(job()))
    // A row naming a text the table does not hold is refused, and nothing is added.
    const other = new JobTable()
    expect(() => other.addRow({ ...row, id: 8, stage: 99 })).toThrow(/text id of the row is not in this table/)
    expect(other.size).toBe(0)
    // So is one whose times do not fit a row (the generator's never lie so far apart).
    const third = new JobTable()
    const stage = third.textId('test')
    const plain = { ...row, stage, name: stage, ref: stage, title: stage, message: stage, authorName: stage, authorEmail: stage, source: stage }
    expect(() => third.addRow({ ...plain, finishedAt: T + 30 * 86_400_000 })).toThrow(/times lie too far/)
    expect(() => third.addRow({ ...plain, coverage: 1 / 3 })).toThrow(/coverage is not in hundredths/)
    expect(third.size).toBe(0)
    third.addRow(plain)
    expect(third.get(7)?.coverage).toBe(81.25)
    other.addRow({ ...row, stage: other.textId('test'), name: other.textId('rspec'), ref: other.textId('main'), title: other.textId('Fix'), message: other.textId('Fix\n'), authorName: other.textId('A B'), authorEmail: other.textId('a.b@example.com'), source: other.textId('push') })
    expect(other.get(7)).toEqual(drawn(job()))
  })
})

describe("the job table's shas and status checks", () => {
  it('fixture jobs keep their own commit and parent shas beside generated rows, before and after freezing and in a fork', () => {
    const table = new JobTable()
    const shaOf = (k: number, salt: string) => createHash('sha1').update(`${salt}${k}`).digest('hex')
    const given = Array.from({ length: 40 }, (_, k) => {
      const id = k + 1
      const commit = { ...(job().commit as NonNullable<Job['commit']>), id: shaOf(k, 'c'), shortId: shaOf(k, 'c').slice(0, 8), parentIds: k % 3 === 0 ? [] : [shaOf(k, 'p')] }
      return job({ id, commit }, { id: id + 1000, iid: id + 1000, sha: commit.id })
    })
    for (const j of given.slice(0, 20)) table.set(j.id, j)
    const text = (value: string) => table.textId(value)
    table.addRow({
      id: 500, runnerId: 3, projectId: 100, userId: 2, status: 'success', stage: text('test'), name: text('rspec'), ref: text('main'), tag: false,
      coverage: 81.25, allowFailure: false, createdAt: T, startedAt: T + 5_000, finishedAt: T + 65_000, failureReason: -1,
      sha: 7, parent: 9, title: text('Fix'), message: text('Fix\n'), authorName: text('A B'), authorEmail: text('a.b@example.com'), commitCreatedAt: T - 60_000,
      pipelineId: 40, source: text('push'), runnerManagerId: 5,
    })
    for (const j of given.slice(20)) table.set(j.id, j)
    for (const j of given) expect(table.get(j.id)).toStrictEqual(j)
    table.freeze()
    for (const j of given) expect(table.get(j.id)).toStrictEqual(j)
    const fork = table.fork()
    for (const j of given) expect(fork.get(j.id)).toStrictEqual(j)
    expect(fork.get(500)?.commit?.parentIds).toHaveLength(1)
  })

  it('tells whether a runner has a job of a status, on a given manager when one is named, for rows and whole jobs', () => {
    const table = new JobTable()
    table.set(1, job({ id: 1, status: 'running', finishedAt: null, coverage: null, runnerManagerId: 5 }, { id: 1001, iid: 1001, status: 'running', updatedAt: T + 5_000 }))
    // Kept whole (queued after creation), on manager 6.
    table.set(2, job({ id: 2, status: 'running', finishedAt: null, coverage: null, runnerManagerId: 6, queuedAt: T + 1 }, { id: 1002, iid: 1002, status: 'running', updatedAt: T + 5_000 }))
    for (const t of [table, table.fork()]) {
      expect(t.runnerHasStatus(3, 'running')).toBe(true)
      expect(t.runnerHasStatus(3, 'running', 5)).toBe(true)
      expect(t.runnerHasStatus(3, 'running', 6)).toBe(true)
      expect(t.runnerHasStatus(3, 'running', 7)).toBe(false)
      expect(t.runnerHasStatus(3, 'success', 5)).toBe(false)
      expect(t.runnerHasStatus(4, 'running', 5)).toBe(false)
    }
  })
})

describe("the job table's runner index", () => {
  const ofRunner = (table: JobTable, ids: number[]) => ids.map((runnerId) => [runnerId, [...table.idsOfRunner(runnerId)]])
  const fill = (table: JobTable, pairs: [id: number, runnerId: number][]) => {
    for (const [id, runnerId] of pairs) table.set(id, job({ id, runnerId }, { id: id + 1000, iid: id + 1000 }))
  }

  it('lists each runner’s job ids ascending, before and after the table is frozen, whatever the build order', () => {
    const table = new JobTable()
    fill(table, [[5, 2], [3, 1], [9, 2], [4, 2], [1, 7]])
    // A read while building makes the index; jobs added after it are indexed too.
    expect(ofRunner(table, [1, 2, 7, 8])).toEqual([[1, [3]], [2, [4, 5, 9]], [7, [1]], [8, []]])
    fill(table, [[2, 2], [12, 1]])
    expect(table.runnerHasStatus(2, 'success')).toBe(true)
    const before = ofRunner(table, [1, 2, 7, 8])
    expect(before).toEqual([[1, [3, 12]], [2, [2, 4, 5, 9]], [7, [1]], [8, []]])
    table.freeze()
    expect(ofRunner(table, [1, 2, 7, 8])).toEqual(before)
    expect(table.runnerHasStatus(8, 'success')).toBe(false)
  })

  it('a table frozen without any read while building gives the same index; a fork merges its own jobs', () => {
    const table = new JobTable()
    fill(table, [[5, 2], [3, 1], [9, 2], [4, 2], [1, 7]])
    table.freeze()
    expect(ofRunner(table, [1, 2, 7])).toEqual([[1, [3]], [2, [4, 5, 9]], [7, [1]]])
    const fork = table.fork()
    fill(fork, [[20, 2], [6, 7]])
    fork.freeze()
    expect(ofRunner(fork, [1, 2, 7])).toEqual([[1, [3]], [2, [4, 5, 9, 20]], [7, [1, 6]]])
    expect(ofRunner(table, [2, 7])).toEqual([[2, [4, 5, 9]], [7, [1]]])
  })

  it('is each runner’s ids ascending for any build order, runner by runner (as the generator builds) or mixed', () => {
    const pairsOf = fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 12 })), { selector: ([id]) => id, maxLength: 60 })
    fc.assert(
      fc.property(pairsOf, fc.boolean(), (drawn, runnerByRunner) => {
        const pairs = runnerByRunner ? [...drawn].sort((a, b) => a[1] - b[1]) : drawn
        const table = new JobTable()
        fill(table, pairs)
        table.freeze()
        const runners = Array.from({ length: 13 }, (_, k) => k)
        const expected = runners.map((runnerId) => [runnerId, pairs.filter(([, r]) => r === runnerId).map(([id]) => id).sort((a, b) => a - b)])
        expect(ofRunner(table, runners)).toEqual(expected)
      }),
      { numRuns: 200 },
    )
  })
})
