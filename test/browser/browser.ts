/**
 * @module A real browser for the page tests: the system's Chromium (Debian's `chromium` package, or
 * CHROMIUM_PATH) driven by playwright-core, which downloads nothing. `browserUnavailableReason` says why
 * the tests must skip when there is none. Every request a page makes is recorded, to prove that none
 * leaves the server under test.
 */
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import type { Browser, Page } from 'playwright-core'

const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable']

/** The browser executable: CHROMIUM_PATH, else the first of the usual names on PATH. */
export function chromiumPath(): string | undefined {
  const explicit = process.env.CHROMIUM_PATH
  const candidates = explicit ? [explicit] : (process.env.PATH ?? '').split(delimiter).flatMap((dir) => CANDIDATES.map((name) => join(dir, name)))
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** Why no browser can be had here, or undefined when one can. */
export async function browserUnavailableReason(): Promise<string | undefined> {
  const path = chromiumPath()
  if (!path) return `no Chromium found (looked for ${CANDIDATES.join(', ')} on PATH; set CHROMIUM_PATH, or apt-get install chromium)`
  try {
    await import('playwright-core')
  } catch (error) {
    return `playwright-core cannot be loaded: ${(error as Error).message}`
  }
  return undefined
}

export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox', '--disable-dev-shm-usage'], timeout: 60_000 })
}

/** Open a page that records the URL of every request it makes. */
export async function recordingPage(browser: Browser, requests: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  page.on('request', (request) => requests.push(request.url()))
  return page
}
