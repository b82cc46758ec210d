/**
 * @module The inspector (/-/mock/ui) and the docs page (/-/mock/docs) in a real browser against a
 * started server: counts match the API, filters, the clock turning a badge stale and reset bringing
 * it back, the journal showing an API call with its secret redacted, the control-token prompt, the
 * docs listing operations, and no request leaving the server. Screenshots go to reports/.
 * Skipped, with the reason printed, where no browser can be had.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startMockServer, type MockServer } from '../../src/server.js'
import { FIXED_NOW, TOKENS } from '../harness.js'
import { browserUnavailableReason, launchBrowser, recordingPage } from './browser.js'

// Page-side callbacks run in the browser; the project compiles without the DOM library.
declare const document: { querySelector(selector: string): { textContent: string | null; getAttribute(name: string): string | null } | null }
declare function getComputedStyle(el: unknown): { backgroundColor: string }

const reason = await browserUnavailableReason()
if (reason) console.warn(`[test/browser skipped] ${reason}`)

const REPORTS = join(process.cwd(), 'reports')

async function apiTotal(server: MockServer, query = ''): Promise<number> {
  const res = await fetch(`${server.url}/api/v4/runners/all?per_page=1${query}`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
  expect(res.status).toBe(200)
  return Number(res.headers.get('x-total'))
}

async function openInspector(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 })
}

const badgeOf = (page: Page, id: number) => page.locator(`#runner-table tr[data-id="${id}"] .status-cell .badge`).first()

describe.skipIf(reason !== undefined)('the inspector and docs pages in a browser', () => {
  let browser: Browser
  let server: MockServer
  const requests: string[] = []

  beforeAll(async () => {
    mkdirSync(REPORTS, { recursive: true })
    server = await startMockServer({ clock: FIXED_NOW })
    browser = await launchBrowser()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('opens from / and shows as many runners as the API counts, with coloured badges and contact times', async () => {
    const page = await recordingPage(browser, requests)
    await openInspector(page, `${server.url}/`)
    expect(new URL(page.url()).pathname).toBe('/-/mock/ui')
    const total = await apiTotal(server)
    expect(await page.locator('#runner-total').getAttribute('data-total')).toBe(String(total))
    expect(await page.locator('#runner-total').textContent()).toBe(`${total} runners`)
    const rows = await page.locator('#runner-table tbody tr').count()
    expect(rows).toBe(Math.min(total, 50))
    expect(await badgeOf(page, 1).textContent()).toBe('online')
    expect(await page.locator('#runner-table tr[data-id="1"] td').last().textContent()).toBe('contacted 5 minutes ago')
    const background = await badgeOf(page, 1).evaluate((el) => getComputedStyle(el).backgroundColor)
    expect(background).not.toBe('rgba(0, 0, 0, 0)')
    await page.screenshot({ path: join(REPORTS, 'inspector.png') })
    await page.close()
  })

  it('filters by status as the API does', async () => {
    const page = await recordingPage(browser, requests)
    await openInspector(page, `${server.url}/-/mock/ui`)
    const online = await apiTotal(server, '&status=online')
    await page.selectOption('select[name=status]', 'online')
    await page.waitForFunction((n) => document.querySelector('#runner-total')?.getAttribute('data-total') === String(n), online)
    const api = await fetch(`${server.url}/api/v4/runners/all?status=online&per_page=100`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
    const expected = ((await api.json()) as Array<{ id: number; status: string }>).map((r) => [String(r.id), r.status])
    const shown = await page.locator('#runner-table tbody tr').evaluateAll((rows) => rows.map((tr) => [tr.getAttribute('data-id'), tr.querySelector('.badge')?.textContent]))
    // Paused runners that contacted GitLab lately are online too; their REST status (the badge) is "paused".
    expect(shown).toEqual(expected)
    expect(shown.length).toBe(online)
    await page.close()
  })

  it('turns a badge stale when the clock moves 3 months, and back after a reset; the details panel shows the runner', async () => {
    const page = await recordingPage(browser, requests)
    await openInspector(page, `${server.url}/-/mock/ui`)
    expect(await badgeOf(page, 1).textContent()).toBe('online')
    await page.getByRole('button', { name: '+3 months' }).click()
    await page.waitForFunction(() => document.querySelector('#runner-table tr[data-id="1"] .badge')?.textContent === 'stale')
    expect(await page.locator('#clock-now').getAttribute('datetime')).toBe('2026-04-15T12:00:00.000Z')
    await page.getByRole('button', { name: 'Reset' }).click()
    await page.waitForFunction(() => document.querySelector('#runner-table tr[data-id="1"] .badge')?.textContent === 'online')
    expect(await page.locator('#clock-now').getAttribute('datetime')).toBe(FIXED_NOW)

    await page.getByRole('button', { name: 'Details of runner 7' }).click()
    await page.waitForSelector('#detail-h')
    const detail = await page.locator('#runner-detail').innerText()
    expect(detail).toContain('Runner #7')
    expect(detail).toContain('acme/backend/api')
    expect(detail).toContain(server.world.store.runner(7)!.token)
    await page.screenshot({ path: join(REPORTS, 'inspector-runner.png') })
    await page.keyboard.press('Escape')
    expect(await page.locator('#runner-detail').isHidden()).toBe(true)
    await page.close()
  })

  it('shows an API call in the journal, its token redacted', async (ctx) => {
    const journal = await fetch(`${server.url}/-/mock/requests`)
    if (journal.status === 404) {
      console.warn('[test/browser] journal case skipped: this server has no request journal (GET /-/mock/requests answers 404)')
      ctx.skip()
    }
    const page = await recordingPage(browser, requests)
    await openInspector(page, `${server.url}/-/mock/ui`)
    await page.getByRole('tab', { name: 'Requests' }).click()
    const call = await fetch(`${server.url}/api/v4/runners/6?private_token=${TOKENS.admin}`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })
    expect(call.status).toBe(200)
    const entry = page.locator('#journal li', { has: page.locator('code.journal-path', { hasText: /^\/api\/v4\/runners\/6$/ }) }).first()
    await entry.waitFor({ timeout: 15_000 })
    await entry.locator('summary').click()
    const text = await entry.innerText()
    expect(text).toContain('200')
    expect(text).toContain('GET')
    expect(text).toContain('[REDACTED]')
    expect(await page.locator('#panel-requests').innerText()).not.toContain(TOKENS.admin)
    await page.screenshot({ path: join(REPORTS, 'inspector-journal.png') })
    await page.close()
  })

  it('renders the OpenAPI document on the docs page, operations listed', async () => {
    const page = await recordingPage(browser, requests)
    await page.goto(`${server.url}/-/mock/docs`)
    await page.waitForSelector('.opblock', { timeout: 30_000 })
    const summaries = await page.locator('.opblock-summary-path').allTextContents()
    const paths = summaries.map((s) => s.replace(/\u200b/g, ''))
    expect(paths).toContain('/api/v4/runners/{id}')
    expect(paths).toContain('/-/mock/clock/advance')
    const doc = (await (await fetch(`${server.url}/-/mock/openapi.json`)).json()) as { paths: Record<string, object> }
    const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0)
    expect(summaries.length).toBe(operations)
    expect(await page.locator('.opblock-tag').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('Control API')]))
    await page.screenshot({ path: join(REPORTS, 'docs.png') })
    await page.close()
  })

  it('made no request to any host but the server', () => {
    expect(requests.length).toBeGreaterThan(10)
    const origin = new URL(server.url).origin
    expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('data:'))).toEqual([])
  })
})

describe.skipIf(reason !== undefined)('the inspector behind a control token, in a browser', () => {
  it('asks for the token, then shows the world', async () => {
    const server = await startMockServer({ clock: FIXED_NOW, controlToken: 'browser-s3cret' })
    const browser = await launchBrowser()
    try {
      const page = await browser.newPage()
      await page.goto(`${server.url}/-/mock/ui`)
      const input = page.getByRole('textbox', { name: 'Control token' })
      await input.waitFor()
      expect(await page.locator('#runner-table tbody tr').count()).toBe(0)
      await input.fill('browser-s3cret')
      await page.getByRole('button', { name: 'Use token' }).click()
      await page.waitForSelector('body[data-ready=true]', { timeout: 30_000 })
      expect(await page.locator('#runner-total').getAttribute('data-total')).toBe(String(server.world.store.state.runners.size))
    } finally {
      await browser.close()
      await server.close()
    }
  }, 120_000)
})
