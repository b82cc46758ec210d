/**
 * The contract suite: every scenario of contract-tests/scenarios against every target the environment
 * selects (the in-process fake at 15.11, 16.11, 17.11 and 18.11 by default; the Docker image when an engine
 * answers; a real GitLab with GITLAB_URL). A target reports its version from GET /version and runs the
 * scenarios whose version range holds it. Each response is judged by the route's schema of that version:
 * strictly for the fake, leniently for GitLab.
 */
import { inVersionRange } from '../src/domain/gitlab-version.js'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { KNOWN_DIFFERENCES, knownDifference } from './known-differences.js'
import { ContractClient } from './lib/http.js'
import { record, recordMeta } from './lib/results.js'
import type { ContractWorld, TargetEndpoint } from './lib/types.js'
import { SCENARIOS } from './scenarios/index.js'
import { targetVersion } from './lib/version.js'
import { newRunId } from './targets/gitlab-world.js'
import { targetDefinitions, wantedTargets } from './targets/index.js'

const wanted = wantedTargets()

/** `16.2 and later`, `versions before 16.2`, `16.10 up to (not including) 18.0`. */
const describeRange = (since?: string, until?: string) =>
  since && until ? `${since} up to (not including) ${until}` : since ? `${since} and later` : `versions before ${until}`
recordMeta('known-differences', KNOWN_DIFFERENCES)

for (const target of targetDefinitions()) {
  describe(`[${target.id}] ${target.label}`, () => {
    let endpoint: TargetEndpoint | undefined
    let world: ContractWorld | undefined
    let skipReason: string | undefined

    beforeAll(async () => {
      if (!wanted.has(target.name)) skipReason = `not selected (CONTRACT_TARGETS=${process.env.CONTRACT_TARGETS})`
      else {
        const started = await target.start()
        if ('skip' in started) skipReason = started.skip
        else {
          endpoint = started
          world = await target.world(started, newRunId())
          world.gitlabVersion = await targetVersion(started.baseUrl, world.tokens.admin)
        }
      }
      if (skipReason) console.warn(`contract target ${target.name} skipped: ${skipReason}`)
    }, 16 * 60_000)

    afterAll(async () => {
      try {
        await world?.teardown()
      } finally {
        await endpoint?.stop()
      }
    }, 120_000)

    for (const scenario of SCENARIOS) {
      it(`${scenario.endpoint} › ${scenario.title} [${scenario.id}]`, { timeout: 120_000 }, async (ctx) => {
        const base = { target: target.id, version: world?.gitlabVersion, scenario: scenario.id, endpoint: scenario.endpoint, title: scenario.title }
        const skip = (outcome: 'skipped' | 'known-difference', reason: string) => {
          record({ ...base, outcome, reason })
          ctx.skip(reason)
        }
        if (skipReason || !world || !endpoint) return skip('skipped', skipReason ?? 'the target did not start')
        if (!inVersionRange(world.gitlabVersion, scenario.since, scenario.until))
          return skip('skipped', `not in GitLab ${world.gitlabVersion} (the scenario describes ${describeRange(scenario.since, scenario.until)})`)
        const difference = knownDifference(scenario.id, target.name, world.gitlabVersion)
        if (difference) return skip('known-difference', `known difference: ${difference.reason}`)
        const missing = (scenario.requires ?? []).filter((c) => !world!.capabilities.has(c))
        if (missing.length > 0) return skip('skipped', `precondition not available: ${missing.map((c) => world!.missing[c] ?? c).join('; ')}`)

        const api = new ContractClient(endpoint.baseUrl, world.mode, world.gitlabVersion)
        try {
          await scenario.run({ api, world })
          record({ ...base, outcome: 'passed', extras: api.observations.extras })
        } catch (error) {
          record({ ...base, outcome: 'failed', error: (error as Error).message, problems: api.observations.problems, extras: api.observations.extras })
          throw error
        }
      })
    }
  })
}
