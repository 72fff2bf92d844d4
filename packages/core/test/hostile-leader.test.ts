/**
 * A follower checks what "the leader" sends against what it has committed (issue 20: these
 * checks had no test). A stale append is answered with success at the follower's commit; an
 * append or a stale one that contradicts a committed entry stops the node with a named
 * InvariantError instead of rewriting history; a second leader in one term is refused the
 * same way; only the follower's own leader can make it campaign with timeout-now; and a
 * rejection's hint points at the follower's last entry of at most the leader's term.
 */
import { describe, expect, it } from 'vitest';
import { type Entry, type LogWrite, MemoryLog, type Message, RaftNode } from '../src/index.js';
import { appendEntries as append, appendResponse } from './helpers/messages.js';
import { thrownBy } from './helpers/regression.js';

const entry = (index: number, term: number): Entry => ({
  index,
  term,
  type: 'command',
  data: new TextEncoder().encode(`e${index}`),
});

/** Follower 1 of leader 2 (term 1) holding entries 1..3 of term 1, all committed. */
function committedFollower(): RaftNode {
  const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, checkQuorum: false });
  node.step({
    type: 'message',
    message: append({ entries: [entry(1, 1), entry(2, 1), entry(3, 1)], commit: 3 }),
  });
  expect(node.commitIndex()).toBe(3);
  return node;
}

const responses = (out: ReturnType<RaftNode['step']>) =>
  out.flatMap((a) => (a.type === 'send' && a.message.type === 'append-entries-response' ? [a.message] : []));

describe('a follower against its leader', () => {
  it('answers a stale append (below its commit) with success at its commit index', () => {
    const node = committedFollower();
    const out = node.step({
      type: 'message',
      message: append({ prevLogIndex: 1, prevLogTerm: 1, commit: 1 }),
    });
    expect(responses(out)).toMatchObject([{ success: true, index: 3 }]);
  });

  it('stops on a stale append whose entry contradicts a committed one', () => {
    const node = committedFollower();
    const error = thrownBy(() =>
      node.step({
        type: 'message',
        message: append({ prevLogIndex: 1, prevLogTerm: 1, entries: [entry(2, 2)], term: 2 }),
      }),
    );
    expect(error).toMatchObject({ code: 'INVARIANT', invariant: 'committed-entries-never-change' });
    expect(error?.message).toContain("the leader's entry 2 conflicts with a committed one");
  });

  it('stops on a stale append whose previous entry has another term at a committed index', () => {
    const node = committedFollower();
    const error = thrownBy(() =>
      node.step({ type: 'message', message: append({ prevLogIndex: 2, prevLogTerm: 2, term: 2 }) }),
    );
    expect(error).toMatchObject({ invariant: 'committed-entries-never-change' });
    expect(error?.message).toContain('committed index 2 differs');
  });

  it('stops on an append whose previous entry, at the commit index, has another term', () => {
    const node = committedFollower();
    const error = thrownBy(() =>
      node.step({ type: 'message', message: append({ prevLogIndex: 3, prevLogTerm: 2, term: 2 }) }),
    );
    expect(error).toMatchObject({ invariant: 'committed-entries-never-change' });
    expect(error?.message).toContain("the leader's term at committed index 3 is 2, ours is 1");
  });

  it('refuses a second leader in the term it follows one, naming both', () => {
    const node = committedFollower();
    const error = thrownBy(() =>
      node.step({
        type: 'message',
        message: append({ from: 3, prevLogIndex: 3, prevLogTerm: 1, commit: 3 }),
      }),
    );
    expect(error).toMatchObject({ invariant: 'election-safety' });
    expect(error?.message).toBe(
      'invariant violated: election-safety: node 3 sent leader messages in term 1, whose leader is node 2',
    );
  });

  it('campaigns on timeout-now from its own leader only', () => {
    const node = committedFollower();
    const timeoutNow = (from: number): Message => ({ type: 'timeout-now', from, to: 1, term: 1 });
    node.step({ type: 'message', message: timeoutNow(3) });
    expect(node.role()).toBe('follower');
    node.step({ type: 'message', message: timeoutNow(2) });
    expect(node.role()).toBe('candidate');
    expect(node.term()).toBe(2);
  });

  it("rejects a gap with a hint at its last entry of at most the leader's previous term", () => {
    // init: entries 1..3 of term 1 committed, then 4..5 of term 2 from the leader of term 2.
    const node = committedFollower();
    node.step({
      type: 'message',
      message: append({
        term: 2,
        prevLogIndex: 3,
        prevLogTerm: 1,
        entries: [entry(4, 2), entry(5, 2)],
        commit: 3,
      }),
    });
    // act: the leader of term 3 probes at index 7 with term 1 (it holds 1..3 of term 1, then term 3).
    const out = node.step({
      type: 'message',
      message: append({ term: 3, prevLogIndex: 7, prevLogTerm: 1, commit: 3 }),
    });
    // check: rejected; the hint skips our entries of term 2 (newer than 1) down to index 3.
    expect(responses(out)).toMatchObject([{ success: false, index: 7, hintIndex: 3, hintTerm: 1 }]);
  });
});

describe('a follower with a snapshot', () => {
  const membership = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };
  /** Follower 1: a snapshot at 5 (term 1), then entries 6..8 of term 3; committed through `commit`. */
  function snapshotFollower(commit: number): RaftNode {
    const log = new MemoryLog();
    log.write({
      hardState: { term: 3, vote: null, commit },
      snapshot: { metadata: { index: 5, term: 1, membership }, data: new Uint8Array(1) },
      compact: { index: 5, term: 1 },
      entries: [entry(6, 3), entry(7, 3), entry(8, 3)],
    });
    return new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, checkQuorum: false }, log);
  }

  it('a rejection hint walks down to the snapshot index when every entry after it is newer', () => {
    const node = snapshotFollower(5);
    const out = node.step({
      type: 'message',
      message: append({ term: 4, prevLogIndex: 8, prevLogTerm: 2, commit: 5 }),
    });
    expect(responses(out)).toMatchObject([{ success: false, index: 8, hintIndex: 5, hintTerm: 1 }]);
    // Even for a term below the snapshot's (only a broken leader sends one), the hint stops
    // at the snapshot: nothing below it is known.
    const low = node.step({
      type: 'message',
      message: append({ term: 4, prevLogIndex: 8, prevLogTerm: 0, commit: 5 }),
    });
    expect(responses(low)).toMatchObject([{ success: false, index: 8, hintIndex: 5, hintTerm: 1 }]);
  });

  it('checks a stale append against the snapshot point too (it is committed), not below it', () => {
    const error = thrownBy(() =>
      snapshotFollower(6).step({
        type: 'message',
        message: append({ term: 3, prevLogIndex: 5, prevLogTerm: 2, commit: 6 }),
      }),
    );
    expect(error).toMatchObject({ invariant: 'committed-entries-never-change' });
    expect(error?.message).toContain('committed index 5 differs');
    // Below the snapshot nothing is left to compare: answered with success at the commit.
    const out = snapshotFollower(6).step({
      type: 'message',
      message: append({ term: 3, prevLogIndex: 4, prevLogTerm: 2, commit: 6 }),
    });
    expect(responses(out)).toMatchObject([{ success: true, index: 6 }]);
  });
});

describe('what a follower writes', () => {
  it('only the entries it lacks: an append that repeats entries it holds rewrites none of them', () => {
    const log = new MemoryLog();
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, checkQuorum: false }, log);
    node.step({ type: 'message', message: append({ entries: [entry(1, 1), entry(2, 1), entry(3, 1)] }) });
    const writes: LogWrite[] = [];
    const write = log.write.bind(log);
    log.write = (w: LogWrite) => {
      writes.push(w);
      write(w);
    };
    node.step({
      type: 'message',
      message: append({
        prevLogIndex: 1,
        prevLogTerm: 1,
        entries: [entry(2, 1), entry(3, 1), entry(4, 1), entry(5, 1)],
      }),
    });
    expect(writes).toStrictEqual([{ entries: [entry(4, 1), entry(5, 1)] }]);
  });
});

describe('forwarded reads', () => {
  it("a leader that steps down answers a follower's waiting read with a refusal, not a local failure", () => {
    // init: node 1 leads {1,2,3} in term 1 with an entry of its term committed (a lone campaign
    // won with node 2's vote; node 2 acknowledged the empty entry).
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, checkQuorum: false });
    node.step({ type: 'campaign' });
    node.step({
      type: 'message',
      message: { type: 'request-vote-response', from: 2, to: 1, term: 1, preVote: false, granted: true },
    });
    node.step({ type: 'message', message: appendResponse({ index: node.lastIndex() }) });
    // node 2 forwards a read; it waits for a heartbeat round.
    node.step({ type: 'message', message: { type: 'read-index', from: 2, to: 1, term: 1, id: 'f1' } });
    // act: a leader of term 2 appears.
    const out = node.step({
      type: 'message',
      message: append({ from: 3, term: 2, prevLogIndex: 0, prevLogTerm: 0 }),
    });
    // check: node 2 is told no; nothing fails locally.
    expect(out.filter((a) => a.type === 'read-failed')).toEqual([]);
    expect(
      out.flatMap((a) => (a.type === 'send' && a.message.type === 'read-index-response' ? [a.message] : [])),
    ).toMatchObject([{ to: 2, id: 'f1', ok: false }]);
  });

  it('a follower whose forwarded read is refused reports it failed with NOT_LEADER; an unknown answer is ignored', () => {
    const node = committedFollower();
    node.step({ type: 'read', id: 'r1' });
    const refused = node.step({
      type: 'message',
      message: { type: 'read-index-response', from: 2, to: 1, term: 1, id: 'r1', index: 0, ok: false },
    });
    expect(refused).toMatchObject([
      { type: 'read-failed', id: 'r1', error: { code: 'NOT_LEADER', leader: 2 } },
    ]);
    expect(
      node.step({
        type: 'message',
        message: { type: 'read-index-response', from: 2, to: 1, term: 1, id: 'r1', index: 3, ok: true },
      }),
    ).toEqual([]);
  });

  it('a forwarded read outlives its leader winning a newer term: still answered, not failed', () => {
    const node = committedFollower();
    node.step({ type: 'read', id: 'r1' });
    // The same leader, re-elected in term 2, heartbeats.
    const beat = node.step({
      type: 'message',
      message: { type: 'heartbeat', from: 2, to: 1, term: 2, commit: 3, context: 0 },
    });
    expect(beat.filter((a) => a.type === 'read-failed')).toEqual([]);
    const answered = node.step({
      type: 'message',
      message: { type: 'read-index-response', from: 2, to: 1, term: 2, id: 'r1', index: 3, ok: true },
    });
    expect(answered).toEqual([{ type: 'read-ready', id: 'r1', index: 3 }]);
  });

  it('a forwarded read fails, named, when the follower hears of another leader', () => {
    const node = committedFollower();
    node.step({ type: 'read', id: 'r1' });
    const out = node.step({
      type: 'message',
      message: { type: 'heartbeat', from: 3, to: 1, term: 2, commit: 3, context: 0 },
    });
    expect(out.filter((a) => a.type === 'read-failed')).toMatchObject([
      {
        id: 'r1',
        error: { code: 'LEADERSHIP_LOST', message: 'the leader changed before answering the read' },
      },
    ]);
  });

  it('a follower that knows no leader refuses a read', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] });
    expect(thrownBy(() => node.step({ type: 'read', id: 'r' }))).toMatchObject({
      code: 'NOT_LEADER',
      leader: null,
    });
  });
});
