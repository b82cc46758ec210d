import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { harness } from '../../test/harness.js'
import { ONLINE_CONTACT_TIMEOUT_MS, isOnline, isStale, matchesStatus, monthsBefore, nextStatusChange, runnerStatus } from './status.js'
import { BASELINE_RULES } from './profile.js'
import type { Runner } from './types.js'

const NOW = Date.parse('2026-01-15T12:00:00.000Z')
const MINUTE = 60_000
const HOUR = 60 * MINUTE
/** GitLab 15.11's stale window (3 calendar months). */
const WINDOW = BASELINE_RULES.staleAfter

function runner(fields: Partial<Runner>): Runner {
  return {
    id: 1, runnerType: 'instance_type', description: null, name: null, active: true, locked: false, runUntagged: true,
    tagList: [], accessLevel: 'not_protected', maximumTimeout: null, maintenanceNote: null, ipAddress: null,
    version: null, revision: null, platform: null, architecture: null, contactedAt: null, token: 't',
    tokenExpiresAt: null, projectIds: [], groupId: null, createdAt: NOW - 10 * 86_400_000, updatedAt: NOW,
    registrationType: 'registration_token', creatorId: null,
    ...fields,
  }
}

describe('monthsBefore', () => {
  it.each([
    ['2026-05-15T08:30:00.000Z', 3, '2026-02-15T08:30:00.000Z'],
    ['2026-05-31T08:30:00.000Z', 3, '2026-02-28T08:30:00.000Z'],
    ['2024-05-31T00:00:00.000Z', 3, '2024-02-29T00:00:00.000Z'],
    ['2026-03-31T23:59:59.999Z', 1, '2026-02-28T23:59:59.999Z'],
    ['2026-01-31T12:00:00.000Z', 3, '2025-10-31T12:00:00.000Z'],
    ['2026-02-15T12:00:00.000Z', 14, '2024-12-15T12:00:00.000Z'],
    ['2025-11-30T12:00:00.000Z', -3, '2026-02-28T12:00:00.000Z'],
  ])('counts calendar months back from %s by %i, clamping to the end of a shorter month', (from, months, expected) => {
    expect(new Date(monthsBefore(Date.parse(from), months)).toISOString()).toBe(expected)
  })

  it('answers any mix of instants and month counts as each alone would (the answers it keeps are for one instant)', () => {
    const instants = [Date.parse('2026-05-31T08:30:00.000Z'), Date.parse('2024-03-31T00:00:00.000Z'), Date.parse('2025-12-31T23:59:59.999Z')]
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...instants), fc.oneof(fc.integer({ min: -3, max: 70 }), fc.constant(2.5))), { maxLength: 40 }), (asks) => {
        for (const [now, months] of asks) {
          const answer = monthsBefore(now, months)
          monthsBefore(now + 1, 0) // another instant: nothing kept for `now` any more
          expect(monthsBefore(now, months)).toBe(answer)
        }
      }),
      { numRuns: 200 },
    )
  })
})

describe('runner status derivation (GitLab 15.x)', () => {
  it('is online when contacted within the last two hours, offline at exactly two hours', () => {
    expect(runnerStatus(runner({ contactedAt: NOW - 5 * MINUTE }), NOW, WINDOW)).toBe('online')
    expect(isOnline(runner({ contactedAt: NOW - ONLINE_CONTACT_TIMEOUT_MS + 1 }), NOW)).toBe(true)
    expect(isOnline(runner({ contactedAt: NOW - ONLINE_CONTACT_TIMEOUT_MS }), NOW)).toBe(false)
    expect(runnerStatus(runner({ contactedAt: NOW - ONLINE_CONTACT_TIMEOUT_MS }), NOW, WINDOW)).toBe('offline')
  })

  it('is never_contacted with online null when contacted_at is empty', () => {
    const r = runner({ contactedAt: null })
    expect(runnerStatus(r, NOW, WINDOW)).toBe('never_contacted')
    expect(isOnline(r, NOW)).toBeNull()
  })

  it('is paused for a paused runner that has contacted recently or not, but is not stale', () => {
    expect(runnerStatus(runner({ active: false, contactedAt: NOW - MINUTE }), NOW, WINDOW)).toBe('paused')
    expect(runnerStatus(runner({ active: false, contactedAt: NOW - 5 * HOUR }), NOW, WINDOW)).toBe('paused')
    expect(isOnline(runner({ active: false, contactedAt: NOW - MINUTE }), NOW)).toBe(true)
  })

  it('says never_contacted, not paused, for a paused runner that never contacted', () => {
    expect(runnerStatus(runner({ active: false, contactedAt: null }), NOW, WINDOW)).toBe('never_contacted')
  })

  it('is stale when created and last contacted three calendar months ago or earlier, paused or not', () => {
    const threeMonths = monthsBefore(NOW, 3)
    expect(runnerStatus(runner({ createdAt: threeMonths - HOUR, contactedAt: threeMonths }), NOW, WINDOW)).toBe('stale')
    expect(runnerStatus(runner({ createdAt: threeMonths - HOUR, contactedAt: threeMonths + 1 }), NOW, WINDOW)).toBe('offline')
    expect(runnerStatus(runner({ createdAt: threeMonths, contactedAt: null }), NOW, WINDOW)).toBe('stale')
    expect(runnerStatus(runner({ createdAt: threeMonths + 1, contactedAt: null }), NOW, WINDOW)).toBe('never_contacted')
    expect(runnerStatus(runner({ active: false, createdAt: threeMonths - HOUR, contactedAt: threeMonths - 1 }), NOW, WINDOW)).toBe('stale')
    expect(isStale(runner({ createdAt: threeMonths - HOUR, contactedAt: threeMonths - 1 }), NOW, WINDOW)).toBe(true)
  })

  it('filters by status with overlapping sets: online includes paused runners, not_connected means never_contacted', () => {
    const pausedOnline = runner({ active: false, contactedAt: NOW - MINUTE })
    expect(matchesStatus(pausedOnline, 'online', NOW, WINDOW)).toBe(true)
    expect(matchesStatus(pausedOnline, 'paused', NOW, WINDOW)).toBe(true)
    expect(matchesStatus(pausedOnline, 'active', NOW, WINDOW)).toBe(false)
    expect(matchesStatus(runner({ contactedAt: NOW - 3 * HOUR }), 'offline', NOW, WINDOW)).toBe(true)
    expect(matchesStatus(runner({ contactedAt: null }), 'offline', NOW, WINDOW)).toBe(false)
    expect(matchesStatus(runner({ contactedAt: null }), 'not_connected', NOW, WINDOW)).toBe(true)
    expect(matchesStatus(runner({ contactedAt: null, createdAt: monthsBefore(NOW, 4) }), 'stale', NOW, WINDOW)).toBe(true)
  })
})

describe('moving the clock through the control API changes status and online, without sleeping', () => {
  async function runner1(h: ReturnType<typeof harness>) {
    const state = await h.get('/-/mock/state')
    return state.body.runners.find((r: { id: number }) => r.id === 1) as { status: string; contacted_at: string }
  }
  const details = async (h: ReturnType<typeof harness>) =>
    (await h.get('/runners/1', { token: 'glpat-AdminToken0000000001' })).body as { status: string; online: boolean | null }

  it('moves runner 1 (contacted 5 minutes ago) from online to offline to stale with POST /-/mock/clock/advance', async () => {
    const h = harness()
    expect(await details(h)).toMatchObject({ status: 'online', online: true })

    const advanced = await h.post('/-/mock/clock/advance', { body: { duration: '2h' } })
    expect(advanced.status).toBe(200)
    expect(advanced.body).toEqual({ now: '2026-01-15T14:00:00.000Z', frozen: true })
    expect(await details(h)).toMatchObject({ status: 'offline', online: false })

    expect((await h.post('/-/mock/clock/advance', { body: { duration: '3mo' } })).body.now).toBe('2026-04-15T14:00:00.000Z')
    expect(await details(h)).toMatchObject({ status: 'stale', online: false })
    expect((await runner1(h)).status).toBe('stale')
  })

  it('advances by seconds too', async () => {
    const h = harness()
    const res = await h.post('/-/mock/clock/advance', { body: { seconds: 115 * 60 } })
    expect(res.body.now).toBe('2026-01-15T13:55:00.000Z')
    expect(await details(h)).toMatchObject({ status: 'offline', online: false })
  })

  it('sets the clock to an instant with PUT /-/mock/clock, and back', async () => {
    const h = harness()
    const { contacted_at } = await runner1(h)
    const later = new Date(Date.parse(contacted_at) + ONLINE_CONTACT_TIMEOUT_MS).toISOString()
    expect((await h.put('/-/mock/clock', { body: { now: later } })).body).toEqual({ now: later, frozen: true })
    expect(await details(h)).toMatchObject({ status: 'offline', online: false })
    const earlier = new Date(Date.parse(later) - 1).toISOString()
    await h.put('/-/mock/clock', { body: { now: earlier } })
    expect(await details(h)).toMatchObject({ status: 'online', online: true })
  })

  it('returns the clock to its first instant on POST /-/mock/reset', async () => {
    const h = harness()
    await h.post('/-/mock/clock/advance', { body: { duration: '1y' } })
    expect((await h.post('/-/mock/reset')).body.clock).toEqual({ now: '2026-01-15T12:00:00.000Z', frozen: true })
    expect(await details(h)).toMatchObject({ status: 'online', online: true })
  })
})

describe('when time alone next changes a status (what kept lists and answers hold until)', () => {
  const DAY = 86_400_000
  const SEVEN_DAYS = { days: 7 } as const

  it('an online runner: at the instant its last contact is two hours old', () => {
    const r = runner({ contactedAt: NOW - 30 * MINUTE })
    expect(nextStatusChange(r, NOW, SEVEN_DAYS)).toBe(NOW - 30 * MINUTE + ONLINE_CONTACT_TIMEOUT_MS)
    expect(runnerStatus(r, NOW - 30 * MINUTE + ONLINE_CONTACT_TIMEOUT_MS - 1, SEVEN_DAYS)).toBe('online')
    expect(runnerStatus(r, NOW - 30 * MINUTE + ONLINE_CONTACT_TIMEOUT_MS, SEVEN_DAYS)).toBe('offline')
  })

  it('an offline runner under a window of days: at the instant the window has passed since it was last seen', () => {
    const r = runner({ contactedAt: NOW - 3 * DAY, createdAt: NOW - 5 * DAY })
    const change = nextStatusChange(r, NOW, SEVEN_DAYS)
    expect(change).toBe(NOW - 3 * DAY + 7 * DAY)
    expect(runnerStatus(r, change - 1, SEVEN_DAYS)).toBe('offline')
    expect(runnerStatus(r, change, SEVEN_DAYS)).toBe('stale')
    // Never contacted: counted from its creation.
    expect(nextStatusChange(runner({ createdAt: NOW - DAY }), NOW, SEVEN_DAYS)).toBe(NOW + 6 * DAY)
  })

  it('under calendar months: no later than the real instant (28 days a month), and at the next instant once that bound has passed', () => {
    const r = runner({ contactedAt: NOW - 10 * DAY, createdAt: NOW - 20 * DAY })
    const bound = nextStatusChange(r, NOW, WINDOW)
    expect(bound).toBe(NOW - 10 * DAY + 3 * 28 * DAY)
    expect(runnerStatus(r, bound, WINDOW)).toBe('offline')
    const late = runner({ contactedAt: NOW - 88 * DAY, createdAt: NOW - 100 * DAY })
    expect(runnerStatus(late, NOW, WINDOW)).toBe('offline')
    expect(nextStatusChange(late, NOW, WINDOW)).toBe(NOW + 1)
  })

  it('a stale runner never changes with time; the earlier of two changes wins', () => {
    expect(nextStatusChange(runner({ contactedAt: NOW - 30 * DAY, createdAt: NOW - 40 * DAY }), NOW, SEVEN_DAYS)).toBe(Infinity)
    expect(nextStatusChange(runner({ contactedAt: NOW - 7 * DAY, createdAt: NOW - 40 * DAY }), NOW, SEVEN_DAYS)).toBe(Infinity)
    // Contacted an hour ago under a window of one hour and a half: stale (in 30 minutes) before offline (in an hour).
    expect(nextStatusChange(runner({ contactedAt: NOW - HOUR, createdAt: NOW - 2 * DAY }), NOW, { days: 1.5 / 24 })).toBe(NOW + 30 * MINUTE)
  })
})
