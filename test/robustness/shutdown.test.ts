/** @module Shutdown: close() and SIGTERM let in-flight requests finish and stop promptly (hang bound 5 s; the measured time is printed). */
import { spawn } from 'node:child_process'
import { request as httpRequest, type ClientRequest } from 'node:http'
import { createServer } from 'node:net'
import { beforeAll, describe, expect, it } from 'vitest'
import { startMockServer } from '../../src/server.js'
import { ensureBuiltCli } from '../built-dist.js'
import { TOKENS } from '../harness.js'

const HANG_MS = 5000

/** A PUT whose body arrives in two halves: in flight until `finish()` is called. */
function slowPut(url: string): { finish(): void; answer: Promise<{ status?: number; body: string; error?: string }> } {
  const body = Buffer.from(JSON.stringify({ description: 'finished in flight' }))
  let req!: ClientRequest
  const answer = new Promise<{ status?: number; body: string; error?: string }>((resolve) => {
    req = httpRequest(url, { method: 'PUT', headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length), 'PRIVATE-TOKEN': TOKENS.admin } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }))
    })
    req.on('error', (e) => resolve({ body: '', error: e.message }))
    req.write(body.subarray(0, 10))
  })
  return { finish: () => req.end(body.subarray(10)), answer }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const port = (s.address() as { port: number }).port
  await new Promise((resolve) => s.close(resolve))
  return port
}

describe('close()', () => {
  it('lets an in-flight request finish, then stops promptly', async () => {
    const server = await startMockServer({ gitlabVersion: '15.11' })
    await (await fetch(`${server.url}/-/mock/health`)).text() // leaves an idle keep-alive connection
    const inFlight = slowPut(`${server.url}/api/v4/runners/1`)
    await sleep(100)
    const started = performance.now()
    const closed = server.close()
    await sleep(200)
    inFlight.finish()
    const answer = await inFlight.answer
    await closed
    const ms = performance.now() - started
    console.log(`shutdown: close() with one in-flight request took ${ms.toFixed(0)} ms`)
    expect([answer.status, JSON.parse(answer.body).description]).toEqual([200, 'finished in flight'])
    expect(ms).toBeLessThan(HANG_MS)
    await expect(fetch(`${server.url}/-/mock/health`)).rejects.toThrow()
  })

  it('stops at once with only idle connections', async () => {
    const server = await startMockServer({ gitlabVersion: '15.11' })
    await Promise.all(Array.from({ length: 5 }, async () => (await fetch(`${server.url}/api/v4/version`, { headers: { 'PRIVATE-TOKEN': TOKENS.admin } })).text()))
    const started = performance.now()
    await server.close()
    const ms = performance.now() - started
    console.log(`shutdown: close() with idle keep-alive connections took ${ms.toFixed(0)} ms`)
    expect(ms).toBeLessThan(HANG_MS)
  })
})

describe('SIGTERM to the CLI', () => {
  let cli: string
  beforeAll(async () => {
    cli = await ensureBuiltCli()
  }, 130_000)

  it('finishes the in-flight request and exits 0 promptly; --body-limit applies', async () => {
    const port = await freePort()
    const child = spawn(process.execPath, [cli, '--port', String(port), '--host', '127.0.0.1', '--log-level', 'silent', '--body-limit', '1000'], { stdio: 'ignore', env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    const url = `http://127.0.0.1:${port}`
    try {
      for (let i = 0; ; i++) {
        try {
          if ((await fetch(`${url}/-/mock/health`)).ok) break
        } catch {
          if (i > 100) throw new Error('the CLI did not start')
          await sleep(50)
        }
      }
      const big = await fetch(`${url}/api/v4/runners/1`, { method: 'PUT', headers: { 'PRIVATE-TOKEN': TOKENS.admin, 'Content-Type': 'application/json' }, body: JSON.stringify({ description: 'x'.repeat(2000) }) })
      expect([big.status, await big.json()]).toEqual([413, { message: '413 Request Entity Too Large' }])

      const inFlight = slowPut(`${url}/api/v4/runners/1`)
      await sleep(100)
      const started = performance.now()
      child.kill('SIGTERM')
      await sleep(200)
      inFlight.finish()
      const answer = await inFlight.answer
      const code = await Promise.race([exited, sleep(HANG_MS).then(() => 'hung' as const)])
      const ms = performance.now() - started
      console.log(`shutdown: SIGTERM with one in-flight request: exit after ${ms.toFixed(0)} ms`)
      expect(answer.status).toBe(200)
      expect(code).toBe(0)
    } finally {
      child.kill('SIGKILL')
    }
  }, 30_000)
})
