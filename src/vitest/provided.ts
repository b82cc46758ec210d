/** @module What the globalSetup provides to test files (vitest's `provide`/`inject`), with its type declaration. */

export const PROVIDE_KEY = 'gitlabRunnersMock' as const

export interface ProvidedMockServer {
  /** The server's base URL (its default world). */
  url: string
  controlToken: string | null
}

declare module 'vitest' {
  export interface ProvidedContext {
    gitlabRunnersMock: ProvidedMockServer
  }
}
