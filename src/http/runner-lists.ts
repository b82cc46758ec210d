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
import { answerMend, answerValidUntil, type AnswerMend } from './kept-answers.js'
import { PAGE_SPECS, pageFormOf, pageHeadersOf, paginate, sendPageText, type PageForm } from './pagination.js'
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
 * One page of runners as Runner entities, with GitLab's pagination headers (every runner list ends here). With the
 * filter named, the answer may be kept (src/http/kept-answers.ts) until the selection or a shown status changes with
 * time; with `reselect` (the list's selection, made again on the store as it is then) it is also mended after writes
 * that touched only runners instead of being made anew.
 */
export function sendRunnerPage(c: Context<AppEnv>, runners: Runner[], raw: RawParams, linkParams?: RawParams, filter?: RunnerFilter, reselect?: () => Runner[]): Response {
  const ctx = entityContext(c)
  const { store } = ctx
  const now = store.now() // one instant and one cache key for the whole page
  const key = listTextKey(ctx)
  const window = store.profile.staleAfter
  let until = filter === undefined ? undefined : filterIsTimed(filter) ? statusesStableUntil(store, filter.type, now) : Infinity
  const page: PageKept = { shown: [], texts: [], untils: [] }
  const res = sendPageText(c, runners, raw, (r) => {
    const text = runnerText(r, ctx, now, key)
    if (until !== undefined) {
      const change = nextStatusChange(r, now, window)
      until = Math.min(until, change)
      page.shown.push(r)
      page.texts.push(text)
      page.untils.push(change)
    }
    return text
  }, linkParams)
  if (until !== undefined) {
    answerValidUntil(c, until)
    if (reselect !== undefined && filter !== undefined) answerMend(c, pageMend(ctx, key, filter, reselect, pageFormOf(c, raw, linkParams), page))
  }
  return res
}

/** What a kept page keeps to be mended: its runners' records, their texts, and until when each text holds. */
interface PageKept {
  readonly shown: Runner[]
  readonly texts: string[]
  readonly untils: number[]
}

/**
 * The page made again at `now` from what it kept: the list's selection made again (the domain mends its kept
 * selection), the page's runners taken from it, and only a runner that is new on the page or whose record changed
 * given a new text; the headers are the form's for the new count. It holds until the first shown runner's next
 * status change (and, for status filters, the list's).
 */
function pageMend(ctx: EntityContext, key: string, filter: RunnerFilter, reselect: () => Runner[], form: PageForm, page: PageKept): AnswerMend {
  return (now) => {
    const runners = reselect()
    const { store } = ctx
    const window = store.profile.staleAfter
    const { shown, texts, untils } = page
    const counts = paginate(runners, form.page, form.perPage)
    const items = counts.items
    let until = filterIsTimed(filter) ? statusesStableUntil(store, filter.type, now) : Infinity
    let body = '['
    for (let i = 0; i < items.length; i++) {
      const runner = items[i] as Runner
      if (runner !== shown[i]) {
        shown[i] = runner
        texts[i] = runnerText(runner, ctx, now, key)
        untils[i] = nextStatusChange(runner, now, window)
      }
      until = Math.min(until, untils[i] as number)
      body += (i === 0 ? '' : ',') + (texts[i] as string)
    }
    shown.length = texts.length = untils.length = items.length
    return { body: `${body}]`, until, headers: pageHeadersOf(form, counts) }
  }
}
