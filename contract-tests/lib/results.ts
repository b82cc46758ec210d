/** @module The suite's side channel to the report: one JSON line per scenario and target in CONTRACT_RESULTS_FILE (set by scripts/contract.mjs). */
import { appendFileSync } from 'node:fs'
import type { Observations } from './http.js'

export type Outcome = 'passed' | 'failed' | 'skipped' | 'known-difference'

export interface ScenarioRecord {
  /** The target's id: `fake@17.11`, `docker`, `gitlab`. */
  target: string
  /** The GitLab version the target reported. */
  version?: string
  scenario: string
  endpoint: string
  title: string
  outcome: Outcome
  reason?: string
  error?: string
  problems?: Observations['problems']
  extras?: Observations['extras']
}

export function record(entry: ScenarioRecord): void {
  const file = process.env.CONTRACT_RESULTS_FILE
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`)
}

/** Once per run: the known differences list, so the report shows it even when no target it names ran. */
export function recordMeta(kind: string, data: unknown): void {
  const file = process.env.CONTRACT_RESULTS_FILE
  if (file) appendFileSync(file, `${JSON.stringify({ kind, data })}\n`)
}
