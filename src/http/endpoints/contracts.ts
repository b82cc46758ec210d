/** @module Reply declarations several endpoint entries share. */
import type { SuccessReply } from '../endpoint.js'

/**
 * What any user-token endpoint may answer besides its success: 400 (parameters), 401 (invalid_token),
 * 403 (insufficient_scope or permission), 404 (a record, or `Sudo` naming an unknown user) and 413 (body size).
 */
export const USER_ERRORS: readonly number[] = [400, 401, 403, 404, 413]

export const RUNNER_LIST: SuccessReply = { status: 200, schema: 'runner', array: true }
