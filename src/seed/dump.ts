/** @module The whole state as plain JSON (GET /-/mock/state): every record with ISO times, in id order, so two dumps compare byte for byte. */
import { runnerStatus } from '../domain/status.js'
import type { Store } from '../domain/store.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function dumpState(store: Store, meta: { seed: number | string; clockFrozen: boolean }) {
  const s = store.state
  const now = store.now()
  return {
    meta: { seed: meta.seed, now: iso(now), clock_frozen: meta.clockFrozen, counters: { ...s.counters } },
    settings: {
      registration_token: s.settings.registrationToken,
      runner_token_expiration_interval: s.settings.runnerTokenExpirationInterval,
      project_runner_limit: s.settings.projectRunnerLimit,
      group_runner_limit: s.settings.groupRunnerLimit,
      allowed_registrars: [...s.settings.allowedRegistrars],
      registration_enabled: s.settings.registrationEnabled,
    },
    users: [...s.users.values()].map((u) => ({
      id: u.id,
      username: u.username,
      name: u.name,
      email: u.email,
      admin: u.isAdmin,
      state: u.state,
      created_at: iso(u.createdAt),
    })),
    personal_access_tokens: [...s.tokens.values()].map((t) => ({
      token: t.token,
      user_id: t.userId,
      name: t.name,
      scopes: [...t.scopes],
      expires_at: iso(t.expiresAt),
      revoked: t.revoked,
    })),
    groups: [...s.groups.values()].map((g) => ({
      id: g.id,
      full_path: store.groupFullPath(g),
      name: g.name,
      parent_id: g.parentId,
      visibility: g.visibility,
      shared_runners_enabled: g.sharedRunnersEnabled,
      runners_token: g.runnersToken,
      runner_token_expiration_interval: g.runnerTokenExpirationInterval,
      created_at: iso(g.createdAt),
    })),
    projects: [...s.projects.values()].map((p) => ({
      id: p.id,
      path_with_namespace: store.projectFullPath(p),
      name: p.name,
      namespace: { ...p.namespace },
      visibility: p.visibility,
      shared_runners_enabled: p.sharedRunnersEnabled,
      group_runners_enabled: p.groupRunnersEnabled,
      runners_token: p.runnersToken,
      runner_token_expiration_interval: p.runnerTokenExpirationInterval,
      created_at: iso(p.createdAt),
    })),
    memberships: s.memberships.map((m) => ({ source: m.source, source_id: m.sourceId, user_id: m.userId, access_level: m.accessLevel })),
    runners: [...store.runners()].map((r) => ({
      id: r.id,
      runner_type: r.runnerType,
      description: r.description,
      name: r.name,
      active: r.active,
      status: runnerStatus(r, now),
      locked: r.locked,
      run_untagged: r.runUntagged,
      tag_list: [...r.tagList],
      access_level: r.accessLevel,
      maximum_timeout: r.maximumTimeout,
      maintenance_note: r.maintenanceNote,
      ip_address: r.ipAddress,
      version: r.version,
      revision: r.revision,
      platform: r.platform,
      architecture: r.architecture,
      contacted_at: iso(r.contactedAt),
      token: r.token,
      token_expires_at: iso(r.tokenExpiresAt),
      project_ids: [...r.projectIds],
      group_id: r.groupId,
      created_at: iso(r.createdAt),
      updated_at: iso(r.updatedAt),
    })),
    jobs: [...store.jobs()].map((j) => ({
      id: j.id,
      runner_id: j.runnerId,
      project_id: j.projectId,
      user_id: j.userId,
      status: j.status,
      stage: j.stage,
      name: j.name,
      ref: j.ref,
      created_at: iso(j.createdAt),
      started_at: iso(j.startedAt),
      finished_at: iso(j.finishedAt),
      sha: j.commit?.id ?? null,
      pipeline_id: j.pipeline.id,
    })),
  }
}

export type StateDump = ReturnType<typeof dumpState>
