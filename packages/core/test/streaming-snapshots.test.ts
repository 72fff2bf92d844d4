/**
 * Streaming snapshots (`snapshotStreaming`, docs/decisions.md D28): snapshot bytes never stay
 * in the core. The leader asks its driver for chunks of a file, the follower hands chunks to
 * its driver and checks the CRC32C as they pass, and the log keeps only metadata. Every rule of
 * the in-memory path holds: chunks survive loss, duplication and reordering (§7), the
 * checksum refuses damaged bytes, a received snapshot is restored before it is stored
 * (confirmRestore), a transfer keeps its pinned snapshot, and `maxSnapshotBytes` bounds what
 * a follower accepts.
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidConfigError,
  MemoryLog,
  type Message,
  type NodeId,
  RaftNode,
} from '../src/index.js';
import { Prng } from '../src/prng.js';
import { checkAll, machinesAgree } from './helpers/invariants.js';
import { propertyRuns } from './helpers/property-runs.js';
import { fileKey, StreamingCluster } from './helpers/streaming-cluster.js';

function safety() {
  const state = {
    smHistory: new Map<number, string>(),
    committed: new Map<number, { term: number; seenIn: number }>(),
  };
  return (c: StreamingCluster): void => {
    const violation = checkAll(c, state) ?? machinesAgree(c);
    if (violation) throw new Error(violation);
  };
}

/** A follower cut off while the leader compacted past its log (chunks of 4 bytes). */
function laggingBehindSnapshot(options: { maxSnapshotBytes?: number } = {}) {
  const c = new StreamingCluster([1, 2, 3], { electionTick: 5, snapshotChunkSize: 4, ...options });
  const leader = c.elect();
  const [lagging, other] = c.ids.filter((id) => id !== leader.id) as [NodeId, NodeId];
  for (const x of ['a', 'b', 'c']) c.propose(x);
  expect(c.runUntil(() => c.caughtUp())).toBe(true);
  c.isolate(lagging);
  for (const x of ['dd', 'ee', 'ff', 'gg', 'hh', 'ii']) c.propose(x);
  expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);
  c.snapshot(leader.id);
  const stored = c.logs.get(leader.id)!.snapshotMetadata()!;
  return { c, leader, lagging, other, stored };
}

const isChunk = (m: Message): boolean => m.type === 'install-snapshot';

describe('streaming snapshots: the core deals in metadata, the driver in bytes', () => {
  it('§7: a follower behind the leader’s snapshot is caught up chunk by chunk from the leader’s file, and no snapshot byte stays in a log or an action', () => {
    // init: the leader's snapshot is a file of its driver; the log keeps its size and checksum
    const { c, leader, lagging, stored } = laggingBehindSnapshot();
    const check = safety();
    const file = c.files.get(leader.id)!.get(fileKey(stored))!;
    expect(stored.bytes).toBe(file.length);
    expect(c.logs.get(leader.id)!.snapshot()!.data.length).toBe(0);

    // act
    c.heal();
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    check(c);

    // check: chunks were read from the file at most snapshotChunkSize at a time; the follower
    // restored from its received file and stored only metadata
    const reads = c.reads.filter((r) => r.id === leader.id);
    expect(reads.length).toBeGreaterThanOrEqual(Math.ceil(file.length / 4));
    expect(reads.every((r) => r.length <= 4 && r.key === fileKey(stored))).toBe(true);
    expect(c.machines.get(lagging)).toEqual(c.machines.get(leader.id));
    const restores = c.actionsOf(lagging, 'restore');
    expect(restores.map((r) => [r.confirm, r.snapshot.data.length])).toEqual([[true, 0]]);
    expect(c.logs.get(lagging)!.snapshotMetadata()).toEqual(stored);
    expect(c.logs.get(lagging)!.snapshot()!.data.length).toBe(0);
    expect(c.files.get(lagging)!.get(fileKey(stored))).toEqual(file);
    // a chunk on the wire is the in-memory path's: no size in its metadata
    const sent = c.actionsOf(leader.id, 'send-snapshot-chunk').map((a) => a.message.metadata);
    expect(sent.every((m) => m.bytes === undefined && m.checksum === stored.checksum)).toBe(true);
  });

  it('§7: chunks lost, duplicated and reordered cost resends, never a wrong file (200 seeded schedules)', () => {
    for (let seed = 1; seed <= propertyRuns(200); seed++) {
      // init
      const { c, leader, lagging } = laggingBehindSnapshot();
      const check = safety();
      const prng = new Prng(seed);
      c.heal();
      // act: deliver in random order, losing and duplicating chunks and their answers
      for (let round = 0; round < 400 && !c.caughtUp(); round++) {
        c.tickAll();
        for (let k = 0; k < 30 && c.queue.length > 0; k++) {
          const r = prng.nextU32() % 10;
          if (r === 0) c.dropPick(prng.nextU32());
          else if (r === 1) c.duplicatePick(prng.nextU32());
          else c.deliverPick(prng.nextU32());
        }
      }
      c.deliverAll();
      expect(
        c.runUntil(() => c.caughtUp()),
        `seed ${seed}`,
      ).toBe(true);
      // check
      check(c);
      expect(c.machines.get(lagging), `seed ${seed}`).toEqual(c.machines.get(leader.id));
    }
  });

  it('D18: a chunk damaged in flight fails the checksum the follower runs over the passing chunks; the follower refuses and stores nothing', () => {
    // init
    const { c, leader, lagging } = laggingBehindSnapshot();
    const before = c.logs.get(lagging)!.snapshotMetadata();
    c.heal();
    c.tickAll();
    // act: flip a bit in every chunk the leader sends until the follower answers a reject
    let rejected = false;
    for (let n = 0; n < 200 && !rejected; n++) {
      const i = c.queue.findIndex(isChunk);
      if (i < 0) {
        c.deliverWhere((x) => !isChunk(x));
        c.tickAll();
        continue;
      }
      const m = c.queue.splice(i, 1)[0] as Extract<Message, { type: 'install-snapshot' }>;
      const data = m.data.slice();
      if (data.length > 0) data[0]! ^= 1;
      c.deliver({ ...m, data });
      rejected = c.sentBy(lagging).some((r) => r.type === 'install-snapshot-response' && r.reject);
      c.deliverWhere((x) => !isChunk(x));
    }
    // check: refused, never restored, the log as it was
    expect(rejected).toBe(true);
    expect(c.actionsOf(lagging, 'restore')).toEqual([]);
    expect(c.logs.get(lagging)!.snapshotMetadata()).toEqual(before);
    // act: the network heals for real
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    // check: the next transfer succeeds
    expect(c.machines.get(lagging)).toEqual(c.machines.get(leader.id));
  });

  it('D16: maxSnapshotBytes bounds what a streaming follower accepts (and writes to disk)', () => {
    // init: the follower accepts at most 8 bytes; the snapshot is larger
    const { c, lagging, stored } = laggingBehindSnapshot();
    expect(stored.bytes).toBeGreaterThan(8);
    c.crash(lagging);
    const n = c.node(lagging);
    c.nodes.set(lagging, new RaftNode({ ...c.config(lagging), maxSnapshotBytes: 8 }, c.logs.get(lagging)!));
    c.down.delete(lagging);
    expect(n).not.toBe(c.node(lagging));
    // act
    c.heal();
    for (let i = 0; i < 30; i++) {
      c.tickAll();
      c.deliverAll(200);
    }
    // check: refused; the driver was never handed more than 8 bytes
    const written = c.actionsOf(lagging, 'write-snapshot-chunk');
    expect(written.length).toBeGreaterThan(0);
    expect(written.reduce((most, w) => Math.max(most, w.offset + w.data.length), 0)).toBeLessThanOrEqual(8);
    expect(c.sentBy(lagging).some((m) => m.type === 'install-snapshot-response' && m.reject)).toBe(true);
    expect(c.actionsOf(lagging, 'restore')).toEqual([]);
  });

  it('D16: a transfer keeps reading the snapshot it started with after the leader takes a newer one (a driver keeping only the log’s and the pinned file suffices)', () => {
    // init: a transfer in progress
    const { c, leader, lagging, stored } = laggingBehindSnapshot();
    c.heal();
    // deliver until the follower took its first chunk, then hold the chunks back
    for (let i = 0; i < 200 && c.partialBytes(lagging) === 0; i++) {
      if (c.queue.length === 0) c.tickAll();
      else c.deliverAt(0);
    }
    expect(c.partialBytes(lagging)).toBeGreaterThan(0);
    expect(c.node(leader.id).pinnedSnapshot()).toEqual(stored);
    // act: a newer snapshot replaces the log's; the driver drops every file not named
    c.propose('jj');
    c.deliverWhere((m) => !isChunk(m) && m.to !== lagging && m.from !== lagging);
    c.tickAll();
    c.deliverWhere((m) => m.to !== lagging && m.from !== lagging);
    c.snapshot(leader.id);
    const newer = c.logs.get(leader.id)!.snapshotMetadata()!;
    expect(newer.index).toBeGreaterThan(stored.index);
    // check: the old file is still there, pinned, and the transfer finishes from it
    expect(c.node(leader.id).pinnedSnapshot()).toEqual(stored);
    expect(c.files.get(leader.id)!.has(fileKey(stored))).toBe(true);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    expect(c.actionsOf(lagging, 'restore')[0]!.snapshot.metadata.index).toBe(stored.index);
    // and once no transfer needs it, the pin is released
    expect(c.node(leader.id).pinnedSnapshot()).toBeNull();
    expect([...c.files.get(leader.id)!.keys()]).toEqual([fileKey(newer)]);
  });

  it('D18: a received snapshot the driver cannot restore is refused and the follower’s log stays as it was', () => {
    // init
    const { c, leader, lagging } = laggingBehindSnapshot();
    const before = c.logs.get(lagging)!.snapshotMetadata();
    c.refuseRestores = true;
    // act
    c.heal();
    for (let i = 0; i < 20 && c.actionsOf(lagging, 'restore').length === 0; i++) {
      c.tickAll();
      c.deliverAll();
    }
    // check: asked to confirm, answered no, nothing stored
    expect(c.actionsOf(lagging, 'restore')[0]!.confirm).toBe(true);
    expect(c.logs.get(lagging)!.snapshotMetadata()).toEqual(before);
    expect(c.sentBy(lagging).some((m) => m.type === 'install-snapshot-response' && m.reject)).toBe(true);
    // act: the driver recovers
    c.refuseRestores = false;
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    expect(c.machines.get(lagging)).toEqual(c.machines.get(leader.id));
  });

  it('a node restarted on its log restores from the file its log names, then applies the tail', () => {
    // init
    const { c, leader } = laggingBehindSnapshot();
    c.propose('kk');
    expect(c.runUntil(() => c.caughtUp([leader.id]))).toBe(true);
    const machine = c.machines.get(leader.id);
    // act
    c.crash(leader.id);
    c.restart(leader.id);
    c.tick(leader.id);
    // check
    const restore = c.actionsOf(leader.id, 'restore').at(-1)!;
    expect(restore.confirm).toBeUndefined();
    expect(restore.snapshot.metadata.bytes).toBeGreaterThan(0);
    expect(c.machines.get(leader.id)).toEqual(machine);
  });
});

describe('streaming snapshots: misuse and mixed modes are refused', () => {
  const stored = () => {
    const log = new MemoryLog();
    const node = new RaftNode({ id: 1, voters: [1], snapshotStreaming: true }, log);
    node.step({ type: 'campaign' });
    node.step({ type: 'propose', command: new Uint8Array([1]) });
    return { log, node };
  };

  it('a streaming snapshot event gives bytes and checksum, not data', () => {
    const { node } = stored();
    const index = node.appliedIndex();
    expect(() => node.step({ type: 'snapshot', index, data: new Uint8Array(1) })).toThrow(
      InvalidArgumentError,
    );
    expect(() => node.step({ type: 'snapshot', index, bytes: 1, checksum: 2 ** 32 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => node.step({ type: 'snapshot', index, bytes: -1, checksum: 0 })).toThrow(
      InvalidArgumentError,
    );
    node.step({ type: 'snapshot', index, bytes: 5, checksum: 7 });
    // a node without streaming refuses the streamed form
    const plain = new RaftNode({ id: 1, voters: [1] });
    plain.step({ type: 'campaign' });
    expect(() => plain.step({ type: 'snapshot', index: 1, bytes: 5, checksum: 7 } as never)).toThrow(
      InvalidArgumentError,
    );
  });

  it('a log whose snapshot was stored in the other mode is refused at start', () => {
    // init: a streamed snapshot in a log
    const { log, node } = stored();
    node.step({ type: 'snapshot', index: node.appliedIndex(), bytes: 5, checksum: 7 });
    expect(log.snapshotMetadata()).toMatchObject({ bytes: 5, checksum: 7 });
    // check: without streaming, refused; with it, restored from metadata only
    expect(() => new RaftNode({ id: 1, voters: [1] }, log)).toThrow(InvalidConfigError);
    const restarted = new RaftNode({ id: 1, voters: [1], snapshotStreaming: true }, log);
    const restore = restarted.step({ type: 'tick' }).find((a) => a.type === 'restore');
    expect(restore).toMatchObject({ snapshot: { metadata: { bytes: 5, checksum: 7 } } });
    // and an in-memory snapshot is refused by a streaming node
    const plainLog = new MemoryLog();
    const plain = new RaftNode({ id: 1, voters: [1] }, plainLog);
    plain.step({ type: 'campaign' });
    plain.step({ type: 'propose', command: new Uint8Array([1]) });
    plain.step({ type: 'snapshot', index: plain.appliedIndex(), data: new Uint8Array([9]) });
    expect(() => new RaftNode({ id: 1, voters: [1], snapshotStreaming: true }, plainLog)).toThrow(
      InvalidConfigError,
    );
  });

  it('snapshotStreaming implies confirmRestore, and refuses it turned off', () => {
    expect(RaftNode.prototype).toBeDefined();
    expect(
      () => new RaftNode({ id: 1, voters: [1], snapshotStreaming: true, confirmRestore: false }),
    ).toThrow(InvalidConfigError);
  });
});
