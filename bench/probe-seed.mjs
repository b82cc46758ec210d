/**
 * @module Child process for the seeding figure: load and check a fixture file, then time building the world from it
 * (new MockWorld) and print the heap and RSS after, the minor page faults the build took (each a page of memory
 * touched for the first time), and what a first touch costs on this machine (64 MB of fresh pages touched once,
 * after the figures above are taken). Usage: node --expose-gc bench/probe-seed.mjs <fixture.json>
 */
const { loadFixture, MockWorld } = await import(new URL('../dist/index.js', import.meta.url).href)

const faults = () => process.resourceUsage().minorPageFault
const t0 = performance.now()
const fixture = await loadFixture(process.argv[2])
const t1 = performance.now()
const f1 = faults()
const world = new MockWorld({ fixture })
const t2 = performance.now()
const seedFaults = faults() - f1
globalThis.gc?.()
const mem = process.memoryUsage()

/** Microseconds per page touched for the first time (a fresh 64 MB buffer, one write per 4 KiB). */
function firstTouchUs() {
  const page = 4096
  const bytes = new Uint8Array(64 * 1024 * 1024)
  const f = faults()
  const t = performance.now()
  for (let i = 0; i < bytes.length; i += page) bytes[i] = 1
  const ms = performance.now() - t
  return (ms * 1000) / Math.max(1, faults() - f)
}

process.stdout.write(
  `${JSON.stringify({
    loadFixtureMs: t1 - t0,
    seedMs: t2 - t1,
    seedFaults,
    firstTouchUs: firstTouchUs(),
    runners: world.store.state.runners.size,
    jobs: world.store.state.jobs.size,
    heapUsedMb: mem.heapUsed / 1024 ** 2,
    rssMb: mem.rss / 1024 ** 2,
  })}\n`,
)
