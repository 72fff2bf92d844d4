import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@raft-io/source'] },
  ssr: { resolve: { conditions: ['@raft-io/source'] } },
  test: { name: 'raft-io', include: ['test/**/*.test.ts'] },
});
