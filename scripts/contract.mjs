/** @module npm run contract: run the contract suite (vitest, JSON reporter), print endpoint × target and every schema failure, write the report as JSON and Markdown. */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
/** Report columns: each target id that recorded something (`fake@15.11` … `fake@18.11`, `docker`, `gitlab`), in run order. */
let TARGETS = ['fake', 'docker', 'gitlab']
const targetIds = (records) => {
  const ids = [...new Set(records.map((r) => r.target))]
  return ids.length > 0 ? ids : TARGETS
}

function parseArgs(argv) {
  const args = { out: process.env.CONTRACT_REPORT_DIR || join(ROOT, 'reports/contract') }
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) args.out = resolve(argv[++i])
    else if (argv[i].startsWith('--out=')) args.out = resolve(argv[i].slice(6))
    else if (argv[i] === '--help') {
      console.log('usage: npm run contract [-- --out DIR]\n  CONTRACT_TARGETS=fake,docker,gitlab  GITLAB_URL, GITLAB_ADMIN_TOKEN, GITLAB_USER_TOKEN, GITLAB_REGISTRATION_TOKEN, GITLAB_ALLOW_DESTRUCTIVE=1\n  CONTRACT_REPORT_DIR (default reports/contract)')
      process.exit(0)
    }
  }
  return args
}

function runSuite(work) {
  const resultsFile = join(work, 'results.jsonl')
  const vitestJson = join(work, 'vitest.json')
  const vitest = join(ROOT, 'node_modules/.bin/vitest')
  const run = spawnSync(
    vitest,
    ['run', 'contract-tests/runners.contract.test.ts', '--reporter=dot', '--reporter=json', `--outputFile.json=${vitestJson}`],
    { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CONTRACT_RESULTS_FILE: resultsFile } },
  )
  const lines = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []
  const records = lines.filter((l) => !l.kind)
  const knownList = lines.find((l) => l.kind === 'known-differences')?.data ?? []
  const report = existsSync(vitestJson) ? JSON.parse(readFileSync(vitestJson, 'utf8')) : { testResults: [] }
  return { exitCode: run.status ?? 1, records, report, knownList }
}

/** Tests that failed without leaving a record (a target's setup threw): failed, with vitest's message. */
function unrecorded(report, records) {
  const seen = new Set(records.map((r) => `${r.target} ${r.scenario}`))
  const extra = []
  for (const file of report.testResults ?? []) {
    for (const t of file.assertionResults ?? []) {
      const target = /^\[([^\]]+)\]/.exec(t.ancestorTitles?.[0] ?? '')?.[1]
      const id = /\[([^\]]+)\]$/.exec(t.title)?.[1]
      const endpoint = t.title.split(' › ')[0]
      if (!target || !id || seen.has(`${target} ${id}`) || t.status !== 'failed') continue
      extra.push({ target, scenario: id, endpoint, title: t.title, outcome: 'failed', error: (t.failureMessages ?? []).join('\n').slice(0, 2000) })
    }
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0)
      extra.push({ target: 'fake', scenario: '(suite)', endpoint: '(suite)', title: file.name, outcome: 'failed', error: file.message })
  }
  return extra
}

function cell(list) {
  if (list.length === 0) return '—'
  const n = (o) => list.filter((r) => r.outcome === o).length
  const parts = []
  if (n('failed')) parts.push(`FAIL ${n('failed')}`)
  if (n('passed')) parts.push(`pass ${n('passed')}`)
  if (n('known-difference')) parts.push(`known-diff ${n('known-difference')}`)
  if (n('skipped')) parts.push(`skipped ${n('skipped')}`)
  return parts.join(', ')
}

function summarize(records) {
  const endpoints = [...new Set(records.map((r) => r.endpoint))]
  const rows = endpoints.map((endpoint) => {
    const row = { endpoint }
    for (const t of TARGETS) row[t] = cell(records.filter((r) => r.endpoint === endpoint && r.target === t))
    return row
  })
  const totals = Object.fromEntries(
    TARGETS.map((t) => {
      const mine = records.filter((r) => r.target === t)
      return [t, Object.fromEntries(['passed', 'failed', 'skipped', 'known-difference'].map((o) => [o, mine.filter((r) => r.outcome === o).length]))]
    }),
  )
  const schemaFailures = records.flatMap((r) =>
    (r.problems ?? []).map((p) => ({ target: r.target, scenario: r.scenario, endpoint: p.endpoint, status: p.status, path: p.problem.path, message: p.problem.message, value: p.problem.value, rule: p.problem.rule })),
  )
  const extras = records.flatMap((r) => (r.extras ?? []).map((e) => ({ target: r.target, endpoint: e.endpoint, path: e.extra.path, value: e.extra.value })))
  const skipReasons = {}
  for (const r of records.filter((r) => r.outcome === 'skipped')) (skipReasons[r.target] ??= new Set()).add(r.reason)
  const knownDifferences = records.filter((r) => r.outcome === 'known-difference').map((r) => ({ target: r.target, scenario: r.scenario, endpoint: r.endpoint, reason: r.reason }))
  const failures = records.filter((r) => r.outcome === 'failed').map((r) => ({ target: r.target, scenario: r.scenario, endpoint: r.endpoint, error: r.error }))
  return { rows, totals, schemaFailures, extras, skipReasons: Object.fromEntries(Object.entries(skipReasons).map(([k, v]) => [k, [...v]])), knownDifferences, failures }
}

const shown = (v) => (v === undefined ? '' : JSON.stringify(v)?.slice(0, 120))

function table(rows) {
  const header = ['endpoint', ...TARGETS]
  const widths = header.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)))
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map((r) => line(header.map((h) => r[h])))].join('\n')
}

function markdown(summary, meta) {
  const md = [`# Contract report`, '', `Run at ${meta.at}; exit code ${meta.exitCode}. Targets selected: ${meta.targets}.`, '']
  md.push(`| endpoint | ${TARGETS.join(' | ')} |`, `|---|${TARGETS.map(() => '---').join('|')}|`)
  for (const r of summary.rows) md.push(`| \`${r.endpoint}\` | ${TARGETS.map((t) => r[t]).join(' | ')} |`)
  md.push('', '## Totals', '', '| target | passed | failed | skipped | known differences |', '|---|---|---|---|---|')
  for (const t of TARGETS) {
    const x = summary.totals[t]
    md.push(`| ${t} | ${x.passed} | ${x.failed} | ${x.skipped} | ${x['known-difference']} |`)
  }
  md.push('', '## Schema failures', '')
  if (summary.schemaFailures.length === 0) md.push('None.')
  for (const f of summary.schemaFailures) md.push(`- **${f.target}** \`${f.endpoint}\` ${f.status} — \`${f.path}\`: ${f.message}${f.value !== undefined ? ` (got \`${shown(f.value)}\`)` : ''}${f.rule ? ` [rule: ${f.rule}]` : ''} (scenario \`${f.scenario}\`)`)
  md.push('', '## Failed scenarios', '')
  if (summary.failures.length === 0) md.push('None.')
  for (const f of summary.failures) md.push(`- **${f.target}** \`${f.scenario}\` (${f.endpoint}):`, '', '  ```', ...String(f.error ?? '').split('\n').slice(0, 12).map((l) => `  ${l}`), '  ```')
  md.push('', '## Known differences (fake vs GitLab, by version: contract-tests/known-differences.ts)', '')
  md.push('| scenario | targets | versions | reason |', '|---|---|---|---|')
  for (const d of summary.knownDifferencesListed) md.push(`| \`${d.scenario}\` | ${d.targets.join(', ')} | ${d.since ?? 'any'}${d.until ? `–${d.until} (excl.)` : '+'} | ${d.reason} |`)
  md.push('', 'Applied in this run:', '')
  if (summary.knownDifferences.length === 0) md.push('None (no listed target ran).')
  for (const d of summary.knownDifferences) md.push(`- **${d.target}** \`${d.scenario}\` (${d.endpoint}): ${d.reason.replace(/^known difference: /, '')}`)
  md.push('', '## Extra (undocumented) fields reported in lenient mode', '')
  if (summary.extras.length === 0) md.push('None.')
  const seen = new Set()
  for (const e of summary.extras) {
    const key = `${e.target} ${e.endpoint} ${e.path.replace(/\[\d+\]/g, '[*]')}`
    if (seen.has(key)) continue
    seen.add(key)
    md.push(`- **${e.target}** \`${e.endpoint}\` \`${e.path.replace(/\[\d+\]/g, '[*]')}\` (e.g. \`${shown(e.value)}\`)`)
  }
  md.push('', '## Skip reasons', '')
  for (const [t, reasons] of Object.entries(summary.skipReasons)) for (const r of reasons) md.push(`- **${t}**: ${r}`)
  return `${md.join('\n')}\n`
}

const args = parseArgs(process.argv.slice(2))
const work = mkdtempSync(join(tmpdir(), 'contract-'))
try {
  const { exitCode, records, report, knownList } = runSuite(work)
  const all = [...records, ...unrecorded(report, records)]
  TARGETS = targetIds(all)
  const summary = { ...summarize(all), knownDifferencesListed: knownList }
  const meta = { at: new Date().toISOString(), exitCode, targets: process.env.CONTRACT_TARGETS || TARGETS.join(',') }

  console.log(`\nContract suite: endpoint × target\n\n${table(summary.rows)}\n`)
  for (const t of TARGETS) {
    const x = summary.totals[t]
    console.log(`${t}: ${x.passed} passed, ${x.failed} failed, ${x.skipped} skipped, ${x['known-difference']} known differences`)
  }
  if (summary.schemaFailures.length > 0) {
    console.log('\nSchema failures:')
    for (const f of summary.schemaFailures) console.log(`  [${f.target}] ${f.endpoint} ${f.status}: ${f.path}: ${f.message}${f.value !== undefined ? ` (got ${shown(f.value)})` : ''}`)
  }
  if (summary.failures.length > 0) {
    console.log('\nFailed scenarios:')
    for (const f of summary.failures) console.log(`  [${f.target}] ${f.scenario}: ${String(f.error).split('\n')[0]}`)
  }
  console.log('\nKnown differences (contract-tests/known-differences.ts):')
  for (const d of knownList) console.log(`  ${d.scenario} on ${d.targets.join(', ')}: ${d.reason}`)
  for (const [t, reasons] of Object.entries(summary.skipReasons)) for (const r of reasons) console.log(`skipped on ${t}: ${r}`)

  mkdirSync(args.out, { recursive: true })
  writeFileSync(join(args.out, 'contract-report.json'), `${JSON.stringify({ ...meta, ...summary, records: all }, null, 2)}\n`)
  writeFileSync(join(args.out, 'contract-report.md'), markdown(summary, meta))
  console.log(`\nReport written to ${join(args.out, 'contract-report.json')} and contract-report.md`)
  process.exitCode = exitCode
} finally {
  rmSync(work, { recursive: true, force: true })
}
