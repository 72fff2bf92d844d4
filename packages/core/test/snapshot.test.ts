/**
 * Log compaction and InstallSnapshot (Raft paper §7, dissertation §5): the `snapshot` event
 * compacts a node's log, a leader catches up a follower whose missing entries are compacted
 * with a chunked install-snapshot that survives lost, duplicated and reordered chunks and a
 * change of leader, and a node restarted on its log restores its snapshot and applies the
 * tail after it.
 */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type Message, type NodeId, type RaftNode } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';
import { checkAll, machinesAgree } from './helpers/invariants.js';

const text = (data: Uint8Array): string => new TextDecoder().decode(data);

function safety() {
  const state = {
    smHistory: new Map<number, string>(),
    committed: new Map<number, { term: number; seenIn: number }>(),
  };
  return (c: TestCluster): void => {
    const violation = checkAll(c, state) ?? machinesAgree(c);
    if (violation) throw new Error(violation);
  };
}

function followersOf(c: TestCluster, leader: NodeId): NodeId[] {
  return c.ids.filter((id) => id !== leader);
}

/**
 * A three-node cluster where follower `lagging` missed entries that the leader then compacted
 * into a snapshot: `lagging`'s whole log is behind the leader's first index. Still partitioned.
 */
function laggingBehindSnapshot(options: { snapshotChunkSize?: number } = {}) {
  const c = new TestCluster([1, 2, 3], { electionTick: 5, ...options });
  const leader = c.elect();
  const [lagging, other] = followersOf(c, leader.id) as [NodeId, NodeId];
  for (const x of ['a', 'b', 'c']) c.propose(x);
  expect(c.runUntil(() => c.caughtUp())).toBe(true);
  c.isolate(lagging);
  for (const x of ['d', 'e', 'f', 'g', 'h', 'i']) c.propose(x);
  expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);
  c.snapshot(leader.id);
  const snapshot = c.logs.get(leader.id)!.snapshot()!;
  return { c, leader, lagging, other, snapshot };
}

/**
 * Tick the leader, delivering everything but snapshot chunks, until its transfer to
 * `follower` has started: the transfer is then in flight and held (no chunk arrives).
 */
function startHeldTransfer(c: TestCluster, leader: RaftNode, follower: NodeId): void {
  for (let i = 0; i < 20 && leader.status().progress?.[follower]?.state !== 'snapshot'; i++) {
    c.tick(leader.id);
    c.deliverWhere((m) => m.type !== 'install-snapshot');
  }
  expect(leader.status().progress?.[follower]?.state).toBe('snapshot');
}

describe('§7 log compaction', () => {
  it('§7: a follower partitioned while the leader compacts past its log is caught up by a snapshot, then by ordinary appends', () => {
    // init: the leader snapshots at its applied index and compacts beyond the follower's last entry
    const { c, leader, lagging, snapshot } = laggingBehindSnapshot();
    const check = safety();
    const appliedBefore = c.commands(lagging);
    expect(snapshot.metadata.index).toBe(leader.appliedIndex());
    expect(text(snapshot.data)).toBe('a,b,c,d,e,f,g,h,i');
    expect(c.logs.get(leader.id)!.firstIndex()).toBe(snapshot.metadata.index + 1);
    expect(c.node(lagging).lastIndex() + 1).toBeLessThan(c.logs.get(leader.id)!.firstIndex());

    // act: heal and let the cluster run
    c.heal();
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    check(c);

    // check: the follower restored the leader's snapshot (not replayed entries), and its
    // state machine and log now start where the leader's do
    const restores = c.actionsOf(lagging, 'restore');
    expect(restores).toHaveLength(1);
    expect(restores[0]!.snapshot.metadata).toEqual(snapshot.metadata);
    expect(c.commands(lagging)).toEqual(appliedBefore);
    expect(c.machines.get(lagging)).toEqual(c.machines.get(leader.id));
    expect(c.logs.get(lagging)!.snapshotMetadata()).toEqual(snapshot.metadata);
    expect(c.logs.get(lagging)!.firstIndex()).toBe(snapshot.metadata.index + 1);

    // act: a new proposal after the install
    c.propose('j');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);

    // check: it reaches the follower as an ordinary append, applied once at the next index
    expect(c.applied.get(lagging)!.slice(appliedBefore.length)).toEqual([
      { index: snapshot.metadata.index + 1, term: leader.term(), command: 'j' },
    ]);
    expect(c.actionsOf(lagging, 'restore')).toHaveLength(1);
    expect(c.machines.get(lagging)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']);
    check(c);
  });

  it('status: the leader reports a follower in snapshot state with the transfer index, offset and size', () => {
    // init: a follower behind the leader's snapshot; chunks of 4 bytes.
    const { c, leader, lagging, snapshot } = laggingBehindSnapshot({ snapshotChunkSize: 4 });
    // act: heal; the leader's probe finds the gap and sends the first chunk, which is not delivered.
    c.heal();
    startHeldTransfer(c, leader, lagging);
    // check
    const pr = leader.status().progress![lagging]!;
    expect(pr.state).toBe('snapshot');
    expect(pr.leaving).toBe(false);
    expect(pr.snapshot).toEqual({
      index: snapshot.metadata.index,
      offset: expect.any(Number),
      bytes: snapshot.data.length,
    });
    // A follower replicating normally has no snapshot field.
    const other = c.ids.find((id) => id !== leader.id && id !== lagging)!;
    expect(leader.status().progress![other]!.snapshot).toBeUndefined();
  });

  it('§7: an unanswered chunk is resent on the third tick; a follower silent for an election timeout is given up', () => {
    // init: the leader starts a transfer to the lagging follower; no chunk is delivered.
    const { c, leader, lagging } = laggingBehindSnapshot({ snapshotChunkSize: 4 });
    c.heal();
    startHeldTransfer(c, leader, lagging);
    c.isolate(lagging);
    c.queue = [];
    const chunksSent = () =>
      c.sentBy(leader.id).filter((m) => m.type === 'install-snapshot' && m.to === lagging).length;
    // act / check: two ticks resend nothing, the third resends the chunk.
    const tick = (n: number) => {
      for (let i = 0; i < n; i++) {
        c.tick(leader.id);
        c.deliverAll(); // the other follower keeps answering; the lagging one hears nothing
      }
    };
    const before = chunksSent();
    tick(2);
    expect(chunksSent()).toBe(before);
    tick(1);
    expect(chunksSent()).toBe(before + 1);
    // act / check: silent for an election timeout (5 ticks here): the transfer ends (probe).
    tick(5);
    expect(leader.status().progress![lagging]!.state).toBe('probe');
    expect(leader.status().progress![lagging]!.snapshot).toBeUndefined();
  });

  it('§7: the snapshot event is checked: a negative or fractional index or non-bytes data is refused; index 0 is a no-op', () => {
    const c = new TestCluster([1], {});
    c.elect();
    c.propose('a');
    const node = c.node(1);
    for (const index of [-1, 1.5]) {
      expect(() => node.step({ type: 'snapshot', index, data: bytes('s') })).toThrow(
        `snapshot index ${index} is invalid`,
      );
    }
    expect(() => node.step({ type: 'snapshot', index: 1, data: 'x' as unknown as Uint8Array })).toThrow(
      'snapshot data must be a Uint8Array',
    );
    expect(() => node.step({ type: 'snapshot', index: 9, data: bytes('s') })).toThrow(
      `snapshot index 9 is past the applied index ${node.appliedIndex()}`,
    );
    expect(node.step({ type: 'snapshot', index: 0, data: bytes('s') })).toEqual([]);
    expect(c.logs.get(1)!.snapshot()).toBeNull();
  });

  it('B5: a second lagging follower gets the snapshot already in flight, not a newer one (at most two held)', () => {
    // init: five nodes; 4 and 5 cut off while the leader commits and compacts to index S.
    const c = new TestCluster([1, 2, 3, 4, 5], { electionTick: 5, snapshotChunkSize: 2 });
    const leader = c.elect();
    const [a, b, x, y] = c.ids.filter((id) => id !== leader.id) as [NodeId, NodeId, NodeId, NodeId];
    for (const cmd of ['a', 'b']) c.propose(cmd);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    c.isolate(x);
    c.isolate(y);
    for (const cmd of ['c', 'd', 'e']) c.propose(cmd);
    expect(c.runUntil(() => c.caughtUp([leader.id, a, b]))).toBe(true);
    c.snapshot(leader.id);
    const first = c.logs.get(leader.id)!.snapshotMetadata()!.index;
    // act: follower x comes back; its transfer starts and is held in flight (no chunk delivered).
    c.heal();
    c.isolate(y);
    startHeldTransfer(c, leader, x);
    expect(leader.status().progress![x]!.state).toBe('snapshot');
    // The leader commits more and compacts again, to a newer snapshot.
    for (const cmd of ['f', 'g']) c.propose(cmd);
    c.deliverWhere((m) => m.type !== 'install-snapshot');
    c.snapshot(leader.id);
    expect(c.logs.get(leader.id)!.snapshotMetadata()!.index).toBeGreaterThan(first);
    // Follower y comes back too.
    c.heal();
    c.isolate(x);
    startHeldTransfer(c, leader, y);
    // check: y is sent the snapshot in flight to x.
    const chunksTo5 = c.sentBy(leader.id).filter((m) => m.type === 'install-snapshot' && m.to === y);
    expect(chunksTo5.length).toBeGreaterThan(0);
    expect(chunksTo5.every((m) => m.type === 'install-snapshot' && m.metadata.index === first)).toBe(true);
  });

  it('B5: the snapshot in flight stays shared while another follower still receives it, after one transfer ends', () => {
    // init: seven nodes; x, y and z cut off while the leader commits and compacts to S.
    const c = new TestCluster([1, 2, 3, 4, 5, 6, 7], { electionTick: 5, snapshotChunkSize: 2 });
    const leader = c.elect();
    const [, , , x, y, z] = c.ids.filter((id) => id !== leader.id) as NodeId[];
    const cut = (...ids: NodeId[]) => {
      c.heal();
      for (const id of ids) c.isolate(id);
    };
    c.propose('a');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    cut(x!, y!, z!);
    for (const cmd of ['b', 'c']) c.propose(cmd);
    c.deliverAll();
    c.snapshot(leader.id);
    const first = c.logs.get(leader.id)!.snapshotMetadata()!.index;
    // x's and then y's transfers of S start and are held; the leader compacts again to S'.
    cut(y!, z!);
    startHeldTransfer(c, leader, x!);
    for (const cmd of ['d', 'e']) c.propose(cmd);
    c.deliverWhere((m) => m.type !== 'install-snapshot');
    c.snapshot(leader.id);
    expect(c.logs.get(leader.id)!.snapshotMetadata()!.index).toBeGreaterThan(first);
    cut(x!, z!);
    startHeldTransfer(c, leader, y!);
    // act: x refuses its transfer (it ends); y still receives S. Then z comes back.
    c.step(leader.id, {
      type: 'message',
      message: {
        type: 'install-snapshot-response',
        from: x!,
        to: leader.id,
        term: leader.term(),
        snapshotIndex: first,
        offset: 0,
        done: false,
        reject: true,
      },
    });
    cut(x!, y!);
    startHeldTransfer(c, leader, z!);
    // check: z is sent S, the snapshot still in flight to y, not the newer S'.
    const toZ = c.sentBy(leader.id).filter((m) => m.type === 'install-snapshot' && m.to === z);
    expect(toZ.length).toBeGreaterThan(0);
    expect(toZ.every((m) => m.type === 'install-snapshot' && m.metadata.index === first)).toBe(true);
  });

  it('B5: a snapshot left in flight to a member that was removed and forgotten is not sent on; the newest is', () => {
    // init: five nodes; x and z cut off while the leader commits and compacts to S.
    const c = new TestCluster([1, 2, 3, 4, 5], { electionTick: 5, snapshotChunkSize: 2 });
    const leader = c.elect();
    const [, , x, z] = c.ids.filter((id) => id !== leader.id) as NodeId[];
    c.propose('a');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    c.isolate(x!);
    c.isolate(z!);
    for (const cmd of ['b', 'c']) c.propose(cmd);
    c.deliverAll();
    c.snapshot(leader.id);
    const first = c.logs.get(leader.id)!.snapshotMetadata()!.index;
    // x's transfer of S starts and never gets a chunk, while x answers heartbeats; x is
    // removed, and forgotten four election timeouts later, still "receiving" S.
    c.heal();
    c.isolate(z!);
    startHeldTransfer(c, leader, x!);
    c.step(leader.id, { type: 'change-membership', changes: [{ type: 'remove', id: x! }] });
    for (let i = 0; i < 25 && leader.status().progress?.[x!] !== undefined; i++) {
      c.tick(leader.id);
      c.deliverWhere((m) => m.type !== 'install-snapshot');
    }
    expect(leader.status().progress?.[x!]).toBeUndefined();
    // The leader compacts again, to S'.
    for (const cmd of ['d', 'e']) c.propose(cmd);
    c.deliverWhere((m) => m.type !== 'install-snapshot');
    c.snapshot(leader.id);
    const newest = c.logs.get(leader.id)!.snapshotMetadata()!.index;
    expect(newest).toBeGreaterThan(first);
    // act: z comes back.
    c.heal();
    c.isolate(x!);
    startHeldTransfer(c, leader, z!);
    // check: z gets S', not the S nobody receives any more.
    const toZ = c.sentBy(leader.id).filter((m) => m.type === 'install-snapshot' && m.to === z);
    expect(toZ.length).toBeGreaterThan(0);
    expect(toZ.every((m) => m.type === 'install-snapshot' && m.metadata.index === newest)).toBe(true);
  });

  it('B5: a follower that already holds the snapshot in flight waits for it instead of getting a newer one', () => {
    // init: five nodes; x cut off before the leader compacts to S, y only after.
    const c = new TestCluster([1, 2, 3, 4, 5], { electionTick: 5, snapshotChunkSize: 2 });
    const leader = c.elect();
    const [a, b, x, y] = c.ids.filter((id) => id !== leader.id) as [NodeId, NodeId, NodeId, NodeId];
    c.propose('a');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    c.isolate(x);
    for (const cmd of ['b', 'c']) c.propose(cmd);
    expect(c.runUntil(() => c.caughtUp([leader.id, a, b, y]))).toBe(true);
    c.snapshot(leader.id);
    // x's transfer of S starts and is held in flight.
    c.heal();
    startHeldTransfer(c, leader, x);
    expect(leader.status().progress![x]!.state).toBe('snapshot');
    // y is cut off; the leader commits more and compacts to S' past y's log.
    c.isolate(y);
    for (const cmd of ['d', 'e']) c.propose(cmd);
    c.deliverWhere((m) => m.type !== 'install-snapshot');
    c.snapshot(leader.id);
    // act: y comes back (x is cut off, its transfer still in flight).
    c.heal();
    c.isolate(x);
    for (let i = 0; i < 4; i++) {
      c.tick(leader.id);
      c.deliverWhere((m) => m.type !== 'install-snapshot');
    }
    // check: y holds S already, so it gets no snapshot while S is in flight to x.
    expect(c.sentBy(leader.id).filter((m) => m.type === 'install-snapshot' && m.to === y)).toEqual([]);
    // A proposal meanwhile goes to the others and leaves y waiting (nothing to send it yet).
    c.propose('f');
    expect(c.sentBy(leader.id).filter((m) => m.type === 'install-snapshot' && m.to === y)).toEqual([]);
    expect(leader.status().progress![y]!.state).toBe('probe');
  });

  it('§7: a snapshot event at or below the stored snapshot, or behind the compaction point, is ignored', () => {
    const c = new TestCluster([1], {});
    c.elect();
    for (const cmd of ['a', 'b', 'c', 'd']) c.propose(cmd);
    const log = c.logs.get(1)!;
    c.step(1, { type: 'snapshot', index: 3, data: bytes('s3') });
    expect(log.snapshotMetadata()?.index).toBe(3);
    expect(c.step(1, { type: 'snapshot', index: 3, data: bytes('again') })).toEqual([]);
    expect(c.step(1, { type: 'snapshot', index: 2, data: bytes('older') })).toEqual([]);
    expect(new TextDecoder().decode(log.snapshot()!.data)).toBe('s3');
    c.step(1, { type: 'snapshot', index: 4, data: bytes('s4') });
    expect(log.snapshotMetadata()?.index).toBe(4);
  });

  it('§7 streaming: a snapshot event gives a size of 0 or more and a checksum of 32 bits, never data', () => {
    const node = () => {
      const c = new TestCluster([1], { snapshotStreaming: true });
      c.elect();
      c.propose('a');
      return c.node(1);
    };
    const message = 'with snapshotStreaming a snapshot gives bytes and checksum (unsigned 32-bit), not data';
    for (const bad of [
      { bytes: -1, checksum: 1 },
      { bytes: 1.5, checksum: 1 },
      { bytes: 1, checksum: -1 },
      { bytes: 1, checksum: 2 ** 32 },
      { bytes: 1, checksum: 0.5 },
      { bytes: 1, checksum: 1, data: bytes('x') },
    ]) {
      expect(() => node().step({ type: 'snapshot', index: 1, ...bad } as never), JSON.stringify(bad)).toThrow(
        message,
      );
    }
    for (const good of [
      { bytes: 0, checksum: 0 },
      { bytes: 5, checksum: 2 ** 32 - 1 },
    ]) {
      expect(() => node().step({ type: 'snapshot', index: 1, ...good } as never)).not.toThrow();
    }
  });

  it("§7: the leader reads snapshot answers: another snapshot's is ignored, a duplicate resends nothing, an offset asks for that chunk, a refusal starts over", () => {
    // init: a transfer to the lagging follower in flight, its first chunk (offset 0) sent.
    const { c, leader, lagging, snapshot } = laggingBehindSnapshot({ snapshotChunkSize: 4 });
    c.heal();
    startHeldTransfer(c, leader, lagging);
    c.queue = [];
    const answer = (over: Record<string, unknown>) =>
      c.step(leader.id, {
        type: 'message',
        message: {
          type: 'install-snapshot-response',
          from: lagging,
          to: leader.id,
          term: leader.term(),
          snapshotIndex: snapshot.metadata.index,
          offset: 0,
          done: false,
          reject: false,
          ...over,
        } as Message,
      });
    const sentTo = (out: ReturnType<typeof answer>) =>
      out.flatMap((a) => (a.type === 'send' && a.message.to === lagging ? [a.message] : []));
    // act / check
    expect(sentTo(answer({ snapshotIndex: snapshot.metadata.index - 1, offset: 4 }))).toEqual([]);
    const sent = leader.status().progress![lagging]!.snapshot!.offset;
    expect(sentTo(answer({ offset: sent }))).toEqual([]); // names the chunk in flight: a duplicate
    const asked = sentTo(answer({ offset: 8 }));
    expect(asked).toMatchObject([{ type: 'install-snapshot', offset: 8 }]);
    const refused = sentTo(answer({ offset: 0, reject: true }));
    expect(leader.status().progress![lagging]!.state).not.toBe('snapshot');
    expect(refused.length).toBeGreaterThan(0);
  });

  it('§7: lost, duplicated and reordered chunks of a snapshot are resent or ignored, never assembled wrongly', () => {
    // init: 2-byte chunks, so the 17-byte snapshot travels in 9 chunks
    const { c, leader, lagging, snapshot } = laggingBehindSnapshot({ snapshotChunkSize: 2 });
    const check = safety();
    c.heal();

    // act: each round takes what is in flight; every third chunk is lost, every other one is
    // duplicated, and the round delivers back to front (responses and resends overtake each other)
    let chunk = 0;
    for (let round = 0; round < 200 && !c.caughtUp(); round++) {
      c.tickAll();
      const batch: Message[] = [];
      for (const m of c.queue) {
        if (m.type === 'install-snapshot' && ++chunk % 3 === 0) continue;
        batch.push(m);
        if (m.type === 'install-snapshot' && chunk % 2 === 0) batch.push(m);
      }
      c.queue = [];
      for (const m of batch.reverse()) c.deliver(m);
      check(c);
    }

    // check: many chunks went out (resends included), and the follower assembled exactly the
    // leader's bytes
    expect(c.caughtUp()).toBe(true);
    expect(chunk).toBeGreaterThan(12);
    const restores = c.actionsOf(lagging, 'restore');
    expect(restores).toHaveLength(1);
    expect(restores[0]!.snapshot.data).toEqual(snapshot.data);
    expect(c.machines.get(lagging)).toEqual(c.machines.get(leader.id));
  });

  it('§7: with compactionTail, a follower only slightly behind the snapshot is caught up from the log, not by a snapshot', () => {
    // init: the leader keeps 4 entries before its snapshot index; the follower misses 2
    const c = new TestCluster([1, 2, 3], { electionTick: 5, compactionTail: 4 });
    const leader = c.elect();
    const [lagging, other] = followersOf(c, leader.id) as [NodeId, NodeId];
    for (const x of ['a', 'b', 'c', 'd']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    c.isolate(lagging);
    for (const x of ['e', 'f']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);

    // act: the leader compacts at its applied index 6, then the follower comes back
    c.snapshot(leader.id);
    expect(c.logs.get(leader.id)!.firstIndex()).toBe(3);
    c.heal();
    expect(c.runUntil(() => c.caughtUp())).toBe(true);

    // check: no snapshot was sent; the follower applied entries 5 and 6 from appends
    expect(c.sentBy(leader.id).some((m) => m.type === 'install-snapshot')).toBe(false);
    expect(c.actionsOf(lagging, 'restore')).toEqual([]);
    expect(c.commands(lagging)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('§7 InstallSnapshot across a change of leader', () => {
  /** Deliver one message at a time until the follower holds part (not all) of the snapshot. */
  function partlyInstalled(c: TestCluster, leader: NodeId, lagging: NodeId, chunks: number): void {
    c.heal();
    const delivered = () => c.sentBy(lagging).filter((m) => m.type === 'install-snapshot-response').length;
    for (let i = 0; i < 500 && delivered() < chunks; i++) {
      if (c.queue.length === 0) c.tick(leader);
      else c.deliverAt(0);
    }
    expect(delivered()).toBe(chunks);
    expect(c.actionsOf(lagging, 'restore')).toEqual([]);
  }

  it('§7/§5.4: the old leader partitioned mid-install; a new leader with an uncompacted log catches the follower up by log, and the old chunks are ignored', () => {
    // init: the leader has sent 3 of the snapshot's chunks when it is cut off; its next chunk is still in flight
    const { c, leader, lagging, other } = laggingBehindSnapshot({ snapshotChunkSize: 4 });
    const check = safety();
    partlyInstalled(c, leader.id, lagging, 3);
    c.deliverWhere((m) => m.to === leader.id);
    const stale: Message[] = c.queue.filter((m) => m.type === 'install-snapshot');
    expect(stale.length).toBeGreaterThan(0);
    c.isolate(leader.id);

    // act: the others elect a new leader, which replicates to the follower
    expect(c.runUntil(() => c.leader()?.id === other && c.caughtUp([other, lagging]))).toBe(true);
    check(c);

    // check: the follower was caught up from the new leader's log (no restore), and the old
    // leader's delayed chunks change nothing
    expect(c.actionsOf(lagging, 'restore')).toEqual([]);
    expect(c.machines.get(lagging)).toEqual(c.machines.get(other));
    const before = c.node(lagging).status();
    for (const m of stale) c.step(lagging, { type: 'message', message: m });
    expect(c.actionsOf(lagging, 'restore')).toEqual([]);
    expect(c.node(lagging).status()).toEqual(before);

    // act: the old leader returns and the cluster moves on
    c.heal();
    c.propose('z');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);

    // check: all three state machines are equal
    check(c);
    for (const id of c.ids) expect(c.machines.get(id)).toEqual([...'abcdefghi', 'z']);
  });

  it('§7/§5.4: the old leader partitioned mid-install; a new leader that compacted differently starts its own snapshot from the first chunk', () => {
    // init: the other follower compacted at an earlier index than the leader did
    const c = new TestCluster([1, 2, 3], { electionTick: 5, snapshotChunkSize: 4 });
    const check = safety();
    const leader = c.elect();
    const [lagging, other] = followersOf(c, leader.id) as [NodeId, NodeId];
    for (const x of ['a', 'b']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    c.isolate(lagging);
    for (const x of ['c', 'd', 'e', 'f']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);
    c.snapshot(other);
    for (const x of ['g', 'h']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp([leader.id, other]))).toBe(true);
    c.snapshot(leader.id);
    const otherSnapshot = c.logs.get(other)!.snapshot()!;
    expect(otherSnapshot.metadata.index).toBeLessThan(c.logs.get(leader.id)!.snapshotMetadata()!.index);
    partlyInstalled(c, leader.id, lagging, 2);
    c.isolate(leader.id);

    // act: the other follower becomes leader and catches the lagging one up
    expect(c.runUntil(() => c.leader()?.id === other && c.caughtUp([other, lagging]))).toBe(true);
    check(c);

    // check: the follower installed the new leader's snapshot, sent from offset 0, then the tail
    const restores = c.actionsOf(lagging, 'restore');
    expect(restores).toHaveLength(1);
    expect(restores[0]!.snapshot).toEqual(otherSnapshot);
    const newChunks = c.sentBy(other).filter((m) => m.type === 'install-snapshot');
    expect(newChunks[0]).toMatchObject({ offset: 0, metadata: otherSnapshot.metadata });
    expect(c.machines.get(lagging)).toEqual([...'abcdefgh']);

    // act + check: the old leader returns; everyone agrees
    c.heal();
    c.propose('z');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    check(c);
    for (const id of c.ids) expect(c.machines.get(id)).toEqual([...'abcdefgh', 'z']);
  });
});

describe('§7 restart from a snapshot', () => {
  it('§7: a node restarted on its log restores its snapshot, then applies the committed tail after it, once and in order', () => {
    // init: the follower snapshots at index 4 keeping 2 entries before it, then applies 5..6
    const c = new TestCluster([1, 2, 3], { electionTick: 5, compactionTail: 2 });
    const check = safety();
    const leader = c.elect();
    const [f] = followersOf(c, leader.id) as [NodeId];
    for (const x of ['a', 'b', 'c', 'd']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    c.snapshot(f);
    expect(c.logs.get(f)!.snapshotMetadata()!.index).toBe(4);
    expect(c.logs.get(f)!.firstIndex()).toBe(3);
    for (const x of ['e', 'f']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    const machine = [...c.machines.get(f)!];

    // act: crash and restart the follower on the same MemoryLog; its first step is a tick
    c.crash(f);
    c.restart(f);
    const actions = c.step(f, { type: 'tick' });

    // check: restore of the snapshot first, then entries 5 and 6 (not the kept 3 and 4)
    const significant = actions.filter((a) => a.type === 'restore' || a.type === 'apply');
    expect(
      significant.map((a) =>
        a.type === 'restore' ? `restore@${a.snapshot.metadata.index}` : `apply@${a.index}`,
      ),
    ).toEqual(['restore@4', 'apply@5', 'apply@6']);
    expect(c.machines.get(f)).toEqual(machine);
    expect(c.node(f).appliedIndex()).toBe(6);

    // and it keeps working after the restart
    c.propose('g');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    expect(c.machines.get(f)).toEqual([...'abcdefg']);
    check(c);
  });

  it('§7: a leader restarted from its snapshot restores it, and the cluster carries on', () => {
    // init: the leader snapshots with no tail kept, then crashes
    const c = new TestCluster([1, 2, 3], { electionTick: 5 });
    const check = safety();
    const leader = c.elect();
    for (const x of ['a', 'b', 'c']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    c.snapshot(leader.id);
    expect(c.logs.get(leader.id)!.firstIndex()).toBe(4);
    c.crash(leader.id);

    // act: restart it and let the cluster elect and commit again
    c.restart(leader.id);
    c.tick(leader.id);
    expect(c.machines.get(leader.id)).toEqual(['a', 'b', 'c']);
    c.elect();
    c.propose('d');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);

    // check: one restore on the restarted node, no entry of the snapshot re-applied
    expect(c.actionsOf(leader.id, 'restore').map((a) => a.snapshot.metadata.index)).toEqual([3]);
    expect(c.commands(leader.id)).toEqual(['d']);
    for (const id of c.ids) expect(c.machines.get(id)).toEqual(['a', 'b', 'c', 'd']);
    check(c);
  });
});

describe('§7 the snapshot event', () => {
  function appliedThree() {
    const c = new TestCluster([1, 2, 3], { electionTick: 5 });
    const leader = c.elect();
    for (const x of ['a', 'b', 'c']) c.propose(x);
    expect(c.runUntil(() => c.caughtUp())).toBe(true);
    return { c, leader };
  }

  it('§7: a snapshot past the applied index throws InvalidArgumentError and changes nothing', () => {
    // init
    const { c, leader } = appliedThree();
    const log = c.logs.get(leader.id)!;
    const before = { status: leader.status(), first: log.firstIndex(), snapshot: log.snapshot() };

    // act + check
    expect(() => c.step(leader.id, { type: 'snapshot', index: 4, data: bytes('a,b,c,?') })).toThrow(
      InvalidArgumentError,
    );
    expect(() => c.step(leader.id, { type: 'snapshot', index: -1, data: bytes('') })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      c.step(leader.id, { type: 'snapshot', index: 3, data: 'a,b,c' as unknown as Uint8Array }),
    ).toThrow(InvalidArgumentError);
    expect(leader.status()).toEqual(before.status);
    expect(log.firstIndex()).toBe(before.first);
    expect(log.snapshot()).toBe(before.snapshot);
  });

  it('§7: a snapshot at or below the stored snapshot index is ignored', () => {
    // init: a snapshot at 3
    const { c, leader } = appliedThree();
    c.snapshot(leader.id);
    const log = c.logs.get(leader.id)!;
    const stored = log.snapshot();
    expect(stored?.metadata.index).toBe(3);

    // act: an older and an equal snapshot arrive
    const older = c.step(leader.id, { type: 'snapshot', index: 2, data: bytes('a,b') });
    const equal = c.step(leader.id, { type: 'snapshot', index: 3, data: bytes('x') });

    // check: no action, the stored snapshot and compaction point are unchanged
    expect(older).toEqual([]);
    expect(equal).toEqual([]);
    expect(log.snapshot()).toBe(stored);
    expect(log.firstIndex()).toBe(4);
  });

  it('§7: each node compacts independently; a snapshot on a follower does not disturb replication', () => {
    // init
    const { c, leader } = appliedThree();
    const [f] = followersOf(c, leader.id) as [NodeId];

    // act: the follower compacts, then more entries arrive
    c.snapshot(f);
    c.propose('d');
    expect(c.runUntil(() => c.caughtUp())).toBe(true);

    // check: only the follower's log was compacted, and it applied the new entry
    expect(c.logs.get(f)!.firstIndex()).toBe(4);
    expect(c.logs.get(leader.id)!.firstIndex()).toBe(1);
    expect(c.commands(f)).toEqual(['a', 'b', 'c', 'd']);
    expect(c.sentBy(leader.id).some((m) => m.type === 'install-snapshot')).toBe(false);
  });
});
