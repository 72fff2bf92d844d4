import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@raft-io/source'] },
  ssr: { resolve: { conditions: ['@raft-io/source'] } },
  // Property tests run thousands of schedules: on a loaded 2-core machine 5 s is not enough.
  test: { name: '@raft-io/core', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
