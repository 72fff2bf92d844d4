import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@raft-io/source'] },
  ssr: { resolve: { conditions: ['@raft-io/source'] } },
  // Tests run real clusters on TCP and SQLite: elections take up to a second under load.
  test: { name: 'raft-io', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
});
