/** @module What the four runner lists share: their filter parameters (GitLab's declaration order, then pagination), the mapping to a RunnerFilter, and the page of Runner entities. */
import type { Context } from 'hono'
import { ALL_SCOPES, type RunnerFilter } from '../domain/runners.js'
import { filterIsTimed, statusesStableUntil } from '../domain/kept-selections.js'
import { STATUS_FILTERS, nextStatusChange } from '../domain/status.js'
import { RUNNER_TYPES, type Runner } from '../domain/types.js'
import { entityContext } from './context.js'
import type { EntityContext } from './entities.js'
import { runnerText, listTextKey } from './entity-text.js'
import type { AppEnv } from './env.js'
import { answerMend, answerValidUntil } from './kept-answers.js'
import { PAGE_SPECS, pageFormOf, pageHeadersOf, paginate, type PageForm } from './pagination.js'
import { reply } from './reply.js'
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

/**
 * One page of runners as Runner entities, with GitLab's pagination headers (every runner list ends here); `select`
 * gives the list's runners. With the filter named, the answer may be kept (src/http/kept-answers.ts) until the
 * selection or a shown status changes with time, and after writes that touched only runners it is mended, with
 * `select` run again on the store as it is then, instead of being made anew.
 */
export function sendRunnerPage(c: Context<AppEnv>, select: () => Runner[], raw: RawParams, linkParams?: RawParams, filter?: RunnerFilter): Response {
  const ctx = entityContext(c)
  const key = listTextKey(ctx)
  const form = pageFormOf(c, raw, linkParams)
  const page: PageKept = { shown: [], texts: [], untils: [] }
  const made = makePage(ctx, key, filter, form, page, select(), ctx.store.now()) // one instant for the whole page
  if (filter !== undefined) {
    answerValidUntil(c, made.until)
    answerMend(c, (now) => makePage(ctx, key, filter, form, page, select(), now))
  }
  return reply(c, made.body, 200, made.headers)
}

/** What a page keeps to be mended: its runners' records, their texts, and until when each text holds. */
interface PageKept {
  readonly shown: Runner[]
  readonly texts: string[]
  readonly untils: number[]
}

/**
 * The page of `runners` at `now`, from what `page` kept: only a runner that is new on the page, whose record
 * changed or whose status changed with time gets a new text (all of them the first time). Its headers are the
 * form's for the count; a kept page (`filter` given) holds until the first shown runner's next status change and,
 * for status filters, the list's.
 */
function makePage(ctx: EntityContext, key: string, filter: RunnerFilter | undefined, form: PageForm, page: PageKept, runners: readonly Runner[], now: number) {
  const { store } = ctx
  const window = store.profile.staleAfter
  const { shown, texts, untils } = page
  const counts = paginate(runners, form.page, form.perPage)
  const items = counts.items
  // Only a kept page (a filtered list) needs to know how long it holds.
  const kept = filter !== undefined
  let until = kept && filterIsTimed(filter) ? statusesStableUntil(store, filter.type, now) : Infinity
  let body = '['
  for (let i = 0; i < items.length; i++) {
    const runner = items[i] as Runner
    // A text is made again for a runner new on the page, a changed record, or a status its time has changed.
    if (runner !== shown[i] || (kept && (untils[i] as number) <= now)) {
      shown[i] = runner
      texts[i] = runnerText(runner, ctx, now, key)
      if (kept) untils[i] = nextStatusChange(runner, now, window)
    }
    if (kept) until = Math.min(until, untils[i] as number)
    body += (i === 0 ? '' : ',') + (texts[i] as string)
  }
  shown.length = texts.length = untils.length = items.length
  return { body: `${body}]`, until, headers: pageHeadersOf(form, counts) }
}
