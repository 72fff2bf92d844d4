/**
 * §4.1 with restarts: a restarted node is in the newest membership its log holds, committed
 * or not, whether the log offers `membershipEntries` or the node pages through every entry.
 */
import { describe, expect, it } from 'vitest';
import { type Entry, type Membership, MemoryLog, RaftNode } from '../src/index.js';
import { encodeMembership } from '../src/membership.js';

const m = (voters: number[], learners: number[] = []): Membership => ({
  voters,
  learners,
  outgoingVoters: [],
});
const command = (index: number): Entry => ({
  index,
  term: 1,
  type: 'command',
  data: new Uint8Array([index]),
});
const change = (index: number, membership: Membership): Entry => ({
  index,
  term: 1,
  type: 'membership',
  data: encodeMembership(membership),
});

/** A log of 40 entries: two membership changes committed, the last one (index 38) not. */
function logWithChanges(): MemoryLog {
  const log = new MemoryLog();
  const entries = Array.from({ length: 40 }, (_, i) => command(i + 1));
  entries[9] = change(10, m([1, 2, 3, 4]));
  entries[19] = change(20, m([1, 2, 3, 4], [5]));
  entries[37] = change(38, m([2, 3, 4], [5]));
  log.write({ hardState: { term: 1, vote: null, commit: 30 }, entries });
  return log;
}

/** The same log without the optional `membershipEntries`: the node must page through it. */
function withoutIndex(log: MemoryLog) {
  return {
    hardState: () => log.hardState(),
    snapshotMetadata: () => log.snapshotMetadata(),
    snapshot: () => log.snapshot(),
    firstIndex: () => log.firstIndex(),
    lastIndex: () => log.lastIndex(),
    term: (i: number) => log.term(i),
    entries: (lo: number, hi: number, max?: number) => log.entries(lo, hi, max),
    write: (w: Parameters<MemoryLog['write']>[0]) => log.write(w),
  };
}

describe('restart with membership entries in the log', () => {
  for (const [how, open] of [
    ['with membershipEntries', (log: MemoryLog) => log],
    ['paging through the log', withoutIndex],
  ] as const) {
    it(`${how}: the newest membership in the log is in force, the uncommitted one included`, () => {
      const node = new RaftNode({ id: 1, voters: [1, 2, 3], maxSizePerMsg: 8 }, open(logWithChanges()));
      expect(node.membership()).toEqual(m([2, 3, 4], [5]));
      // Node 1 is no voter of the newest membership, but of the committed one (index 20)
      // that the uncommitted change removes it from: it may still campaign.
      let campaigned = false;
      for (let i = 0; i < 30 && !campaigned; i++)
        campaigned = node.step({ type: 'tick' }).some((a) => a.type === 'send');
      expect(campaigned).toBe(true);
    });
  }

  it('a truncated uncommitted change falls back to the membership before it', () => {
    const log = logWithChanges();
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] }, log);
    node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 2,
        prevLogIndex: 30,
        prevLogTerm: 1,
        entries: [{ index: 31, term: 2, type: 'command', data: new Uint8Array(0) }],
        commit: 30,
      },
    });
    expect(log.lastIndex()).toBe(31);
    expect(node.membership()).toEqual(m([1, 2, 3, 4], [5]));
  });
});
