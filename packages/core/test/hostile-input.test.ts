/**
 * Input from the network is hostile until validated (issues 11 and 12): a malformed or
 * out-of-range message is dropped and counted before it changes anything; a peer cannot
 * push the term to where it overflows, make a follower campaign, or fill its memory with a
 * snapshot; a step that fails is all-or-nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  InvariantError,
  MAX_TERM,
  MemoryLog,
  type Message,
  NotLeaderError,
  RaftNode,
  TermExhaustedError,
} from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';

function follower(options: Partial<ConstructorParameters<typeof RaftNode>[0]> = {}) {
  const log = new MemoryLog();
  const node = new RaftNode({ id: 1, voters: [1, 2, 3], ...options }, log);
  return { node, log };
}

const heartbeat = (term: number, from = 2): Message => ({
  type: 'heartbeat',
  from,
  to: 1,
  term,
  commit: 0,
  context: 0,
});

describe('hostile messages', () => {
  it('a term above MAX_TERM is malformed: dropped and counted, the term is unchanged', () => {
    const { node, log } = follower();
    expect(node.step({ type: 'message', message: heartbeat(MAX_TERM + 1) })).toEqual([]);
    expect(node.term()).toBe(0);
    expect(log.hardState().term).toBe(0);
    expect(node.status().malformedMessages).toBe(1);
  });

  it('a node pushed to MAX_TERM follows its leader but cannot campaign (TermExhaustedError), and nothing overflows', () => {
    const { node } = follower({ electionTick: 2 });
    node.step({ type: 'message', message: heartbeat(MAX_TERM) });
    expect(node.term()).toBe(MAX_TERM);
    expect(node.leader()).toBe(2);
    // Its election timer runs out: it does not campaign, and says why.
    for (let i = 0; i < 10; i++) {
      const actions = node.step({ type: 'tick' });
      expect(actions.filter((a) => a.type === 'send')).toEqual([]);
    }
    expect(node.term()).toBe(MAX_TERM);
    expect(node.status().termExhausted).toBe(true);
    expect(() => node.step({ type: 'campaign' })).toThrow(TermExhaustedError);
  });

  it('§3.10: timeout-now from a node that is not our leader is ignored', () => {
    const { node } = follower();
    node.step({ type: 'message', message: heartbeat(1, 2) });
    const actions = node.step({ type: 'message', message: { type: 'timeout-now', from: 3, to: 1, term: 1 } });
    expect(actions).toEqual([]);
    expect(node.role()).toBe('follower');
    expect(node.term()).toBe(1);
    // From the leader itself, it campaigns at once.
    const ok = node.step({ type: 'message', message: { type: 'timeout-now', from: 2, to: 1, term: 1 } });
    expect(node.role()).toBe('candidate');
    expect(ok.some((a) => a.type === 'send' && a.message.type === 'request-vote')).toBe(true);
  });

  it('a read id longer than the limit is malformed', () => {
    const c = new TestCluster([1, 2, 3], { electionTick: 5 });
    const leader = c.elect();
    const other = c.ids.find((id) => id !== leader.id)!;
    const before = leader.status().malformedMessages;
    const actions = c.step(leader.id, {
      type: 'message',
      message: {
        type: 'read-index',
        from: other,
        to: leader.id,
        term: leader.term(),
        id: 'x'.repeat(10_000),
      },
    });
    expect(actions).toEqual([]);
    expect(leader.status().malformedMessages).toBe(before + 1);
  });

  it('§4.2.3: vote requests from a node removed by a committed membership are refused without taking their term', () => {
    // init: 1 leads {1,2,3}, removes 3, and the removal commits
    const c = new TestCluster([1, 2, 3], { electionTick: 5, preVote: false, checkQuorum: false });
    const leader = c.elect();
    const removed = c.ids.find((id) => id !== leader.id)!;
    const stays = c.ids.find((id) => id !== leader.id && id !== removed)!;
    c.step(leader.id, { type: 'change-membership', changes: [{ type: 'remove', id: removed }] });
    c.deliverAll();
    expect(c.node(stays).membership().voters).not.toContain(removed);
    const term = c.node(stays).term();

    // act: the removed node asks for a vote in a much higher term
    const actions = c.step(stays, {
      type: 'message',
      message: {
        type: 'request-vote',
        from: removed,
        to: stays,
        term: term + 50,
        preVote: false,
        lastLogIndex: c.node(stays).lastIndex(),
        lastLogTerm: term,
        transfer: false,
      },
    });

    // check: refused in our own term (so it may learn that term), and no new term for us:
    // the cluster is not disrupted
    expect(actions).toEqual([
      {
        type: 'send',
        to: removed,
        message: {
          type: 'request-vote-response',
          from: stays,
          to: removed,
          term,
          preVote: false,
          granted: false,
        },
      },
    ]);
    expect(c.node(stays).term()).toBe(term);
    expect(c.node(stays).status().ignoredFromNonVoters).toBe(1);

    // But a request with a newer log than ours comes from a node added back by entries we
    // lack: our view is the stale one, so the usual rules apply (we take its term and vote).
    const newer = c.step(stays, {
      type: 'message',
      message: {
        type: 'request-vote',
        from: removed,
        to: stays,
        term: term + 50,
        preVote: false,
        lastLogIndex: c.node(stays).lastIndex() + 5,
        lastLogTerm: term + 49,
        transfer: false,
      },
    });
    expect(c.node(stays).term()).toBe(term + 50);
    expect(newer).toContainEqual(
      expect.objectContaining({ type: 'send', message: expect.objectContaining({ granted: true }) }),
    );
  });
});

describe('a node no membership ever listed', () => {
  it('§4.2.3: its vote requests are refused in our term, not taken (unless its log is newer than ours)', () => {
    const c = new TestCluster([1, 2, 3], { electionTick: 5, preVote: false, checkQuorum: false });
    const leader = c.elect();
    c.propose('x');
    c.deliverAll();
    const other = c.ids.find((id) => id !== leader.id)!;
    const node = c.node(other);
    const term = node.term();
    const request = (lastLogIndex: number, lastLogTerm: number): Message => ({
      type: 'request-vote',
      from: 9,
      to: other,
      term: term + 7,
      preVote: false,
      lastLogIndex,
      lastLogTerm,
      transfer: false,
    });
    const refused = c.step(other, { type: 'message', message: request(node.lastIndex(), term) });
    expect(refused).toContainEqual(
      expect.objectContaining({ message: expect.objectContaining({ granted: false, term }) }),
    );
    expect(node.term()).toBe(term);
    c.step(other, { type: 'message', message: request(node.lastIndex() + 3, term + 1) });
    expect(node.term()).toBe(term + 7);
  });
});

describe('snapshots from a peer are bounded', () => {
  const meta = { index: 10, term: 1, membership: { voters: [1, 2, 3], learners: [], outgoingVoters: [] } };
  const chunk = (offset: number, size: number, done: boolean, term = 1): Message => ({
    type: 'install-snapshot',
    from: 2,
    to: 1,
    term,
    metadata: meta,
    offset,
    data: new Uint8Array(size),
    done,
  });

  it('a snapshot larger than maxSnapshotBytes is refused and its chunks are dropped', () => {
    const { node } = follower({ maxSnapshotBytes: 100 });
    node.step({ type: 'message', message: chunk(0, 60, false) });
    const actions = node.step({ type: 'message', message: chunk(60, 60, false) });
    expect(actions).toContainEqual(
      expect.objectContaining({ type: 'send', message: expect.objectContaining({ reject: true }) }),
    );
    // The next chunk of it finds no install in progress: the follower asks for offset 0.
    const next = node.step({ type: 'message', message: chunk(60, 10, false) });
    expect(next).toContainEqual(
      expect.objectContaining({
        type: 'send',
        message: expect.objectContaining({ offset: 0, reject: false }),
      }),
    );
  });

  it('a partial snapshot is dropped after two election timeouts without a chunk', () => {
    const { node } = follower({ electionTick: 5 });
    node.step({ type: 'message', message: chunk(0, 50, false) });
    // A chunk resumes it while it is held...
    expect(node.step({ type: 'message', message: chunk(50, 10, false) })).toContainEqual(
      expect.objectContaining({ type: 'send', message: expect.objectContaining({ offset: 60 }) }),
    );
    // ...and after 10 silent ticks it is gone: the next chunk is answered with offset 0.
    for (let i = 0; i < 10; i++)
      node.step({ type: 'message', message: heartbeat(1) }) && node.step({ type: 'tick' });
    expect(node.step({ type: 'message', message: chunk(60, 10, false) })).toContainEqual(
      expect.objectContaining({ type: 'send', message: expect.objectContaining({ offset: 0 }) }),
    );
  });
});

describe('a step is all-or-nothing', () => {
  it('misuse throws before anything changes: status, log and later steps are as if it never happened', () => {
    const twin = () => follower();
    const a = twin();
    const b = twin();
    a.node.step({ type: 'message', message: heartbeat(3) });
    b.node.step({ type: 'message', message: heartbeat(3) });
    expect(() => a.node.step({ type: 'propose', command: bytes('x') })).toThrow(NotLeaderError);
    expect(a.node.status()).toEqual(b.node.status());
    expect(a.log.hardState()).toEqual(b.log.hardState());
    expect(a.node.step({ type: 'tick' })).toEqual(b.node.step({ type: 'tick' }));
  });

  it('a broken invariant is fatal: the step writes nothing, sends nothing, and every later step throws the same error', () => {
    // init: a follower of node 2 in term 1
    const { node, log } = follower();
    node.step({ type: 'message', message: heartbeat(1, 2) });
    const writes = log.hardState();

    // act: node 3 sends leader messages of the same term: two leaders in one term
    const rogue: Message = {
      type: 'append-entries',
      from: 3,
      to: 1,
      term: 1,
      prevLogIndex: 0,
      prevLogTerm: 0,
      entries: [],
      commit: 0,
    };
    let thrown: unknown;
    try {
      node.step({ type: 'message', message: rogue });
    } catch (err) {
      thrown = err;
    }

    // check
    expect(thrown).toBeInstanceOf(InvariantError);
    expect((thrown as InvariantError).invariant).toBe('election-safety');
    expect(log.hardState()).toEqual(writes);
    expect(() => node.step({ type: 'tick' })).toThrow(thrown as Error);
    // A restart from the log resumes from before the failed step.
    const restarted = new RaftNode({ id: 1, voters: [1, 2, 3] }, log);
    expect(restarted.term()).toBe(1);
  });
});
