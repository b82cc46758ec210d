/** @module Every contract scenario, in the order the suite runs them. */
import type { Scenario } from '../lib/types.js'
import { projectGroupScenarios } from './projects-groups.js'
import { runnerManagerScenarios } from './runner-managers.js'
import { runnerSideScenarios } from './runner-side.js'
import { runnerScenarios } from './runners.js'
import { versionScenarios } from './versions.js'

export const SCENARIOS: Scenario[] = [...runnerSideScenarios, ...runnerScenarios, ...projectGroupScenarios, ...versionScenarios, ...runnerManagerScenarios]
