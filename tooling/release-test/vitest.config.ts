import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@raft-io/release-test', include: ['test/**/*.test.ts'] },
});
