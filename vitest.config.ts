import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/release-test'],
    reporters: ['default', './tooling/vitest-summary-reporter.ts'],
    // Vitest's default is one worker fewer than the cores: one on CI's 2-core machine. Most
    // test files wait on I/O (elections, fsyncs, child processes), so two side by side run
    // the suite in about 210 s there instead of 380.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
