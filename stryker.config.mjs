// Mutation testing of the GitLab rule files (`npm run mutate`; one file: `npm run mutate -- src/domain/status.ts`).
// Not part of `npm test` or CI: run it before and after changing a rule file. Reports: reports/mutation/.
const reportDir = process.env.MUTATION_REPORT_DIR || 'reports/mutation'

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    'src/domain/status.ts',
    'src/domain/permissions.ts',
    'src/domain/runners.ts',
    'src/domain/runner-tokens.ts',
    'src/http/pagination.ts',
    'src/http/params.ts',
  ],
  coverageAnalysis: 'perTest',
  // The vitest runner transpiles without type checks, so Stryker need not insert `// @ts-nocheck` into the
  // sandbox's files; left as they are, the generated fixture validator still equals what its test regenerates.
  disableTypeChecks: false,
  concurrency: 2,
  timeoutMS: 5_000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `${reportDir}/index.html` },
  jsonReporter: { fileName: `${reportDir}/mutation.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
}
