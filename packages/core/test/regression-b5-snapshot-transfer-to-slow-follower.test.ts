/**
 * Regression B5 (issue 11, liveness): a slow follower never finished a snapshot install.
 * Every new local snapshot restarted every chunked transfer in progress at offset 0. With a
 * snapshot every 8 ticks and a 160-byte state sent in 16-byte chunks (10 chunks), a follower
 * whose link takes 2 ticks per chunk (20 ticks per install) never got to the last chunk: it
 * was still at match 0 after 400 ticks.
 *
 * Correct: the snapshot being sent is pinned to the follower's transfer until it ends (the
 * leader keeps at most that one and its newest), so the follower installs it and catches up.
 */
import { expect, it } from 'vitest';
import type { Message } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';

const STATE_BYTES = 160;
const CHUNK = 16;
const SNAPSHOT_EVERY = 8;
const LINK_DELAY = 2;
const TICKS = 400;

it('§7: a follower behind a slow link installs a snapshot although the leader snapshots again every 8 ticks', () => {
  // init: {1,2,3}; node 1 leads term 1 and commits a few commands; node 3 is cut off, so the
  // leader's log is compacted past it and node 3 can only be caught up with a snapshot.
  const c = new TestCluster([1, 2, 3], { electionTick: 10, snapshotChunkSize: CHUNK });
  c.step(1, { type: 'campaign' });
  c.deliverAll();
  c.isolate(3);
  for (const x of ['a', 'b', 'c']) c.propose(x);
  c.deliverAll();
  c.tickAll();
  c.deliverAll();
  expect(c.node(1).commitIndex()).toBe(3);
  // The application's state is always 160 bytes (its content changes with every command).
  let version = 0;
  const state = () => new Uint8Array(STATE_BYTES).fill(++version);
  const snapshot = () => c.step(1, { type: 'snapshot', index: c.node(1).appliedIndex(), data: state() });
  snapshot();
  expect(c.logs.get(1)!.firstIndex()).toBe(4);

  // act: node 3 comes back behind a slow link: every message to it arrives LINK_DELAY ticks
  // after it was sent (one 16-byte chunk per 2 ticks, since the leader sends the next chunk
  // when the previous one is answered). Everything else crosses at once. Every tick the
  // leader commits a command, and every 8 ticks the application snapshots (a new 160-byte
  // snapshot at a new index).
  c.heal();
  const inFlight: { due: number; message: Message }[] = [];
  /** Deliver one message at a time until nothing is due; messages to node 3 wait LINK_DELAY ticks. */
  const pump = (now: number) => {
    for (let guard = 0; guard < 10_000; guard++) {
      for (const m of c.queue) if (m.to === 3) inFlight.push({ due: now + LINK_DELAY, message: m });
      c.queue = c.queue.filter((m) => m.to !== 3);
      const i = inFlight.findIndex((f) => f.due <= now);
      if (i >= 0) c.deliver(inFlight.splice(i, 1)[0]!.message);
      else if (c.queue.length > 0) c.deliverAt(0);
      else return;
    }
  };
  const installed = () => c.actionsOf(3, 'restore').length > 0;
  let tick = 0;
  while (tick < TICKS && !installed()) {
    tick++;
    c.tickAll();
    if (c.node(1).isLeader()) c.step(1, { type: 'propose', command: bytes(`x${tick}`) });
    if (tick % SNAPSHOT_EVERY === 0 && c.node(1).isLeader()) snapshot();
    pump(tick);
  }

  // check: node 3 installed a snapshot and the leader counts it (match > 0). Observed with
  // the bug: still no install after 400 ticks, and match 0: node 3 got at most 4 of the 10
  // chunks of each snapshot before the next one restarted the transfer at offset 0.
  expect(c.node(1).isLeader()).toBe(true);
  expect(installed(), `node 3 installs a snapshot within ${TICKS} ticks`).toBe(true);
  expect(c.node(1).status().progress?.[3]?.match ?? 0).toBeGreaterThan(0);
  expect(c.node(3).commitIndex()).toBeGreaterThanOrEqual(3);
});
