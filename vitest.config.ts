import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'tooling/release-test'],
    reporters: ['default', './tooling/vitest-summary-reporter.ts'],
  },
});
