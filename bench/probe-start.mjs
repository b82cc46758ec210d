/** @module Child process for the in-process startup figure: import dist/index.js, then time startMockServer() to ready (cold), one request, and a second, warm start. Prints one JSON line. */
import http from 'node:http'

const t0 = performance.now()
const { startMockServer } = await import(new URL('../dist/index.js', import.meta.url).href)
const t1 = performance.now()
const server = await startMockServer({ logLevel: 'silent' })
const t2 = performance.now()
const status = await new Promise((resolve, reject) => {
  http
    .get(`${server.url}/api/v4/runners/6`, { headers: { 'PRIVATE-TOKEN': 'glpat-AdminToken0000000001' }, agent: false }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    .on('error', reject)
})
const t3 = performance.now()
const second = await startMockServer({ logLevel: 'silent' })
const t4 = performance.now()
await Promise.all([server.close(), second.close()])
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, readyMs: t2 - t1, firstResponseMs: t3 - t2, status, warmReadyMs: t4 - t3 })}\n`)
