/** @module Child process for the seeding figure: load and check a fixture file, then time building the world from it (new MockWorld) and print the heap and RSS after. Usage: node --expose-gc bench/probe-seed.mjs <fixture.json> */
const { loadFixture, MockWorld } = await import(new URL('../dist/index.js', import.meta.url).href)

const t0 = performance.now()
const fixture = await loadFixture(process.argv[2])
const t1 = performance.now()
const world = new MockWorld({ fixture })
const t2 = performance.now()
globalThis.gc?.()
const mem = process.memoryUsage()
process.stdout.write(
  `${JSON.stringify({
    loadFixtureMs: t1 - t0,
    seedMs: t2 - t1,
    runners: world.store.state.runners.size,
    jobs: world.store.state.jobs.size,
    heapUsedMb: mem.heapUsed / 1024 ** 2,
    rssMb: mem.rss / 1024 ** 2,
  })}\n`,
)
