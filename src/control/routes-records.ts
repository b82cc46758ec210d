/** @module stub */
import type { Hono } from 'hono'
import type { AppEnv } from '../http/env.js'
export function recordRoutes(_app: Hono<AppEnv>): void {}
