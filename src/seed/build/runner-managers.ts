/** @module Runner managers named under `runners[].managers[]`: one per system id per runner, times relative like every fixture time. Needs the runners. */
import { MAX_SYSTEM_ID_LENGTH } from '../../domain/managers.js'
import type { Fixture } from '../fixture-types.js'
import type { BuildContext } from './context.js'

export function buildRunnerManagers(fixture: Fixture, ctx: BuildContext): void {
  const { state } = ctx
  fixture.runners?.forEach((r, i) => {
    const runnerId = r.id ?? [...state.runners.values()][i]?.id
    const runner = runnerId === undefined ? undefined : state.runners.get(runnerId)
    const seen = new Set<string>()
    r.managers?.forEach((m, j) => {
      const path = `/runners/${i}/managers/${j}`
      if (seen.has(m.system_id)) ctx.problem(`${path}/system_id`, `duplicate system_id ${m.system_id} on this runner`)
      if (m.system_id === '' || m.system_id.length > MAX_SYSTEM_ID_LENGTH)
        ctx.problem(`${path}/system_id`, `must be 1 to ${MAX_SYSTEM_ID_LENGTH} characters`)
      seen.add(m.system_id)
      if (!runner) return
      const createdAt = ctx.time(m.created_at, `${path}/created_at`, runner.createdAt)
      const id = ctx.takeId('runnerManager', undefined, state.runnerManagers, path)
      state.runnerManagers.set(id, {
        id,
        runnerId: runner.id,
        systemId: m.system_id,
        version: m.version ?? null,
        revision: m.revision ?? null,
        platform: m.platform ?? null,
        architecture: m.architecture ?? null,
        ipAddress: m.ip_address ?? null,
        contactedAt: ctx.nullableTime(m.contacted_at, `${path}/contacted_at`),
        createdAt,
      })
    })
  })
}
