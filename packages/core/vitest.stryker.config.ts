/**
 * The vitest config of mutation runs (`test:mutation`): every core test except the scan that
 * keeps clocks, randomness and I/O out of the core's source. Stryker's instrumentation puts
 * `process.env` into every mutated file, which that scan would rightly refuse; the scan still
 * runs in every normal test run. Property tests run a quarter of their schedules here.
 */
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@raft-io/source'] },
  ssr: { resolve: { conditions: ['@raft-io/source'] } },
  test: {
    name: '@raft-io/core (mutation)',
    include: ['test/**/*.test.ts'],
    exclude: ['test/source-scan.test.ts'],
    // Instrumented code runs slower: a property test must not time out before a mutant does.
    testTimeout: 60_000,
    // A surviving mutant reruns every test covering it; a quarter of the random schedules
    // keeps a whole-core run near an hour (see test/helpers/property-runs.ts: a lower bound).
    env: { RAFT_IO_PROPERTY_SCALE: '0.25' },
  },
});
