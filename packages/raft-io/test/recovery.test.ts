/**
 * Quorum-loss recovery (`RaftServer.recover`), offline on a stopped node's log: what it keeps
 * (every entry, now committed; or, with `discardUncommitted`, only what the node knew was
 * committed), the membership it forces (old membership entries compacted away, so they do
 * not come back in force), what it leaves alone (term, vote, identity; a dry run changes
 * nothing), that the durable log reopens (the high-water mark stays true), and its refusals.
 * Then the whole story on SQLite and TCP: two of three nodes lost for good, the third
 * recovered, written to, and grown again with two fresh nodes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createRaftServer,
  type Entry,
  InvalidArgumentError,
  MemoryLog,
  type NodeId,
  RaftNode,
  RaftServer,
  SqliteLog,
} from '../src/index.js';
import { until, waitForLeader } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

const root = mkdtempSync(join(tmpdir(), 'raft-io-recover-'));
let dirs = 0;
const newDir = () => {
  const dir = join(root, `d${++dirs}`);
  mkdirSync(dir);
  return dir;
};
const enc = new TextEncoder();

/** Node 1's log of a cluster {1,2,3}: 8 entries, of which it knew 5 committed. */
function survivorEntries(): Entry[] {
  return [
    {
      index: 1,
      term: 1,
      type: 'membership',
      data: enc.encode(JSON.stringify({ v: [1, 2, 3], l: [], o: [] })),
    },
    ...Array.from({ length: 7 }, (_, i) => ({
      index: i + 2,
      term: i < 4 ? 1 : 2,
      type: 'command' as const,
      data: setCommand(`k${i + 2}`, `v${i + 2}`),
    })),
  ];
}

function seed(log: MemoryLog | SqliteLog): void {
  log.write({ hardState: { term: 2, vote: 1, commit: 5 }, entries: survivorEntries() });
}

/** The state machine a restarted node restores from the recovered log. */
function restoredState(log: MemoryLog | SqliteLog): Map<string, string> {
  const sm = new KvMachine();
  const snap = log.snapshot();
  if (snap) sm.restore(snap.data);
  return sm.data;
}

describe('RaftServer.recover on a log', () => {
  it('keeps every entry, commits it, and forces the new membership (old membership entries are gone)', async () => {
    // init
    const log = new MemoryLog();
    seed(log);
    // act
    const report = await RaftServer.recover({ log, id: 1, voters: [1], stateMachine: new KvMachine() });
    // check
    expect(report).toMatchObject({
      index: 8,
      term: 2,
      implicitlyCommitted: 3,
      discarded: 0,
      replayedEntries: 8,
      before: { commitIndex: 5, lastIndex: 8, lastTerm: 2, membership: { voters: [1, 2, 3] } },
    });
    expect(log.hardState()).toEqual({ term: 2, vote: 1, commit: 8 });
    expect(log.firstIndex()).toBe(9);
    expect([...restoredState(log).keys()]).toEqual(['k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8']);
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] }, log);
    expect(node.membership().voters).toEqual([1]);
    expect(node.commitIndex()).toBe(8);
  });

  it('with discardUncommitted keeps only what the node knew was committed', async () => {
    const log = new MemoryLog();
    seed(log);
    const report = await RaftServer.recover({
      log,
      id: 1,
      voters: [1],
      stateMachine: new KvMachine(),
      discardUncommitted: true,
    });
    expect(report).toMatchObject({ index: 5, term: 1, implicitlyCommitted: 0, discarded: 3 });
    expect(log.lastIndex()).toBe(5);
    expect([...restoredState(log).keys()]).toEqual(['k2', 'k3', 'k4', 'k5']);
  });

  it('replays from the stored snapshot, and a dry run changes nothing', async () => {
    // init: a log with a snapshot at 4 (k2..k4) that keeps entries 3..4 behind it (a
    // compaction tail) and has entries 5..8 after it.
    const log = new MemoryLog();
    seed(log);
    const sm = new KvMachine();
    for (const e of survivorEntries().slice(1, 4)) sm.apply(e.data, e.index);
    log.write({
      snapshot: {
        metadata: { index: 4, term: 1, membership: { voters: [1, 2, 3], learners: [], outgoingVoters: [] } },
        data: sm.snapshot(),
      },
      compact: { index: 2, term: 1 },
    });
    // act / check: the dry run reports and writes nothing.
    const dry = await RaftServer.recover({
      log,
      id: 1,
      voters: [1, 4],
      stateMachine: new KvMachine(),
      dryRun: true,
    });
    expect(dry).toMatchObject({ dryRun: true, index: 8, replayedEntries: 4 });
    expect(log.snapshotMetadata()!.index).toBe(4);
    expect(log.hardState().commit).toBe(5);
    // act / check: the real one replays the entries after the snapshot only.
    const replayer = new KvMachine();
    await RaftServer.recover({ log, id: 1, voters: [1, 4], stateMachine: replayer });
    expect(replayer.appliedIndexes).toEqual([5, 6, 7, 8]);
    expect(log.snapshotMetadata()).toMatchObject({ index: 8, membership: { voters: [1, 4] } });
    expect([...restoredState(log).keys()]).toEqual(['k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8']);
  });

  it('refuses an empty log, a membership without the node, and a log of another node or cluster, changing nothing', async () => {
    const sm = () => new KvMachine();
    await expect(
      RaftServer.recover({ log: new MemoryLog(), id: 1, voters: [1], stateMachine: sm() }),
    ).rejects.toThrow(/holds no state/);
    const log = new MemoryLog();
    seed(log);
    await expect(
      RaftServer.recover({ log, id: 1, voters: [2, 3], stateMachine: sm() }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      RaftServer.recover({ log, id: 1, voters: [1], learners: [1], stateMachine: sm() }),
    ).rejects.toThrow(/also a voter/);
    expect(log.hardState().commit).toBe(5);
    // A durable log records its node and cluster.
    const dataDir = newDir();
    const sqlite = SqliteLog.open(join(dataDir, 'raft-log.sqlite'), {
      identity: { nodeId: 1, clusterId: 5 },
    });
    seed(sqlite);
    sqlite.close();
    const file = readFileSync(join(dataDir, 'raft-log.sqlite'));
    await expect(RaftServer.recover({ dataDir, id: 2, voters: [2], stateMachine: sm() })).rejects.toThrow(
      /belongs to node 1/,
    );
    await expect(
      RaftServer.recover({ dataDir, clusterId: 6, voters: [1], stateMachine: sm() }),
    ).rejects.toThrow(/belongs to cluster 5/);
    expect(readFileSync(join(dataDir, 'raft-log.sqlite')).equals(file)).toBe(true);
    await expect(RaftServer.recover({ dataDir: newDir(), voters: [1], stateMachine: sm() })).rejects.toThrow(
      /no Raft log/,
    );
  });

  it('leaves a durable log that reopens under its high-water mark, in both modes', async () => {
    for (const discardUncommitted of [false, true]) {
      // init
      const dataDir = newDir();
      const path = join(dataDir, 'raft-log.sqlite');
      const sqlite = SqliteLog.open(path, { identity: { nodeId: 1, clusterId: 5 } });
      seed(sqlite);
      sqlite.close();
      // act: the id comes from the log's identity record.
      const report = await RaftServer.recover({
        dataDir,
        voters: [1],
        stateMachine: new KvMachine(),
        discardUncommitted,
      });
      // check: it opens as the same node of the same cluster, at the recovered state.
      const reopened = SqliteLog.open(path, { identity: { nodeId: 1, clusterId: 5 } });
      try {
        expect(reopened.lastIndex()).toBe(report.index);
        expect(reopened.hardState()).toEqual({ term: 2, vote: 1, commit: report.index });
        expect(reopened.highWaterMark()).toMatchObject({ term: 2, vote: 1, lastIndex: report.index });
      } finally {
        reopened.close();
      }
      const inspected = await RaftServer.inspect({ dataDir });
      expect(inspected).toMatchObject({
        nodeId: 1,
        clusterId: 5,
        uncommittedEntries: 0,
        membership: { voters: [1] },
      });
    }
  });
});

describe('quorum loss, end to end on SQLite and TCP', () => {
  let servers: RaftServer<string | null>[] = [];
  const machines = new Map<NodeId, KvMachine>();

  async function start(id: NodeId, dataDir: string, voters: NodeId[]): Promise<RaftServer<string | null>> {
    const sm = new KvMachine();
    machines.set(id, sm);
    const server = await createRaftServer<string | null>({
      id,
      voters,
      dataDir,
      stateMachine: sm,
      tcp: { clusterId: 3, listen: { host: '127.0.0.1', port: 0 } },
      tickIntervalMs: 20,
      snapshotEveryEntries: 30,
    });
    for (const other of servers) {
      if (other.status().lifecycle !== 'running') continue;
      other.setPeerAddress(id, server.address()!);
      server.setPeerAddress(other.id, other.address()!);
    }
    servers.push(server);
    return server;
  }

  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });

  it('recovers the survivor of three, writes again, and grows back to three with fresh nodes', async () => {
    // init: three nodes, writes across a few snapshots.
    const dirs = new Map([1, 2, 3].map((id) => [id, newDir()]));
    for (const id of [1, 2, 3]) await start(id, dirs.get(id)!, [1, 2, 3]);
    const leader = await waitForLeader(servers);
    for (let i = 0; i < 100; i++) await leader.propose(setCommand(`k${i}`, `v${i}`));
    const survivor = servers.find((s) => s !== leader)!;
    await until('survivor applied all', () => machines.get(survivor.id)!.data.get('k99') === 'v99');
    const expected = new Map(machines.get(survivor.id)!.data);

    // act: lose the other two for good (their data directories are gone), stop the survivor.
    for (const s of servers) await s.close();
    for (const s of servers) if (s !== survivor) rmSync(dirs.get(s.id)!, { recursive: true, force: true });
    servers = [];
    const dataDir = dirs.get(survivor.id)!;
    const report = await RaftServer.recover({
      dataDir,
      voters: [survivor.id],
      stateMachine: new KvMachine(),
    });
    expect(report.before.membership?.voters).toEqual([1, 2, 3]);

    // check: alone, it leads at once and takes writes.
    const alone = await start(survivor.id, dataDir, [1, 2, 3]);
    expect(alone.isLeader()).toBe(true);
    expect(alone.status().membership.voters).toEqual([survivor.id]);
    expect(new Map(machines.get(survivor.id)!.data)).toEqual(expected);
    await alone.propose(setCommand('after', 'recovery'));

    // act: add two fresh nodes.
    for (const id of [4, 5]) {
      const fresh = await start(id, newDir(), []);
      await alone.addVoter(id, { address: fresh.address()! });
    }

    // check: all three hold everything, and the two fresh ones are a quorum without it.
    await until('fresh nodes caught up', () =>
      [4, 5].every((id) => machines.get(id)!.data.get('after') === 'recovery'),
    );
    for (const id of [4, 5]) expect(machines.get(id)!.data.get('k42')).toBe('v42');
    expect(alone.status().membership.voters).toEqual([survivor.id, 4, 5]);
    await alone.close();
    const rest = servers.filter((s) => s !== alone);
    const next = await waitForLeader(rest);
    await next.propose(setCommand('without', 'the survivor'));
    await until('replicated', () =>
      [4, 5].every((id) => machines.get(id)!.data.get('without') === 'the survivor'),
    );
  }, 30_000);
});

afterAll(() => rmSync(root, { recursive: true, force: true }));
