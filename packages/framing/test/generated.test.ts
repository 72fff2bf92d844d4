/**
 * The committed static code in src/generated/ is what proto/raft.proto generates today
 * (the same check as `pnpm check:generated`, so a proto edit without regeneration fails).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('generated protobuf code', () => {
  it('matches proto/raft.proto', () => {
    const script = fileURLToPath(new URL('../scripts/check-generated.mjs', import.meta.url));
    const out = execFileSync(process.execPath, [script], { encoding: 'utf8', stdio: 'pipe' });
    expect(out).toContain('up to date');
  }, 30_000);
});
