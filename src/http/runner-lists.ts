/** @module What the four runner lists share: their filter parameters (GitLab's declaration order, then pagination), the mapping to a RunnerFilter, and the page of Runner entities. */
import type { Context } from 'hono'
import { ALL_SCOPES, type RunnerFilter } from '../domain/runners.js'
import { filterIsTimed, statusesStableUntil } from '../domain/kept-selections.js'
import { STATUS_FILTERS, nextStatusChange } from '../domain/status.js'
import { RUNNER_TYPES, type Runner } from '../domain/types.js'
import { entityContext } from './context.js'
import { runnerText, listTextKey } from './entity-text.js'
import type { AppEnv } from './env.js'
import { answerValidUntil } from './kept-answers.js'
import { PAGE_SPECS, sendPageText } from './pagination.js'
import { p, type Parsed, type RawParams } from './params.js'

/**
 * The filters of the group list (no `scope` there: Grape ignores undeclared parameters), then pagination.
 * `version_prefix` (16.6+) is Grape's `regexp: /^[\d+.]+/` (Ruby's `^` matches at any line start).
 */
export const RUNNER_FILTER_SPECS = {
  type: p.string({ values: RUNNER_TYPES }),
  paused: p.bool(),
  status: p.string({ values: STATUS_FILTERS }),
  tag_list: p.tagList(),
  version_prefix: p.string({ since: '16.6', check: (v) => (/^[\d+.]/m.test(v) ? undefined : 'is invalid') }),
  ...PAGE_SPECS,
}

/** The filters of GET /runners, /runners/all and the project list: the deprecated `scope` first. */
export const SCOPED_RUNNER_FILTER_SPECS = { scope: p.string({ values: ALL_SCOPES }), ...RUNNER_FILTER_SPECS }

/** The parsed filter parameters as the domain's RunnerFilter. */
export function runnerFilterOf(params: Parsed<typeof SCOPED_RUNNER_FILTER_SPECS> | Parsed<typeof RUNNER_FILTER_SPECS>, raw: RawParams): RunnerFilter {
  return {
    scope: 'scope' in params ? params.scope : undefined,
    type: params.type,
    status: params.status,
    // `paused=` (blank) reaches GitLab as nil, and `active: !nil` keeps the active runners.
    paused: raw.paused === '' ? false : params.paused,
    tagList: params.tag_list,
    versionPrefix: params.version_prefix,
  }
}

/** One page of runners as Runner entities, with GitLab's pagination headers (every runner list ends here). */
export function sendRunnerPage(c: Context<AppEnv>, runners: Runner[], raw: RawParams, linkParams?: RawParams, filter?: RunnerFilter): Response {
  const ctx = entityContext(c)
  const { store } = ctx
  const now = store.now() // one instant and one cache key for the whole page
  const key = listTextKey(ctx)
  const window = store.profile.staleAfter
  // With the filter named, the answer may be kept (src/http/kept-answers.ts) until the selection or a shown status changes with time.
  let until = filter === undefined ? undefined : filterIsTimed(filter) ? statusesStableUntil(store, filter.type, now) : Infinity
  const res = sendPageText(c, runners, raw, (r) => {
    if (until !== undefined) until = Math.min(until, nextStatusChange(r, now, window))
    return runnerText(r, ctx, now, key)
  }, linkParams)
  if (until !== undefined) answerValidUntil(c, until)
  return res
}

