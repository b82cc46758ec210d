/** @module The Hono environment shared by every route: the world and the acting user on the context. */
import type { AnswerMend } from './kept-answers.js'
import type { Actor } from '../domain/permissions.js'
import type { MockWorld } from '../world.js'
import type { HostedWorld } from '../control/worlds.js'
import type { RawParams } from './params.js'

export interface AppEnv {
  Variables: {
    world: MockWorld
    actor: Actor | null
    /** Origin used in Link headers and web_url fields: the configured external URL, else the request's. */
    externalOrigin: string
    bodyLimit: number
    /** The request's parameters once read (query merged with the body). */
    params: RawParams
    /** The world this request is addressed to (`/-/worlds/<name>` or the default) with its journal and faults. */
    hosted: HostedWorld
    /** The request body as read, once a route read it (the journal keeps its start). */
    requestBody: string | Uint8Array
    /** This request's id, sent back in X-Request-Id (GitLab's correlation id format). */
    requestId: string
    /** The body and headers of an answer made from ready text (src/http/reply.ts), for the answer cache and the journal. */
    replied: { body: string; headers: Readonly<Record<string, string>>; res: Response }
    /** Until when what the answer shows holds with no write (src/http/kept-answers.ts); unset: not to be kept. */
    answerUntil: number
    /** The one runner whose record the answer shows (src/http/kept-answers.ts): it then outlasts writes to other runners. */
    answerShows: number
    /** How the answer's body is made again after writes that touched only runners (src/http/kept-answers.ts). */
    answerMend: AnswerMend
  }
}
