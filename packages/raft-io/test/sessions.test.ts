/**
 * Exactly-once proposals (client sessions, issue 13): a proposal retried with its session
 * after an unknown outcome is applied once and answers with the first result and index; the
 * session table is replicated state, so it survives a snapshot and a restart and holds on
 * every node (a retry through another node is recognized); stale and reused sequences are
 * refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createRaftServer,
  type RaftServer,
  RaftServer as Server,
  SessionRefusedError,
  TimeoutError,
} from '../src/index.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';
import { TcpCluster } from './helpers/tcp-cluster.js';

const root = mkdtempSync(join(tmpdir(), 'raft-io-sessions-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let cluster: TcpCluster | undefined;
const servers: RaftServer<string | null>[] = [];
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

let dirs = 0;
async function single(dataDir = join(root, `s${++dirs}`), sm = new KvMachine()) {
  const server = await createRaftServer<string | null>({
    id: 1,
    dataDir,
    stateMachine: sm,
    logger: 'silent',
  });
  servers.push(server);
  return { server, sm, dataDir };
}

/** How many times the state machine applied a command (its applied indexes). */
const applications = (sm: KvMachine) => sm.appliedIndexes.length;

describe('client sessions', () => {
  it('a retried session proposal is applied once and answers with the first result and index', async () => {
    // Init
    const { server, sm } = await single();
    await server.propose(setCommand('x', 'a'));
    const session = { clientId: 'client-1', sequence: 1 };
    // Act
    const first = await server.proposeWithIndex(setCommand('x', 'b'), { session });
    const retry = await server.proposeWithIndex(setCommand('x', 'b'), { session });
    // Check
    expect(first).toEqual({ result: 'a', index: first.index, duplicate: false });
    expect(retry).toEqual({ result: 'a', index: first.index, duplicate: true });
    expect(applications(sm)).toBe(2);
    // The next sequence applies as usual.
    expect(
      await server.propose(setCommand('x', 'c'), { session: { clientId: 'client-1', sequence: 2 } }),
    ).toBe('b');
  });

  it('after a timeout (outcome unknown), retrying with the session applies the command exactly once', async () => {
    // Init: three nodes; both followers stop, so the leader appends but cannot commit.
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const followers = [1, 2, 3].filter((id) => id !== leader.id);
    for (const id of followers) await cluster.stop(id);
    const session = { clientId: 'c', sequence: 1 };
    // Act: the first attempt is appended and times out: its outcome is unknown.
    const first = await leader
      .propose(setCommand('once', 'v'), { session, timeoutMs: 200 })
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(TimeoutError);
    // The followers come back; the entry commits. The client retries until it succeeds.
    for (const id of followers) await cluster.startNode(id);
    let outcome: Awaited<ReturnType<typeof leader.proposeWithIndex>> | undefined;
    while (outcome === undefined) {
      outcome = await cluster
        .server(followers[0]!)
        .proposeWithIndex(setCommand('once', 'v'), { session })
        .catch(() => undefined);
    }
    // Check: the retry found the first attempt applied, and every node applied it once.
    expect(outcome.duplicate).toBe(true);
    for (const n of cluster.nodes.values()) {
      await n.server.read(() => {});
      expect(n.sm.appliedIndexes).toEqual([outcome.index]);
    }
  });

  it('the session table is in snapshots: a retry after a snapshot and a restart is still recognized', async () => {
    // Init
    const { server, dataDir } = await single();
    const session = { clientId: 'c', sequence: 7 };
    const first = await server.proposeWithIndex(setCommand('k', 'v1'), { session });
    await server.propose(setCommand('k', 'v2'));
    await server.snapshot();
    await server.close();
    // Act: restart from the snapshot (the log before it is compacted away), retry.
    const sm = new KvMachine();
    const restarted = (await single(dataDir, sm)).server;
    const retry = await restarted.proposeWithIndex(setCommand('k', 'v1'), { session });
    // Check
    expect(restarted.status().snapshotIndex).toBeGreaterThan(0);
    expect(retry).toEqual({ result: null, index: first.index, duplicate: true });
    expect(sm.data.get('k')).toBe('v2');
  });

  it('a backup carries the session table: a node seeded from it recognizes a retry', async () => {
    // Init: a session proposal, backed up.
    const { server } = await single();
    const session = { clientId: 'c', sequence: 3 };
    const first = await server.proposeWithIndex(setCommand('k', 'v'), { session });
    const path = join(root, `sessions-${++dirs}.bak`);
    await server.backup(path);
    await server.close();
    // Act: seed a new single-node cluster from it (its state machine checks the state first).
    const dataDir = join(root, `seeded-${++dirs}`);
    await Server.restoreBackup({
      backup: path,
      id: 1,
      clusterId: 42,
      voters: [1],
      dataDir,
      stateMachine: new KvMachine(),
    });
    const sm = new KvMachine();
    const seeded = (await single(dataDir, sm)).server;
    const retry = await seeded.proposeWithIndex(setCommand('k', 'v'), { session });
    // Check
    expect(retry).toEqual({ result: null, index: first.index, duplicate: true });
    expect(sm.data.get('k')).toBe('v');
  });

  it('a retry through another node (forwarded) is recognized: the table is the same on every node', async () => {
    cluster = await TcpCluster.start([1, 2, 3]);
    const leader = await cluster.leader();
    const follower = cluster.servers().find((s) => s !== leader)!;
    const session = { clientId: 'c', sequence: 1 };
    const first = await leader.proposeWithIndex(setCommand('k', 'v'), { session });
    const retry = await follower.proposeWithIndex(setCommand('k', 'v'), { session });
    expect(retry).toEqual({ result: null, index: first.index, duplicate: true });
  });

  it('refuses an older sequence, and a reused sequence with another command, applying nothing', async () => {
    const { server, sm } = await single();
    await server.propose(setCommand('a', '1'), { session: { clientId: 'c', sequence: 1 } });
    await server.propose(setCommand('a', '2'), { session: { clientId: 'c', sequence: 2 } });
    const stale = await server
      .propose(setCommand('a', '1'), { session: { clientId: 'c', sequence: 1 } })
      .catch((e) => e);
    const reused = await server
      .propose(setCommand('a', '3'), { session: { clientId: 'c', sequence: 2 } })
      .catch((e) => e);
    expect(stale).toBeInstanceOf(SessionRefusedError);
    expect(stale).toMatchObject({ code: 'SESSION_REFUSED', reason: 'stale-sequence' });
    expect(reused).toMatchObject({ code: 'SESSION_REFUSED', reason: 'command-mismatch' });
    expect(applications(sm)).toBe(2);
    expect(sm.data.get('a')).toBe('2');
  });

  it('refuses a bad session on the call, before anything is proposed', async () => {
    const { server } = await single();
    for (const session of [
      { clientId: '', sequence: 1 },
      { clientId: 'c', sequence: 0 },
    ]) {
      await expect(server.propose(setCommand('a', '1'), { session })).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
  });
});
