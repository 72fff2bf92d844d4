/**
 * Regression (issue 11, unsafe by silence): a state the protocol calls impossible was
 * skipped with a `return` (or answered as if nothing were wrong). DESIGN.md: it raises a
 * fatal `InvariantError` naming the invariant. Two such states, each from a message a real
 * node never sends (a broken peer or a broken log is the only way to get one):
 * - a conflict at or below the commit index (Leader Completeness says every later leader
 *   holds every committed entry);
 * - two leaders in one term (Election Safety).
 *
 * The error is checked by `name === 'InvariantError'` and `code === 'INVARIANT'` rather
 * than by class, so the test compiles before the class exists.
 */
import { describe, expect, it } from 'vitest';
import { type Entry, MemoryLog, type Message, RaftNode } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';
import { leadAndCommit, thrownBy } from './helpers/regression.js';

function expectInvariantError(fn: () => unknown, what: string): void {
  const err = thrownBy(fn);
  expect(err, `${what}: step must raise InvariantError, it returned`).toBeDefined();
  expect({ name: err?.name, code: err?.code }).toEqual({ name: 'InvariantError', code: 'INVARIANT' });
  expect(err?.message ?? '').not.toBe('');
}

describe('InvariantError: a conflict at or below the commit index', () => {
  /**
   * init: follower node 2 of {1,2,3} holds [a, b] of term 1 and knows both are committed
   * (leader 1 told it commit 2).
   */
  function committedFollower() {
    const log = new MemoryLog();
    const node = new RaftNode({ id: 2, voters: [1, 2, 3] }, log);
    const e = (index: number, text: string): Entry => ({
      index,
      term: 1,
      type: 'command',
      data: bytes(text),
    });
    node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 1,
        to: 2,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [e(1, 'a'), e(2, 'b')],
        commit: 2,
      },
    });
    expect(node.commitIndex()).toBe(2);
    return { node, log };
  }

  it('an append whose entry contradicts a committed entry (index 2: term 2 where term 1 is committed)', () => {
    const { node, log } = committedFollower();
    // act: "leader 3 of term 2" sends entry 2 of term 2 after (1, 1). Observed with the bug:
    // answered as a stale duplicate (success, index 2), nothing raised.
    const message: Message = {
      type: 'append-entries',
      from: 3,
      to: 2,
      term: 2,
      prevLogIndex: 1,
      prevLogTerm: 1,
      entries: [{ index: 2, term: 2, type: 'command', data: bytes('c') }],
      commit: 2,
    };
    expectInvariantError(
      () => node.step({ type: 'message', message }),
      'entry 2 of term 2 against committed entry 2 of term 1',
    );
    // The committed entry is untouched.
    expect(log.entries(2, 3)[0]).toMatchObject({ index: 2, term: 1 });
  });

  it('an append whose previous entry contradicts the committed entry at the commit index', () => {
    const { node, log } = committedFollower();
    // act: "leader 3 of term 2" claims index 2 has term 2. Observed with the bug: rejected
    // with a back-off hint, as for an ordinary gap, nothing raised.
    const message: Message = {
      type: 'append-entries',
      from: 3,
      to: 2,
      term: 2,
      prevLogIndex: 2,
      prevLogTerm: 2,
      entries: [],
      commit: 2,
    };
    expectInvariantError(
      () => node.step({ type: 'message', message }),
      'prevLogTerm 2 at committed index 2 of term 1',
    );
    expect(log.entries(2, 3)[0]).toMatchObject({ index: 2, term: 1 });
  });
});

describe('InvariantError: two leaders in one term', () => {
  /** init: {1,2,3}; node 1 leads term 1 and `a` is committed on all. */
  function settled() {
    const c = new TestCluster([1, 2, 3]);
    leadAndCommit(c, { heartbeat: false });
    expect(c.node(1).isLeader()).toBe(true);
    expect(c.node(1).term()).toBe(1);
    return c;
  }

  const fromAnotherLeader: [string, Message][] = [
    [
      'an append-entries',
      {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 1,
        prevLogIndex: 1,
        prevLogTerm: 1,
        entries: [],
        commit: 1,
      },
    ],
    ['a heartbeat', { type: 'heartbeat', from: 2, to: 1, term: 1, commit: 1, context: 0 }],
  ];

  it.each(fromAnotherLeader)('the leader of term 1 receives %s of term 1 from node 2', (_, message) => {
    const c = settled();
    // act + check: observed with the bug: ignored in silence (acceptLeader returned false).
    expectInvariantError(() => c.step(1, { type: 'message', message }), 'leader 1 and leader 2 in term 1');
  });

  it('a follower of leader 1 in term 1 receives an append of term 1 from node 3', () => {
    const c = settled();
    expect(c.node(2).leader()).toBe(1);
    const message: Message = {
      type: 'append-entries',
      from: 3,
      to: 2,
      term: 1,
      prevLogIndex: 1,
      prevLogTerm: 1,
      entries: [],
      commit: 1,
    };
    // act + check: observed with the bug: node 2 silently switched to following node 3.
    expectInvariantError(() => c.step(2, { type: 'message', message }), 'leader 1 and leader 3 in term 1');
  });
});
