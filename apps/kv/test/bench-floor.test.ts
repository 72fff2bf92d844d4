// The benchmark's replicated floor (bench/replicated-floor.ts) is only a fair floor if it does
// the work it claims: a put is answered once a follower holds it durably too (not by the
// leader alone), a get waits for a follower's answer, and what was put is read back. Three
// real processes, files on disk, loopback sockets.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReplicatedFloor, startReplicatedFloor } from '../bench/replicated-floor.js';

describe('the replicated floor', () => {
  let dir: string;
  let floor: ReplicatedFloor;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kv-floor-'));
    floor = await startReplicatedFloor(dir);
  }, 30_000);

  afterAll(async () => {
    await floor?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a put, reads it back, and says 404 for a key never put', async () => {
    const put = await fetch(`${floor.url}/kv/alpha`, { method: 'PUT', body: 'one' });
    expect(put.status).toBe(200);
    const get = await fetch(`${floor.url}/kv/alpha`);
    expect(get.status).toBe(200);
    expect(await get.text()).toBe('one');
    expect((await fetch(`${floor.url}/kv/never`)).status).toBe(404);
    // Every member appended the batch to its file.
    for (const name of ['leader/leader.log', 'follower-1/follower.log', 'follower-2/follower.log'])
      expect(statSync(join(dir, name)).size).toBeGreaterThan(0);
  });

  it('answers neither puts nor gets once both followers are gone: it waits for a quorum', async () => {
    const [f1, f2] = floor.pids;
    process.kill(f1!, 'SIGKILL');
    process.kill(f2!, 'SIGKILL');
    const stalled = (init?: RequestInit) =>
      fetch(`${floor.url}/kv/beta`, { ...init, signal: AbortSignal.timeout(1000) }).then(
        (r) => r.status,
        (e: Error) => e.name,
      );
    expect(await stalled({ method: 'PUT', body: 'two' })).toBe('TimeoutError');
    expect(await stalled()).toBe('TimeoutError');
  });
});
