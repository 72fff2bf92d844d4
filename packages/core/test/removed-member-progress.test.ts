/**
 * How long a leader keeps tracking a member it removed (issue 20: the rule's bounds were never
 * asserted). It keeps sending until the removed member holds its removal and has had an
 * election timeout of heartbeats to learn it is committed (so it stops campaigning); one that
 * never answers is forgotten after four election timeouts. And the lease-read vote guard of a
 * restarted node ends with its first election timeout, even if it campaigned meanwhile.
 */
import { describe, expect, it } from 'vitest';
import { type Action, MemoryLog, RaftNode, TransferInProgressError } from '../src/index.js';
import { encodeMembership } from '../src/membership.js';
import { TestCluster } from './helpers/cluster.js';
import { appendEntries, voteRequest } from './helpers/messages.js';

const E = 10;

/** Node 1 leads {1,2,3} with an entry committed everywhere. */
function cluster(): TestCluster {
  const c = new TestCluster([1, 2, 3], { electionTick: E, preVote: false });
  c.step(1, { type: 'campaign' });
  c.deliverAll();
  c.propose('x');
  c.deliverAll();
  return c;
}

const tracked = (c: TestCluster, id: number) => c.node(1).status().progress?.[id] !== undefined;

/** Node 3 is cut off, then removed (nodes 1 and 2 commit the removal). */
function removeCutOff3(c: TestCluster): void {
  c.isolate(3);
  c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 3 }] });
  c.deliverAll();
}

/** Tick the leader (node 1) `n` times, delivering what it sends after each tick. */
function run(c: TestCluster, n: number): void {
  for (let i = 0; i < n; i++) {
    c.tick(1);
    c.deliverAll();
  }
}

/** Node 3 is tracked for exactly `ticks` more ticks of the leader, then forgotten. */
function expectForgottenAfter(c: TestCluster, ticks: number): void {
  run(c, ticks - 1);
  expect(tracked(c, 3)).toBe(true);
  c.tick(1);
  expect(tracked(c, 3)).toBe(false);
}

describe('a removed member, on the leader', () => {
  it('is tracked until it holds its removal and an election timeout passed, then forgotten', () => {
    // init: node 3 is removed and acknowledges the entry that removes it.
    const c = cluster();
    c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 3 }] });
    c.deliverAll();
    expect(c.node(1).membership().voters).toEqual([1, 2]);
    expect(c.node(1).status().progress?.[3]?.leaving).toBe(true);
    // act / check: E - 1 ticks keep it, the E-th forgets it.
    expectForgottenAfter(c, E);
    expect(tracked(c, 2)).toBe(true);
  });

  it('that never answers is forgotten after exactly four election timeouts', () => {
    // init: node 3 is cut off, then removed (nodes 1 and 2 commit the removal).
    const c = cluster();
    removeCutOff3(c);
    expect(c.node(1).membership().voters).toEqual([1, 2]);
    // act / check
    expectForgottenAfter(c, 4 * E);
  });
});

describe('a removed member whose removal waits to commit', () => {
  it('has its four election timeouts counted from the commit, not from the removal entry', () => {
    // init: nodes 2 and 3 are cut off; the leader appends the removal of 3, which cannot commit.
    const c = cluster();
    c.isolate(2);
    c.isolate(3);
    c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 3 }] });
    run(c, E - 2);
    expect([c.node(1).isLeader(), c.node(1).commitIndex() < c.node(1).status().lastIndex]).toEqual([
      true,
      true,
    ]);
    // act: node 2 comes back; the removal commits.
    c.heal();
    c.isolate(3);
    c.tick(1);
    c.deliverAll();
    expect(c.node(1).commitIndex()).toBe(c.node(1).status().lastIndex);
    // check: node 3 (silent) is tracked for four election timeouts from the next tick on.
    expectForgottenAfter(c, 4 * E);
  });
});

describe('a removed member while the membership changes again', () => {
  it('keeps counting its election timeouts: a later change does not restart them', () => {
    // init: node 3 is cut off and removed; 2E ticks pass.
    const c = cluster();
    removeCutOff3(c);
    run(c, 2 * E);
    // act: another change (a learner joins) commits.
    c.addNode(4);
    c.isolate(3);
    c.step(1, { type: 'change-membership', changes: [{ type: 'add-learner', id: 4 }] });
    c.deliverAll();
    expect(c.node(1).membership().learners).toEqual([4]);
    // check: node 3 is forgotten four election timeouts after its removal, as before.
    expectForgottenAfter(c, 2 * E);
  });
});

describe('a removed member that comes back', () => {
  it('asking for votes after the leader forgot it, it is tracked again and sent the log up to its removal', () => {
    // init: node 3 was cut off, removed, and forgotten after four election timeouts.
    const c = cluster();
    removeCutOff3(c);
    run(c, 4 * E);
    expect(tracked(c, 3)).toBe(false);
    // act: node 3 comes back and asks the leader for its vote in a later term.
    const out = c.step(1, {
      type: 'message',
      message: voteRequest({ from: 3, term: 5, lastLogIndex: 1, lastLogTerm: 1 }),
    });
    // check: refused, tracked as leaving again, and sent an append (its removal is in the log).
    const sent = out.flatMap((a) => (a.type === 'send' ? [a.message] : []));
    expect(sent.filter((m) => m.to === 3).map((m) => m.type)).toEqual([
      'request-vote-response',
      'append-entries',
    ]);
    // A probe from the leader's end, as for any new follower.
    const last = c.node(1).status().lastIndex;
    expect(sent.find((m) => m.type === 'append-entries')).toMatchObject({ prevLogIndex: last, entries: [] });
    expect(c.node(1).status().progress?.[3]?.leaving).toBe(true);
    expect(c.node(1).isLeader()).toBe(true);
    // Once it holds its removal and an election timeout passed, the leader forgets it again.
    c.heal();
    let ticks = 0;
    while (c.logs.get(3)!.lastIndex() < last && ticks < E) {
      c.tick(1);
      c.deliverAll();
      ticks++;
    }
    expect([c.logs.get(3)!.lastIndex(), tracked(c, 3)]).toEqual([last, true]);
    run(c, E + 1);
    expect(tracked(c, 3)).toBe(false);
  });
});

describe('the vote guard of a restarted node (lease reads)', () => {
  it('ends after its first election timeout: a candidate it became meanwhile votes for a better candidate', () => {
    // init: node 1 restarts in term 3 with lease reads on.
    const log = new MemoryLog();
    log.write({ hardState: { term: 3, vote: null, commit: 0 } });
    const node = new RaftNode(
      { id: 1, voters: [1, 2, 3], electionTick: E, checkQuorum: true, leaseRead: true, preVote: false },
      log,
    );
    // act: it ticks until its own timeout makes it a candidate (its election clock restarts).
    for (let i = 0; i < 3 * E && node.role() !== 'candidate'; i++) node.step({ type: 'tick' });
    expect(node.role()).toBe('candidate');
    const out = node.step({
      type: 'message',
      message: voteRequest({ term: 9, lastLogIndex: 50, lastLogTerm: 8 }),
    });
    // check: granted. (Were the guard kept past its first timeout, the fresh election clock
    // would put the node back "in a lease" it never had, and it would refuse.)
    const granted = (a: Action) =>
      a.type === 'send' && a.message.type === 'request-vote-response' && a.message.granted;
    expect(out.some(granted)).toBe(true);
  });

  it('ends at exactly one election timeout, also when the node campaigns on that very tick', () => {
    // init: seed 4 draws an election timeout of exactly E ticks (checked below).
    const log = new MemoryLog();
    log.write({ hardState: { term: 3, vote: null, commit: 0 } });
    const node = new RaftNode(
      {
        id: 1,
        voters: [1, 2, 3],
        electionTick: E,
        checkQuorum: true,
        leaseRead: true,
        preVote: false,
        seed: 4,
      },
      log,
    );
    for (let i = 0; i < E - 1; i++) node.step({ type: 'tick' });
    expect(node.role()).toBe('follower');
    node.step({ type: 'tick' });
    expect([node.role(), node.term()]).toEqual(['candidate', 4]);
    // check: the guard ended with that tick, so a better candidate gets the vote at once.
    const out = node.step({
      type: 'message',
      message: voteRequest({ term: 9, lastLogIndex: 50, lastLogTerm: 8 }),
    });
    expect(
      out.some((a) => a.type === 'send' && a.message.type === 'request-vote-response' && a.message.granted),
    ).toBe(true);
  });
});

describe('membership entries replaced or re-added', () => {
  it('a follower whose uncommitted membership entry is overwritten goes back to the membership before it', () => {
    // init: follower 1 holds, from leader 2 of term 1, a command at 1 and at 2 (its last entry)
    // a membership adding node 4, uncommitted.
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, checkQuorum: false });
    const four = { voters: [1, 2, 3, 4], learners: [], outgoingVoters: [] };
    node.step({
      type: 'message',
      message: appendEntries({
        entries: [
          { index: 1, term: 1, type: 'command', data: new Uint8Array([1]) },
          { index: 2, term: 1, type: 'membership', data: encodeMembership(four) },
        ],
        commit: 1,
      }),
    });
    expect(node.membership().voters).toEqual([1, 2, 3, 4]);
    // act: leader 3 of term 2 overwrites index 2 with a command.
    node.step({
      type: 'message',
      message: appendEntries({
        from: 3,
        term: 2,
        prevLogIndex: 1,
        prevLogTerm: 1,
        entries: [{ index: 2, term: 2, type: 'command', data: new Uint8Array([2]) }],
        commit: 1,
      }),
    });
    // check: the membership in force is the one before the overwritten entry (§4.1).
    expect(node.membership().voters).toEqual([1, 2, 3]);
  });

  it('a removed member added back before it was forgotten is a member again, not leaving', () => {
    // init: node 3 removed (and still tracked as leaving).
    const c = cluster();
    removeCutOff3(c);
    expect(c.node(1).status().progress?.[3]?.leaving).toBe(true);
    // act: added back.
    c.step(1, { type: 'change-membership', changes: [{ type: 'add-voter', id: 3 }] });
    c.deliverAll();
    // check: not leaving, and still tracked long after four election timeouts.
    expect(c.node(1).status().progress?.[3]?.leaving).toBe(false);
    run(c, 5 * E);
    expect(tracked(c, 3)).toBe(true);
  });
});

describe('membership changes on the leader', () => {
  it('a user change is announced with accepted; the automatic leave of a joint membership is not', () => {
    // init / act: two changes that move a voter: node 3 becomes a learner, through a joint membership.
    const c = cluster();
    const out = c.step(1, {
      type: 'change-membership',
      changes: [
        { type: 'remove', id: 3 },
        { type: 'add-learner', id: 3 },
      ],
    });
    expect(out.filter((a) => a.type === 'accepted')).toMatchObject([{ kind: 'membership' }]);
    expect(c.node(1).membership().outgoingVoters).toEqual([1, 2, 3]);
    // The joint entry commits; the leader appends the leave entry by itself, unannounced.
    c.deliverAll();
    expect(c.node(1).membership()).toMatchObject({ voters: [1, 2], learners: [3], outgoingVoters: [] });
    expect(c.actionsOf(1, 'accepted').filter((a) => a.kind === 'membership')).toHaveLength(1);
  });

  it('refuses a change that is not a list, or during a transfer; a transfer to a non-voter names it', () => {
    const c = cluster();
    expect(() => c.step(1, { type: 'change-membership', changes: 'x' as never })).toThrow(
      'change-membership needs a `changes` array',
    );
    c.step(1, { type: 'transfer-leadership', to: 3 });
    c.queue = [];
    expect(() => c.step(1, { type: 'change-membership', changes: [{ type: 'add-learner', id: 4 }] })).toThrow(
      TransferInProgressError,
    );
    expect(() => c.step(1, { type: 'transfer-leadership', to: 9 })).toThrow('node 9 is not a voter');
  });

  it('a leader that removed itself hands over to the first of the most up-to-date voters', () => {
    // init: five voters; node 2 lags behind (cut off while `y` commits).
    const c = new TestCluster([1, 2, 3, 4, 5], { electionTick: E, preVote: false });
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    c.isolate(2);
    c.propose('y');
    c.deliverAll();
    // act: node 1 removes itself; 3, 4 and 5 commit the removal.
    c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 1 }] });
    c.deliverAll();
    // check: the hand-over goes to node 3 (2 lags; 3, 4 and 5 are equal, 3 comes first).
    expect(
      c
        .sentBy(1)
        .filter((m) => m.type === 'timeout-now')
        .map((m) => m.to),
    ).toEqual([3]);
  });

  it('hands over also when its removal is the first entry of a new group (the voters match at 1)', () => {
    // init: a fresh group in term 1 (no entry of its own); node 1 removes itself at once.
    const c = new TestCluster([1, 2, 3], { electionTick: E, preVote: false });
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    c.step(1, { type: 'change-membership', changes: [{ type: 'remove', id: 1 }] });
    c.deliverAll();
    // check: the removal is entry 1, and node 1 asked node 2 to campaign.
    expect(c.logs.get(2)!.lastIndex()).toBeGreaterThanOrEqual(1);
    expect(
      c
        .sentBy(1)
        .filter((m) => m.type === 'timeout-now')
        .map((m) => m.to),
    ).toEqual([2]);
  });
});

describe('a node removed already', () => {
  it('stays removed when a later membership that also leaves it out is applied', () => {
    // init: follower 3 gets, from leader 1, its removal at 1 and another change at 2, both committed.
    const m = (voters: number[], learners: number[] = []) => ({ voters, learners, outgoingVoters: [] });
    const node = new RaftNode({ id: 3, voters: [1, 2, 3], preVote: false, checkQuorum: false });
    const out = node.step({
      type: 'message',
      message: appendEntries({
        from: 1,
        to: 3,
        entries: [
          { index: 1, term: 1, type: 'membership', data: encodeMembership(m([1, 2])) },
          { index: 2, term: 1, type: 'membership', data: encodeMembership(m([1, 2], [4])) },
        ],
        commit: 2,
      }),
    });
    // check: reported removed once, and still removed after the second entry.
    expect(out.filter((a) => a.type === 'removed')).toEqual([{ type: 'removed', index: 1, term: 1 }]);
    expect(node.status().removed).toBe(true);
  });
});
