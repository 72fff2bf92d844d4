/**
 * Quiescence (docs/decisions.md D29; CockroachDB's quiesced ranges): an idle group stops
 * ticking and heartbeating, any real event wakes it, and a quiesced follower campaigns only
 * when its driver says the leader's host is gone. One test per rule; the comment of each says
 * what it observed with the rule removed.
 */
import { describe, expect, it } from 'vitest';
import {
  type Action,
  type HeartbeatMessage,
  InvalidArgumentError,
  keepsQuiescence,
  type LeaderIdleView,
  leaderMayQuiesce,
  type Message,
  RaftNode,
} from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';

const E = 10;

/** A three-node cluster with quiescence after 3 idle ticks; node 1 leads with `x` committed everywhere. */
function idleCluster(extra: Record<string, unknown> = {}): TestCluster {
  const c = new TestCluster([1, 2, 3], { electionTick: E, quiesce: true, quiesceAfterTicks: 3, ...extra });
  c.step(1, { type: 'campaign' });
  c.deliverAll();
  expect(c.node(1).isLeader()).toBe(true);
  c.propose('x');
  c.deliverAll();
  return c;
}

/** Tick and deliver until every node of `c` is quiesced (bounded). */
function untilQuiesced(c: TestCluster, ids = [1, 2, 3]): void {
  const ok = c.runUntil(() => ids.every((id) => c.node(id).quiesced()), 50);
  expect(ok, 'the group quiesced').toBe(true);
}

const sends = (actions: Action[]): Message[] =>
  actions.flatMap((a) => (a.type === 'send' ? [a.message] : []));

describe('quiescence (D29)', () => {
  it('a leader whose group was idle for quiesceAfterTicks puts it to sleep, and then nobody sends anything', () => {
    // init: a committed entry everywhere.
    const c = idleCluster();
    // act: idle ticks.
    untilQuiesced(c);
    const sent = [1, 2, 3].map((id) => c.sentBy(id).length);
    c.tickAll(20 * E);
    c.deliverAll();
    // check: 200 election timeouts of silence; same leader, same term. (Without the leader's
    // rule the nodes never quiesce: the helper's bound fails.)
    expect([1, 2, 3].map((id) => c.sentBy(id).length)).toEqual(sent);
    expect(c.node(1).isLeader()).toBe(true);
    expect([1, 2, 3].map((id) => c.node(id).term())).toEqual([1, 1, 1]);
    expect(c.node(2).status().quiesced).toBe(true);
  });

  it('the quiescing heartbeat carries the commit index, and followers apply up to it before they sleep', () => {
    // init: a follower that has `x` but not its commit (the leader's commit went out in no message yet).
    const c = new TestCluster([1, 2, 3], { electionTick: E, quiesce: true, quiesceAfterTicks: 1 });
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    c.propose('x');
    c.deliverWhere((m) => m.type === 'append-entries' || m.type === 'append-entries-response');
    c.queue = [];
    expect(c.node(1).commitIndex()).toBe(1);
    // act: the leader quiesces on its next tick; only the quiescing heartbeats are delivered.
    c.tick(1);
    expect(c.queue.every((m) => m.type === 'heartbeat' && m.quiesce === true)).toBe(true);
    c.deliverAll();
    // check: followers committed and applied `x`, and sleep.
    expect(c.commands(2)).toEqual(['x']);
    expect(c.commands(3)).toEqual(['x']);
    expect(c.node(2).quiesced() && c.node(3).quiesced()).toBe(true);
  });

  it('a quiesced follower never campaigns on its own, even when the leader is gone', () => {
    // init: a quiesced group; the leader's node dies.
    const c = idleCluster();
    untilQuiesced(c);
    c.crash(1);
    // act: a long time passes.
    c.tickAll(20 * E);
    c.deliverAll();
    // check: nobody campaigned: the driver's host liveness is what decides that the leader is
    // gone. (With followers that ignore the quiescing heartbeat, node 2 or 3 campaigns within
    // 2 election timeouts: the terms move.)
    expect([2, 3].map((id) => c.node(id).term())).toEqual([1, 1]);
    expect([2, 3].map((id) => c.node(id).leader())).toEqual([1, 1]);
  });

  it('wake with leaderUnreachable makes a quiesced follower forget its leader and campaign within one election timeout', () => {
    // init: a quiesced group whose leader died.
    const c = idleCluster();
    untilQuiesced(c);
    c.crash(1);
    // act: both drivers learn that the leader's host is gone.
    c.step(2, { type: 'wake', leaderUnreachable: true });
    c.step(3, { type: 'wake', leaderUnreachable: true });
    expect(c.node(2).leader()).toBeNull();
    let ticks = 0;
    while (ticks < 3 * E && ![2, 3].some((id) => c.node(id).isLeader())) {
      c.tickAll();
      c.deliverAll();
      ticks++;
    }
    // check: a new leader in term 2, within one election timeout plus the election.
    const leader = [2, 3].find((id) => c.node(id).isLeader());
    expect(leader).toBeDefined();
    expect(ticks).toBeLessThanOrEqual(E + 2);
    expect(c.node(leader!).term()).toBe(2);
  });

  it('a follower without the quiesce option answers a quiescing heartbeat and keeps its election timer', () => {
    // init: follower 2 of leader 1 in term 1, quiescence off (the default).
    const node = new RaftNode({ id: 2, voters: [1, 2, 3], electionTick: E });
    const hb: HeartbeatMessage = {
      type: 'heartbeat',
      from: 1,
      to: 2,
      term: 1,
      commit: 0,
      context: 0,
      quiesce: true,
    };
    // act
    const out = sends(node.step({ type: 'message', message: hb }));
    // check: answered, not quiesced, and its timer still runs: it campaigns (pre-vote) in time.
    // (Without the check of its own option it sleeps and answers nothing: a driver that knows
    // nothing of quiescence would then never wake it when the leader dies.)
    expect(out.map((m) => m.type)).toEqual(['heartbeat-response']);
    expect(node.quiesced()).toBe(false);
    let campaigned = false;
    for (let i = 0; i < 2 * E && !campaigned; i++) {
      campaigned = sends(node.step({ type: 'tick' })).some((m) => m.type === 'request-vote');
    }
    expect(campaigned).toBe(true);
  });

  it('a proposal wakes the group: the leader replicates, followers wake on the append, and the group sleeps again', () => {
    // init: a quiesced group.
    const c = idleCluster();
    untilQuiesced(c);
    // act
    c.propose('y');
    expect(c.node(1).quiesced()).toBe(false);
    c.deliverAll();
    // check: committed and applied everywhere, followers awake; later asleep again.
    expect([1, 2, 3].map((id) => c.commands(id))).toEqual([
      ['x', 'y'],
      ['x', 'y'],
      ['x', 'y'],
    ]);
    expect(c.node(2).quiesced()).toBe(false);
    untilQuiesced(c);
  });

  it('idle traffic leaves a quiesced leader asleep; a vote request from a follower wakes it', () => {
    // init: a quiesced group.
    const c = idleCluster();
    untilQuiesced(c);
    // act 1: a late heartbeat answer and a duplicate append acknowledgement arrive.
    c.deliver({ type: 'heartbeat-response', from: 2, to: 1, term: 1, context: 0 });
    c.deliver({
      type: 'append-entries-response',
      from: 3,
      to: 1,
      term: 1,
      success: true,
      index: 1,
      hintIndex: 0,
      hintTerm: 0,
    });
    // check 1: still asleep. (Without the idle-traffic rule every answer wakes the leader.)
    expect(c.node(1).quiesced()).toBe(true);
    // act 2: a follower that lost the leader asks for a pre-vote.
    c.deliver({
      type: 'request-vote',
      from: 3,
      to: 1,
      term: 2,
      preVote: true,
      lastLogIndex: 1,
      lastLogTerm: 1,
      transfer: false,
    });
    // check 2: awake, and it heartbeats at its next tick.
    expect(c.node(1).quiesced()).toBe(false);
    const out = sends(c.step(1, { type: 'tick' }));
    expect(out.filter((m) => m.type === 'heartbeat').map((m) => m.to)).toEqual([2, 3]);
  });

  it('a malformed message does not wake a quiesced node', () => {
    // init: a quiesced group.
    const c = idleCluster();
    untilQuiesced(c);
    // act: a heartbeat with a negative commit (malformed) reaches follower 2.
    c.deliver({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: -1, context: 0 });
    // check: dropped, counted, still asleep.
    expect(c.node(2).status().malformedMessages).toBe(1);
    expect(c.node(2).quiesced()).toBe(true);
  });

  it('the leader stays awake while a follower lags, is silent, or a read waits', () => {
    // init: node 3 cut off, so it never acknowledges `y`.
    const lagging = idleCluster();
    lagging.isolate(3);
    lagging.propose('y');
    // act / check: 5 election timeouts of ticks: the leader keeps heartbeating.
    lagging.runUntil(() => lagging.node(1).quiesced(), 5 * E);
    expect(lagging.node(1).quiesced()).toBe(false);
    const beats = [];
    for (let i = 0; i < 3; i++)
      beats.push(sends(lagging.step(1, { type: 'tick' })).filter((m) => m.type === 'heartbeat').length);
    expect(beats).toEqual([2, 2, 2]);

    // init: node 3 crashed after it caught up (silent: no answers for an election timeout
    // before the group would have been idle long enough).
    const silent = idleCluster({ quiesceAfterTicks: 2 * E });
    silent.crash(3);
    silent.runUntil(() => silent.node(1).quiesced(), 5 * E);
    expect(silent.node(1).quiesced()).toBe(false);

    // init: a read on the leader whose heartbeat round never completes (both followers cut off).
    const reading = idleCluster();
    reading.isolate(1);
    reading.step(1, { type: 'read', id: 'r1' });
    for (let i = 0; i < E - 1; i++) {
      reading.tick(1);
      reading.deliverAll();
    }
    expect(reading.node(1).quiesced()).toBe(false);
  });

  it('the leader stays awake while a leadership transfer is in flight', () => {
    // init: an idle group; node 1 starts handing over to node 3, whose timeout-now is lost.
    const c = idleCluster();
    c.step(1, { type: 'transfer-leadership', to: 3 });
    // act: fewer ticks than an election timeout (the transfer would be abandoned then), with
    // every other message delivered.
    for (let i = 0; i < E - 2; i++) {
      c.queue = c.queue.filter((m) => m.type !== 'timeout-now');
      c.tick(1);
      c.deliverWhere((m) => m.type !== 'timeout-now');
    }
    // check: still awake and still transferring. (With the transfer left out of the idle view
    // it quiesced after quiesceAfterTicks = 3.)
    expect(c.node(1).quiesced()).toBe(false);
    expect(c.node(1).isLeader()).toBe(true);
  });

  it('a leader that quiesced gives up its lease: after waking, a read waits for a heartbeat round', () => {
    // init: lease reads on; the lease holds (a read is served in its own step).
    const c = idleCluster({ leaseRead: true, checkQuorum: true });
    c.tickAll();
    c.deliverAll();
    const before = c.step(1, { type: 'read', id: 'before' });
    expect(before.some((a) => a.type === 'read-ready')).toBe(true);
    untilQuiesced(c);
    // act: the sleeping leader's clock stood still; a read arrives.
    const after = c.step(1, { type: 'read', id: 'after' });
    // check: not served from the lease (a woken follower may already have voted elsewhere);
    // it waits for the round. (Without the forfeit, it is served at once: `read-ready` here.)
    expect(after.some((a) => a.type === 'read-ready')).toBe(false);
    expect(sends(after).filter((m) => m.type === 'heartbeat').length).toBe(2);
    c.deliverAll();
    expect(c.actionsOf(1, 'read-ready').map((a) => a.id)).toContain('after');
  });

  it('without the option nothing changes: an idle leader heartbeats every tick', () => {
    // init: the defaults.
    const c = new TestCluster([1, 2, 3], { electionTick: E });
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    c.propose('x');
    c.deliverAll();
    const sent = c.sentBy(1).length;
    // act
    for (let i = 0; i < 5 * E; i++) {
      c.tickAll();
      c.deliverAll();
    }
    // check
    expect(c.sentBy(1).length - sent).toBe(5 * E * 2);
    expect([1, 2, 3].some((id) => c.node(id).quiesced())).toBe(false);
  });

  it("wake without leaderUnreachable keeps a follower's leader; with it, a quiesced leader stays leader", () => {
    // init: a quiesced group.
    const c = idleCluster();
    untilQuiesced(c);
    // act: a plain wake of follower 2; an unreachable-leader wake of the leader itself.
    c.step(2, { type: 'wake' });
    c.step(1, { type: 'wake', leaderUnreachable: true });
    // check: both awake, nothing forgotten.
    expect(c.node(2).quiesced()).toBe(false);
    expect(c.node(2).leader()).toBe(1);
    expect(c.node(1).quiesced()).toBe(false);
    expect(c.node(1).isLeader()).toBe(true);
  });

  it('an awake follower keeps its leader on a wake, even one saying the leader is unreachable', () => {
    const c = idleCluster();
    c.step(2, { type: 'wake', leaderUnreachable: true });
    expect([c.node(2).leader(), c.node(2).quiesced()]).toEqual([1, false]);
  });

  it('answers from before the sleep do not count in the first check-quorum after it', () => {
    // init: a quiesced group; then both followers are cut off and the leader is woken. (It
    // needs 2E idle ticks to sleep again, so the check-quorum at E ticks comes first.)
    const c = idleCluster({ checkQuorum: true, quiesceAfterTicks: 2 * E });
    untilQuiesced(c);
    c.isolate(1);
    c.step(1, { type: 'wake' });
    // act: one election timeout of ticks.
    for (let i = 0; i < E; i++) c.tick(1);
    // check: nobody answered since the sleep, so the leader stepped down.
    expect(c.node(1).isLeader()).toBe(false);
  });

  it('wake is a no-op on an awake node, and a malformed wake is refused before anything changes', () => {
    const node = new RaftNode({ id: 2, voters: [1, 2, 3], quiesce: true });
    expect(node.step({ type: 'wake', leaderUnreachable: true })).toEqual([]);
    expect(node.step({ type: 'wake' })).toEqual([]);
    expect(() => node.step({ type: 'wake', leaderUnreachable: 1 as unknown as boolean })).toThrow(
      InvalidArgumentError,
    );
  });

  it('a fresh group with nothing in its log quiesces too (term 1 needs no entry of its own)', () => {
    // init: node 1 leads a new group in term 1; nothing was ever proposed.
    const c = new TestCluster([1, 2, 3], { electionTick: E, quiesce: true, quiesceAfterTicks: 3 });
    c.step(1, { type: 'campaign' });
    c.deliverAll();
    expect(c.node(1).lastIndex()).toBe(0);
    // act / check
    untilQuiesced(c);
  });

  it('a restarted node starts awake (quiescence is not stored)', () => {
    const c = idleCluster();
    untilQuiesced(c);
    c.crash(2);
    c.restart(2);
    expect(c.node(2).quiesced()).toBe(false);
  });

  it('leaderMayQuiesce: each condition alone keeps the leader awake', () => {
    const follower = {
      match: 5,
      state: 'replicate' as const,
      inflights: { count: 0 },
      silentTicks: 0,
      leaving: null,
    };
    const idle: LeaderIdleView = {
      commit: 5,
      lastIndex: 5,
      applied: 5,
      durableIndex: 5,
      membershipSettled: true,
      transferring: false,
      handingOver: false,
      pendingReads: 0,
      withheldMessages: 0,
      electionTick: E,
      followers: [follower],
    };
    expect(leaderMayQuiesce(idle)).toBe(true);
    const busy: Partial<LeaderIdleView>[] = [
      { commit: 4, applied: 4 }, // applied as far as committed, but not everything committed
      { applied: 4 },
      { durableIndex: 4 },
      { membershipSettled: false },
      { transferring: true },
      { handingOver: true },
      { pendingReads: 1 },
      { withheldMessages: 1 },
      { followers: [{ ...follower, match: 4 }] },
      { followers: [{ ...follower, state: 'probe' }] },
      { followers: [{ ...follower, inflights: { count: 1 } }] },
      { followers: [{ ...follower, silentTicks: E }] },
      { followers: [{ ...follower, leaving: { index: 5, ticks: 0 } }] },
    ];
    for (const change of busy)
      expect({ change, quiesce: leaderMayQuiesce({ ...idle, ...change }) }).toEqual({
        change,
        quiesce: false,
      });
  });

  it('a quiesced follower wakes on a new heartbeat of its leader and answers it', () => {
    const c = idleCluster();
    untilQuiesced(c);
    c.deliver({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 1, context: 7 });
    expect(c.node(2).quiesced()).toBe(false);
    expect(c.queue.some((m) => m.type === 'heartbeat-response' && m.context === 7)).toBe(true);
  });
});

describe('keepsQuiescence: which events leave a quiesced node asleep', () => {
  const follower = { id: 2, role: 'follower' as const, term: 3, leader: 1, isValid: () => true };
  const leader = { id: 1, role: 'leader' as const, term: 3, leader: 1, isValid: () => true };
  const msg = (m: Record<string, unknown>) =>
    ({ type: 'message', message: { from: 1, to: 2, term: 3, ...m } }) as never;

  it('time, durability reports, advance and local snapshots keep it asleep; anything a user asks wakes it', () => {
    for (const type of ['tick', 'persisted', 'advance', 'snapshot'])
      expect(keepsQuiescence({ type } as never, follower), type).toBe(true);
    for (const type of [
      'wake',
      'propose',
      'read',
      'campaign',
      'transfer-leadership',
      'change-membership',
      'restore-result',
    ]) {
      expect(keepsQuiescence({ type } as never, follower), type).toBe(false);
    }
    // An event type unknown at run time wakes it (the step then refuses the event).
    for (const type of ['nap', 'toString'])
      expect(keepsQuiescence({ type } as never, follower), type).toBe(false);
  });

  it("idle traffic is its leader's quiescing heartbeat (follower) and answers to it (leader), in the same term", () => {
    expect(keepsQuiescence(msg({ type: 'heartbeat', quiesce: true }), follower)).toBe(true);
    expect(keepsQuiescence(msg({ type: 'heartbeat', quiesce: false }), follower)).toBe(false);
    expect(keepsQuiescence(msg({ type: 'heartbeat', quiesce: true, from: 3 }), follower)).toBe(false);
    expect(keepsQuiescence(msg({ type: 'heartbeat', quiesce: true, term: 4 }), follower)).toBe(false);
    expect(keepsQuiescence(msg({ type: 'heartbeat', quiesce: true }), leader)).toBe(false);
    expect(keepsQuiescence(msg({ type: 'heartbeat-response' }), leader)).toBe(true);
    expect(keepsQuiescence(msg({ type: 'heartbeat-response' }), follower)).toBe(false);
    expect(keepsQuiescence(msg({ type: 'append-entries-response', success: true }), leader)).toBe(true);
    expect(keepsQuiescence(msg({ type: 'append-entries-response', success: false }), leader)).toBe(false);
    expect(keepsQuiescence(msg({ type: 'append-entries-response', success: true }), follower)).toBe(false);
    for (const type of [
      'request-vote',
      'request-vote-response',
      'append-entries',
      'install-snapshot',
      'install-snapshot-response',
      'timeout-now',
      'read-index',
      'read-index-response',
    ]) {
      expect(keepsQuiescence(msg({ type }), leader), type).toBe(false);
    }
    // A malformed message is dropped: it keeps the node asleep, whatever it claims to be.
    expect(keepsQuiescence(msg({ type: 'append-entries' }), { ...follower, isValid: () => false })).toBe(
      true,
    );
  });
});
