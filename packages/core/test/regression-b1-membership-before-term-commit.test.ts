/**
 * Regression B1 (issue 11, safety, default configuration): a membership change before an
 * entry of the leader's term is committed (Ongaro's 2015 single-server bug). A new leader
 * whose log had no uncommitted tail skipped the empty entry on election and took "no tail"
 * for "committed in this term", so it changed the membership at once. But the uncommitted
 * configuration that matters sits in *other* servers' logs: here C0+{5} on nodes 1 and 5.
 * Node 2's C0-{4} and node 1's C0+{5} then each have a majority ({2,3} and {1,4,5}) that the
 * other cannot see, and the two sides commit different entries at the same indexes.
 *
 * The contract (DESIGN.md): on election a leader appends an empty entry in every term except
 * term 1, and changes no membership until an entry of its own term is committed; term 1 is
 * the one exemption (no earlier term exists anywhere).
 */
import { describe, expect, it } from 'vitest';
import { MembershipChangePendingError } from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';
import { stateMachineSafety } from './helpers/invariants.js';
import { committedEntriesAgree, cutBoth, leadAndCommit, thrownBy } from './helpers/regression.js';

/** Deliver queued messages one at a time until `done` holds (bounded). */
function deliverUntil(c: TestCluster, done: () => boolean): void {
  for (let i = 0; i < 1000 && !done() && c.queue.length > 0; i++) c.deliverAt(0);
}

describe('B1: no membership change before an entry of the leader term is committed', () => {
  it('§4.1 State Machine Safety: C0+{5} on two servers and C0-{4} never commit different entries at one index', () => {
    // Default configuration: pre-vote and check-quorum on, electionTick 10.
    const c = new TestCluster([1, 2, 3, 4]);
    c.addNode(5); // not a member yet: it learns its membership from the log

    // init 1: node 1 wins term 1 with the votes of {1,2,3,4}. Its first appends (which would
    // tell 2, 3, 4 that 1 leads) are lost, and 1 is cut off from 2, 3 and 4 from now on.
    c.step(1, { type: 'campaign' });
    deliverUntil(c, () => c.node(1).isLeader());
    expect(c.node(1).term()).toBe(1);
    c.queue = [];
    for (const id of [2, 3, 4]) cutBoth(c, 1, id);

    // init 2: leader 1 (term 1: the exemption) adds node 5. The entry C0+{5} at index 1 reaches
    // node 5 only; {1,5} is no majority of {1..5}, so it stays uncommitted. Nodes 1 and 5 now
    // use C0+{5} = {1,2,3,4,5}.
    c.step(1, { type: 'change-membership', changes: [{ type: 'add-voter', id: 5 }] });
    c.tick(1); // a heartbeat round: 5 answers, the leader probes it and sends index 1
    c.deliverAll();
    expect(c.logs.get(5)!.lastIndex()).toBe(1);
    expect(c.node(1).commitIndex()).toBe(0);
    expect(c.node(5).membership().voters).toEqual([1, 2, 3, 4, 5]);

    // init 3: node 2 (its timer fired) wins term 2 with {2,3,4}, a majority of C0; nodes 1
    // and 5 are cut off from it. Node 2's log is empty, so it has no uncommitted tail. It
    // exchanges one round of appends with 3 and 4 (a correct leader's empty entry of term 2
    // commits in this round).
    cutBoth(c, 5, 2);
    cutBoth(c, 5, 3);
    cutBoth(c, 5, 4);
    c.step(2, { type: 'campaign' });
    c.deliverAll();
    expect(c.node(2).isLeader()).toBe(true);
    expect(c.node(2).term()).toBe(2);

    // act 1: node 2 removes node 4 (the bug allows this at once; a correct core allows it now
    // that its term-2 entry is committed). Node 4 is cut off before the entry reaches it.
    // C0-{4} = {1,2,3}: {2,3} is a majority, so the removal and then x=1 commit.
    cutBoth(c, 2, 4);
    cutBoth(c, 3, 4);
    c.step(2, { type: 'change-membership', changes: [{ type: 'remove', id: 4 }] });
    c.deliverAll();
    c.step(2, { type: 'propose', command: bytes('x=1') });
    c.deliverAll();
    expect(c.commands(2)).toEqual(['x=1']);

    // act 2: the partition becomes {1,4,5} | {2,3}, and time passes on both sides (every node
    // ticks, every message that can cross is delivered). With the bug node 4 still has an
    // empty log, so it votes for node 1 (or 5), which wins with {1,4,5}, a majority of
    // C0+{5}, and commits its own term's empty entry at index 2. (With a correct core node 4
    // holds node 2's term-2 entry, refuses 1 and 5, whose logs end in term 1, and that side
    // elects nobody.) Whoever leads on either side then commits one more command.
    c.partition([1, 4, 5], [2, 3]);
    const sideLeader = () => [1, 4, 5].map((id) => c.node(id)).find((n) => n.isLeader() && n.term() > 2);
    c.runUntil(() => sideLeader() !== undefined, 300);
    const other = sideLeader();
    if (other) {
      c.step(other.id, { type: 'propose', command: bytes('y=2') });
      c.runUntil(() => other.commitIndex() === other.lastIndex(), 50);
    }
    c.step(2, { type: 'propose', command: bytes('z=3') });
    c.runUntil(() => c.node(2).commitIndex() === c.node(2).lastIndex(), 50);

    // check: State Machine Safety, on applied commands and on committed entries. Observed with
    // the bug: node 1 wins term 3 and commits C0+{5} (term 1) at index 1, its empty entry at
    // 2 and y=2 at 3, where node 2 committed C0-{4}, x=1 and z=3: y=2 and z=3 are both
    // applied at index 3.
    expect(stateMachineSafety(c, new Map())).toBeNull();
    expect(committedEntriesAgree(c)).toBeNull();
  });

  it('§4.1: a term-1 leader appends no empty entry and may change the membership at once', () => {
    // init: a fresh cluster; node 1 wins term 1.
    const c = new TestCluster([1, 2, 3]);
    c.addNode(4);
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    expect(c.node(1).isLeader()).toBe(true);
    expect(c.node(1).term()).toBe(1);

    // check: no entry on election in term 1 (no earlier term exists anywhere) ...
    expect(c.node(1).lastIndex()).toBe(0);
    // ... and the membership changes at once: it is the entry at index 1.
    const actions = c.step(1, { type: 'change-membership', changes: [{ type: 'add-voter', id: 4 }] });
    expect(actions).toContainEqual(
      expect.objectContaining({ type: 'accepted', kind: 'membership', firstIndex: 1, lastIndex: 1 }),
    );
  });

  describe('a leader of a later term with a clean log (everything it has is committed)', () => {
    /**
     * init: node 1 leads term 1 and commits `a` on all three nodes; then it hands leadership
     * to node 2 (the transfer needs no timer). Node 2 wins term 2 with node 3's vote; none of
     * its appends is delivered yet. Node 2's log is [a] and its commit index is 1: no tail.
     */
    function newLeaderOfTerm2() {
      const c = new TestCluster([1, 2, 3]);
      c.addNode(4);
      leadAndCommit(c);
      expect([1, 2, 3].map((id) => c.node(id).commitIndex())).toEqual([1, 1, 1]);
      c.step(1, { type: 'transfer-leadership', to: 2 });
      deliverUntil(c, () => c.node(2).isLeader());
      expect(c.node(2).term()).toBe(2);
      // Hold back node 2's appends: nothing of term 2 is replicated yet.
      const held = c.queue.filter((m) => m.from === 2);
      c.queue = c.queue.filter((m) => m.from !== 2);
      return { c, held };
    }

    it('appends an empty entry of its term on election, even with no uncommitted tail', () => {
      const { c } = newLeaderOfTerm2();
      // check: index 2 is an empty entry of term 2 (it commits earlier terms' entries and
      // tells the leader when its own term has a committed entry).
      const log = c.logs.get(2)!;
      expect(log.lastIndex(), 'last index of the new leader of term 2, whose log was [a]').toBe(2);
      expect(log.entries(2, 3)[0]).toMatchObject({ index: 2, term: 2, type: 'empty' });
    });

    it('refuses a membership change (MEMBERSHIP_CHANGE_PENDING) until an entry of its term is committed', () => {
      const { c, held } = newLeaderOfTerm2();
      // act: a change right after the election, before anything of term 2 is committed.
      const refused = thrownBy(() =>
        c.step(2, { type: 'change-membership', changes: [{ type: 'add-voter', id: 4 }] }),
      );
      // check: refused with the typed error, and nothing was appended.
      expect(refused, 'the change must be refused before an entry of term 2 commits').toBeInstanceOf(
        MembershipChangePendingError,
      );
      expect(refused?.code).toBe('MEMBERSHIP_CHANGE_PENDING');
      expect(
        c.logs
          .get(2)!
          .entries(1, c.logs.get(2)!.lastIndex() + 1)
          .some((e) => e.type === 'membership'),
      ).toBe(false);

      // act: node 2's appends arrive; the term-2 entry commits.
      c.queue.push(...held);
      c.deliverAll();
      expect(c.node(2).commitIndex()).toBe(c.node(2).lastIndex());
      // check: now the change goes through.
      expect(() =>
        c.step(2, { type: 'change-membership', changes: [{ type: 'add-voter', id: 4 }] }),
      ).not.toThrow();
    });
  });
});
