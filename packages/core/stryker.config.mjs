// Mutation testing of the core (issue 20): `pnpm --filter @raft-io/core test:mutation`, or
// `... test:mutation --incremental` to re-test only mutants whose code or tests changed.
// Reports land in reports/mutation/ (HTML, JSON, and the score by file on the console).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // pnpm keeps plugins out of the core's own tree: name it, so Stryker need not search.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.stryker.config.ts', dir: '.' },
  // Every source file with code in it; the type-only ones hold nothing to mutate.
  mutate: ['src/**/*.ts', '!src/index.ts', '!src/raft-log.ts', '!src/transport.ts', '!src/events.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 10000,
  // Module-level mutants would rerun every test: skipped, and reported as ignored.
  ignoreStatic: true,
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
