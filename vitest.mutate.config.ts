/**
 * The vitest configuration mutation runs use (`npm run mutate`): the normal suite less the files that
 * are slow or leave the process (fuzzing, Docker, real clients in other languages, shutdown and
 * concurrency timings, the CLI's child processes and the built CLI), with the contract suite on its in-process target only.
 */
import { defineConfig, mergeConfig } from 'vitest/config'
import base from './vitest.config.js'

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        '**/node_modules/**',
        'test/robustness/fuzz.test.ts',
        'test/robustness/fault-injection.test.ts',
        'test/robustness/concurrency.test.ts',
        'test/robustness/shutdown.test.ts',
        'test/docker/**',
        'test/clients/**',
        'src/cli.test.ts',
        // Builds dist/ (tsc over the sandbox's instrumented sources fails) and starts the built CLI.
        'src/cli/compile-cache.test.ts',
        'src/server.test.ts',
        'src/testcontainers/**',
        'contract-tests/targets/**',
      ],
      env: { CONTRACT_TARGETS: 'fake' },
    },
  }),
)
