/**
 * The leader's side of replication, answer by answer (issue 20: these branches survived
 * mutation because the tests only saw clusters converge): how a rejection's hint moves the
 * probe, which answers start or keep replication, that an acknowledgement frees the window
 * without resending, that a heartbeat answer frees a slot only of a full window, that a
 * duplicate acknowledgement makes no broadcast, and the end of a snapshot transfer.
 */
import { describe, expect, it } from 'vitest';
import {
  type AppendEntriesMessage,
  type Entry,
  MemoryLog,
  type Message,
  type RaftConfig,
  RaftNode,
} from '../src/index.js';
import { bytes } from './helpers/cluster.js';
import { appendResponse } from './helpers/messages.js';

const entry = (index: number, term: number): Entry => ({
  index,
  term,
  type: 'command',
  data: bytes(`e${index}`),
});
const membership = { voters: [1, 2], learners: [], outgoingVoters: [] };

/**
 * Node 1 of {1,2} (or `voters`) elected by hand over a log of `terms` (entry i+1 has terms[i]);
 * its empty entry of the new term follows them.
 */
function leaderOver(terms: number[], options: Partial<RaftConfig> = {}, voters = [1, 2]) {
  const log = new MemoryLog();
  const term = terms.length > 0 ? terms[terms.length - 1]! : 0;
  log.write({ hardState: { term, vote: null, commit: 0 }, entries: terms.map((t, i) => entry(i + 1, t)) });
  const node = new RaftNode({ id: 1, voters, preVote: false, checkQuorum: false, ...options }, log);
  node.step({ type: 'campaign' });
  for (const from of voters.filter((id) => id !== 1)) {
    node.step({
      type: 'message',
      message: {
        type: 'request-vote-response',
        from,
        to: 1,
        term: node.term(),
        preVote: false,
        granted: true,
      },
    });
  }
  expect(node.isLeader()).toBe(true);
  return { node, log };
}

/**
 * Leader 1 of {1,2} in term 2 over `log`, written here compacted to a snapshot at 5 (term 1)
 * with entries 6..7 after it; its empty entry of term 2 is 8.
 */
function compactedLeader(log: MemoryLog): RaftNode {
  log.write({
    hardState: { term: 1, vote: null, commit: 7 },
    snapshot: { metadata: { index: 5, term: 1, membership }, data: bytes('state') },
    compact: { index: 5, term: 1 },
    entries: [entry(6, 1), entry(7, 1)],
  });
  const node = new RaftNode({ id: 1, voters: [1, 2], preVote: false, checkQuorum: false }, log);
  node.step({ type: 'campaign' });
  node.step({
    type: 'message',
    message: { type: 'request-vote-response', from: 2, to: 1, term: 2, preVote: false, granted: true },
  });
  return node;
}

const appends = (actions: ReturnType<RaftNode['step']>, to = 2): AppendEntriesMessage[] =>
  actions.flatMap((a) =>
    a.type === 'send' && a.message.type === 'append-entries' && a.to === to ? [a.message] : [],
  );
const answer = (node: RaftNode, over: Partial<Message & { type: 'append-entries-response' }>) =>
  node.step({ type: 'message', message: appendResponse({ term: node.term(), ...over }) });
const progress = (node: RaftNode, id = 2) => node.status().progress![id]!;

describe('a rejection moves the probe', () => {
  it("with a term, to the leader's last entry of at most that term; without one, to the hint index as it is", () => {
    // init: the leader holds 1..3 of term 1, 4..5 of term 2 and its empty entry 6 of term 3;
    // the probe in flight to node 2 carries 6 (prev 5).
    const { node } = leaderOver([1, 1, 1, 2, 2]);
    expect(progress(node)).toMatchObject({ state: 'probe', next: 6 });
    // act: node 2 rejects prev 5, its entry there being of term 1.
    const withTerm = answer(node, { success: false, index: 5, hintIndex: 5, hintTerm: 1 });
    // check: the leader skips its entries of term 2 and probes at 3 (its last of term 1).
    expect(appends(withTerm).map((m) => m.prevLogIndex)).toEqual([3]);
    // act: that probe is rejected with a hint that has no term (the follower has nothing there).
    const noTerm = answer(node, { success: false, index: 3, hintIndex: 2, hintTerm: 0 });
    // check: taken as an index: probe at 2.
    expect(appends(noTerm).map((m) => m.prevLogIndex)).toEqual([2]);
    expect(progress(node)).toMatchObject({ state: 'probe', match: 0, next: 3 });
  });
});

describe('answers that start or keep replication', () => {
  it('a stale success below the match does not end the probe', () => {
    // init: node 2 replicated up to 3, then rejected an append past it: probing from 4.
    const { node } = leaderOver([1, 1, 1], { maxSizePerMsg: 1 });
    answer(node, { index: 3 });
    expect(progress(node)).toMatchObject({ state: 'replicate', match: 3 });
    answer(node, { success: false, index: 4, hintIndex: 3, hintTerm: 1 });
    expect(progress(node)).toMatchObject({ state: 'probe', match: 3 });
    // act: a delayed success for index 2 arrives.
    answer(node, { index: 2 });
    // check: still probing; only an answer to the probe (or a newer match) ends it.
    expect(progress(node)).toMatchObject({ state: 'probe', match: 3 });
  });

  it('an acknowledgement while replicating frees the window up to it and resends nothing', () => {
    // init: replicating from 2 (the empty entry of term 2), entries 3..5 in flight one per message.
    const { node } = leaderOver([1], { maxSizePerMsg: 1 });
    answer(node, { index: 2 });
    for (const x of ['a', 'b', 'c']) node.step({ type: 'propose', command: bytes(x) });
    expect(progress(node)).toMatchObject({ state: 'replicate', match: 2, next: 6, inflight: 3 });
    // act: the first of them is acknowledged.
    const out = answer(node, { index: 3 });
    // check: one slot freed, next unchanged, no entry sent again (only the new commit index).
    expect(progress(node)).toMatchObject({ state: 'replicate', match: 3, next: 6, inflight: 2 });
    expect(appends(out).map((m) => [m.commit, m.entries.length])).toEqual([[3, 0]]);
  });

  it('a heartbeat answer frees a slot only of a full window', () => {
    const { node } = leaderOver([1], { maxSizePerMsg: 1, maxInflightMsgs: 3 });
    answer(node, { index: 2 });
    node.step({ type: 'propose', command: bytes('a') });
    expect(progress(node)).toMatchObject({ state: 'replicate', inflight: 1 });
    node.step({
      type: 'message',
      message: { type: 'heartbeat-response', from: 2, to: 1, term: node.term(), context: 0 },
    });
    expect(progress(node).inflight).toBe(1);
  });

  it('an acknowledgement that commits nothing new sends nobody anything', () => {
    // init: {1,2,3}; node 2 acknowledged the empty entry 2, which is committed.
    const { node } = leaderOver([1], {}, [1, 2, 3]);
    answer(node, { index: 2 });
    expect(node.commitIndex()).toBe(2);
    // act: node 3 acknowledges it too (its match moves, the commit index does not), and node 2
    // repeats itself.
    const third = answer(node, { from: 3, index: 2 });
    const again = answer(node, { index: 2 });
    // check
    expect([...third, ...again].filter((a) => a.type === 'send')).toEqual([]);
    expect(progress(node, 3)).toMatchObject({ state: 'replicate', match: 2 });
  });
});

describe('the end of a snapshot transfer', () => {
  /** Leader 1 over a log compacted to a snapshot at 5 (entries 6..7, then its empty entry 8), sending it to node 2. */
  function sendingSnapshot() {
    const node = compactedLeader(new MemoryLog());
    // Node 2 has nothing: its rejection sends the leader below its snapshot.
    const out = answer(node, { success: false, index: 7, hintIndex: 0, hintTerm: 0 });
    expect(out.some((a) => a.type === 'send' && a.message.type === 'install-snapshot')).toBe(true);
    expect(progress(node).state).toBe('snapshot');
    return node;
  }
  /** Node 2 says it installed the snapshot at `snapshotIndex` (5, the one sent). */
  const done = (node: RaftNode, snapshotIndex = 5) =>
    node.step({
      type: 'message',
      message: {
        type: 'install-snapshot-response',
        from: 2,
        to: 1,
        term: node.term(),
        snapshotIndex,
        offset: snapshotIndex,
        done: true,
        reject: false,
      },
    });

  it('the follower that installed it is probed right after it at once, and a duplicate "done" later changes nothing', () => {
    const node = sendingSnapshot();
    const out = done(node);
    expect(appends(out).map((m) => m.prevLogIndex)).toEqual([5]);
    expect(progress(node)).toMatchObject({ state: 'probe', match: 5 });
    answer(node, { index: 8 });
    expect(progress(node)).toMatchObject({ state: 'replicate', match: 8 });
    expect(appends(done(node))).toEqual([]);
    expect(progress(node)).toMatchObject({ state: 'replicate', match: 8 });
    // Nor does a forged answer for "snapshot 0" while no transfer is under way.
    done(node, 0);
    expect(progress(node)).toMatchObject({ state: 'replicate', match: 8 });
  });

  it('a transfer to a follower silent for exactly an election timeout is given up on that tick', () => {
    const node = sendingSnapshot();
    for (let i = 0; i < 9; i++) node.step({ type: 'tick' });
    expect(progress(node).state).toBe('snapshot');
    node.step({ type: 'tick' });
    expect(progress(node).state).toBe('probe');
  });
});

describe('a broken log', () => {
  it('a leader that must send a snapshot its compacted log does not hold stops with a named invariant error', () => {
    // init: a log compacted to 5 whose snapshot has gone missing (a broken RaftLog).
    class LostSnapshotLog extends MemoryLog {
      lost = false;
      override snapshot() {
        return this.lost ? null : super.snapshot();
      }
    }
    const log = new LostSnapshotLog();
    const node = compactedLeader(log);
    log.lost = true;
    // act: node 2 needs entries below 6.
    let error: unknown;
    try {
      answer(node, { success: false, index: 7, hintIndex: 0, hintTerm: 0 });
    } catch (e) {
      error = e;
    }
    // check
    expect(error).toMatchObject({ code: 'INVARIANT', invariant: 'compacted-log-has-snapshot' });
  });
});

describe('a leadership transfer', () => {
  it('a repeated acknowledgement from the caught-up target does not send TimeoutNow again', () => {
    const { node } = leaderOver([1]);
    answer(node, { index: 2 });
    const start = node.step({ type: 'transfer-leadership', to: 2 });
    const timeoutNows = (out: ReturnType<RaftNode['step']>) =>
      out.filter((a) => a.type === 'send' && a.message.type === 'timeout-now').length;
    expect(timeoutNows(start)).toBe(1);
    expect(timeoutNows(answer(node, { index: 2 }))).toBe(0);
  });
});
