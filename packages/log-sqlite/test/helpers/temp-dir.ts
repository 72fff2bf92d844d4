/**
 * Temporary directories for tests: `tempDir()` makes one under the OS temp dir and
 * `removeTempDirs()` deletes every one made so far (call it in `afterEach`/`afterAll`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

export function tempDir(prefix = 'raft-log-sqlite-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
