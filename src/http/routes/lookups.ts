/** @module Placeholder for the neighbours of the Runners API (issue #6): projects, groups and users. */
import { Hono } from 'hono'
import type { AppEnv } from '../env.js'

export const lookupRoutes = new Hono<AppEnv>()
