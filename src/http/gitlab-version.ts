/** @module The GitLab release the mock imitates (GET /api/v4/version, the CLI banner); no Hono here, so the public types stay light. */
export const GITLAB_VERSION = { version: '15.11.13', revision: 'a15ce5d1fbb' } as const
