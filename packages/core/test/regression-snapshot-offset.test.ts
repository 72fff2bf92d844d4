/**
 * Regression (liveness, found by the snapshot property test): the follower's SnapshotReceiver can fall back to an earlier offset without
 * the leader noticing (a stale chunk of an older snapshot resets it; a duplicated first chunk
 * restarts it). The follower then keeps answering "offset 4", the leader keeps resending the
 * chunk at offset 8 and ignores every answer below its `snapshotOffset`: a livelock, the
 * follower is never caught up.
 */
import { expect, it } from 'vitest';
import type { Message, NodeId } from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';

it('§7: a follower whose partial install was reset is still caught up', () => {
  const c = new TestCluster([1, 2, 3], { electionTick: 5, snapshotChunkSize: 4 });
  const leader = c.elect();
  const [f, o] = c.ids.filter((id) => id !== leader.id) as [NodeId, NodeId];
  for (const x of ['a', 'b', 'c']) c.propose(x);
  expect(c.runUntil(() => c.caughtUp())).toBe(true);

  // First snapshot S1 (index 7) is installed on f; a duplicate of its chunk at offset 4 is kept.
  c.isolate(f);
  for (const x of ['d', 'e', 'f', 'g']) c.propose(x);
  expect(c.runUntil(() => c.caughtUp([leader.id, o]))).toBe(true);
  c.snapshot(leader.id);
  c.heal();
  let stale: Message | undefined;
  for (let r = 0; r < 100 && !c.caughtUp(); r++) {
    c.tickAll();
    while (c.queue.length > 0) {
      const m = c.queue[0]!;
      if (m.type === 'install-snapshot' && m.offset === 4 && !stale) stale = m;
      c.deliverAt(0);
    }
  }
  expect(c.caughtUp()).toBe(true);
  expect(stale).toBeDefined();

  // Second snapshot S2 (index 11): f receives its first two chunks (8 bytes); a duplicate of
  // its first chunk is kept; chunks from offset 8 on are held back for now.
  c.isolate(f);
  for (const x of ['h', 'i', 'j', 'k']) c.propose(x);
  expect(c.runUntil(() => c.caughtUp([leader.id, o]))).toBe(true);
  c.snapshot(leader.id);
  c.heal();
  let first: Message | undefined;
  const answered8 = () =>
    c
      .sentBy(f)
      .some((m) => m.type === 'install-snapshot-response' && m.snapshotIndex === 11 && m.offset === 8);
  for (let r = 0; r < 100 && !answered8(); r++) {
    c.tick(leader.id);
    while (c.queue.length > 0) {
      const m = c.queue[0]!;
      if (m.type === 'install-snapshot' && m.offset === 0 && !first) first = m;
      if (m.type === 'install-snapshot' && m.offset >= 8) c.queue.shift();
      else c.deliverAt(0);
    }
  }
  expect(answered8()).toBe(true);
  expect(first).toBeDefined();

  // The delayed duplicates arrive: S1's chunk (resets the receiver), then S2's first chunk.
  c.deliver(stale!);
  c.deliver(first!);
  c.queue = c.queue.filter((m) => m.to === f); // only what the leader sends f from here on matters

  // Observed: f answers offset 4 forever, the leader resends offset 8 forever.
  expect(c.runUntil(() => c.caughtUp(), 300)).toBe(true);
});
