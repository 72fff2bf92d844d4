/**
 * Secure by default at the server level (issue 12): the transport's configuration is checked
 * in the constructor (Raft on a public address without a secret or TLS is refused unless
 * `insecure`), and a data directory opened as another node or cluster is refused before
 * anything changes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRaftServer, InvalidConfigError, RaftServer } from '../src/index.js';
import { KvMachine } from './helpers/kv-machine.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'raft-secure-'));
  dirs.push(d);
  return d;
}

describe('RaftServer: secure by default', () => {
  it('refuses Raft on a non-loopback address without authentication, in the constructor', () => {
    const options = {
      id: 1,
      dataDir: tempDir(),
      stateMachine: new KvMachine(),
      tcp: { clusterId: 9, listen: { host: '0.0.0.0', port: 0 } },
    };
    let error: unknown;
    try {
      new RaftServer(options);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as InvalidConfigError).field).toBe('insecure');
    // Allowed when the operator says so, or with a secret.
    expect(() => new RaftServer({ ...options, tcp: { ...options.tcp, insecure: true } })).not.toThrow();
    expect(
      () => new RaftServer({ ...options, tcp: { ...options.tcp, clusterSecret: 'x'.repeat(32) } }),
    ).not.toThrow();
  });

  it('a data directory records its node and cluster: opened as another, it is refused and unchanged', async () => {
    const dataDir = tempDir();
    const tcp = { clusterId: 9, listen: { host: '127.0.0.1', port: 0 } };
    const first = await createRaftServer({
      id: 1,
      dataDir,
      stateMachine: new KvMachine(),
      tcp,
      tickIntervalMs: 10,
      logger: 'silent',
    });
    const term = first.status().term;
    await first.close();

    for (const [id, clusterId] of [
      [2, 9],
      [1, 10],
    ] as const) {
      const other = new RaftServer({
        id,
        dataDir,
        stateMachine: new KvMachine(),
        tcp: { ...tcp, clusterId },
        tickIntervalMs: 10,
        logger: 'silent',
      });
      await expect(other.start()).rejects.toMatchObject({ code: 'STORAGE', reason: 'LOG_IDENTITY_MISMATCH' });
      await other.close();
    }
    const again = await createRaftServer({
      id: 1,
      dataDir,
      stateMachine: new KvMachine(),
      tcp,
      tickIntervalMs: 10,
      logger: 'silent',
    });
    expect(again.status().term).toBeGreaterThanOrEqual(term);
    await again.close();
  });
});
