/**
 * @module Types for vitest's `provide`/`inject` when a globalSetup starts the mock (the README's recipe):
 * `import 'gitlab-runners-mock/vitest-context'` once (for example in the globalSetup file) and
 * `project.provide('gitlabUrl', …)` / `inject('gitlabUrl')` are typed. No code; only the declaration.
 */
import type { ProvidedContext } from 'vitest'

/** vitest's ProvidedContext with this package's keys (naming it keeps vitest in a consumer's program, which the augmentation below needs). */
export type VitestProvidedContext = ProvidedContext

export interface GitLabMockProvidedContext {
  /** The mock's base URL, e.g. http://127.0.0.1:41234 (clients add /api/v4). */
  gitlabUrl: string
  /** The administrator's personal access token (`server.tokens.users.root`). */
  adminToken: string
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  export interface ProvidedContext extends GitLabMockProvidedContext {}
}
