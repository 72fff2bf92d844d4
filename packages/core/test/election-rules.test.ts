/**
 * Election rules that only a targeted schedule pins down (each found as a surviving mutant,
 * issue 20): joint elections need both halves (§4.3); a pre-vote never changes the
 * receiver's term (§9.6) and a stale one is answered, not ignored; only a voter that is not
 * leader campaigns; vote answers count only in the round they belong to.
 */
import { describe, expect, it } from 'vitest';
import { MAX_TERM, MemoryLog, type Message, RaftNode, TermExhaustedError } from '../src/index.js';
import { jointVoteResult } from '../src/quorum/joint.js';
import { heartbeat, voteRequest as vote } from './helpers/messages.js';

const answer = (from: number, term: number, granted: boolean, preVote: boolean): Message => ({
  type: 'request-vote-response',
  from,
  to: 1,
  term,
  preVote,
  granted,
});

const sends = (actions: ReturnType<RaftNode['step']>) =>
  actions.flatMap((a) => (a.type === 'send' ? [a.message] : []));

describe('§4.3 joint elections', () => {
  it('need a majority of the incoming AND of the outgoing voters', () => {
    const joint = { voters: [1, 4, 5], learners: [], outgoingVoters: [1, 2, 3] };
    const votes = (granted: number[], rejected: number[] = []) =>
      new Map<number, boolean>([
        ...granted.map((id) => [id, true] as const),
        ...rejected.map((id) => [id, false] as const),
      ]);
    expect(jointVoteResult(joint, votes([1, 4, 5]))).toBe('pending');
    expect(jointVoteResult(joint, votes([1, 2, 3]))).toBe('pending');
    expect(jointVoteResult(joint, votes([1, 4, 2]))).toBe('won');
    expect(jointVoteResult(joint, votes([1, 4], [2, 3]))).toBe('lost');
    expect(jointVoteResult(joint, votes([1, 2], [4, 5]))).toBe('lost');
  });

  it('a candidate with only the incoming half does not become leader', () => {
    // init: a node whose log holds the joint membership {1,4,5} (outgoing {1,2,3})
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    const joint = new TextEncoder().encode('{"v":[1,4,5],"l":[],"o":[1,2,3]}');
    node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [{ index: 1, term: 1, type: 'membership', data: joint }],
        commit: 1,
      },
    });
    node.step({ type: 'campaign' });
    expect(node.role()).toBe('candidate');
    // act: both other incoming voters grant; the outgoing half stays silent
    node.step({ type: 'message', message: answer(4, 2, true, false) });
    node.step({ type: 'message', message: answer(5, 2, true, false) });
    // check: still a candidate; one outgoing vote more makes it leader
    expect(node.role()).toBe('candidate');
    node.step({ type: 'message', message: answer(2, 2, true, false) });
    expect(node.role()).toBe('leader');
  });
});

describe('§9.6 pre-vote', () => {
  it('a pre-vote request of a higher term changes neither the term nor the role of the receiver', () => {
    // init: node 1 leads term 1 of {1,2,3} alone-ish (no check-quorum, so it keeps leading)
    const node = new RaftNode({ id: 1, voters: [1], checkQuorum: false });
    node.step({ type: 'campaign' });
    expect(node.isLeader()).toBe(true);
    const follower = new RaftNode({ id: 1, voters: [1, 2, 3], checkQuorum: false });
    // act: a pre-vote request in term 5
    const out = follower.step({ type: 'message', message: vote({ term: 5, preVote: true, lastLogTerm: 1 }) });
    // check: granted in the candidate's future term, but the receiver's term is unchanged
    expect(follower.term()).toBe(0);
    expect(follower.role()).toBe('follower');
    expect(sends(out)).toEqual([answer(1, 5, true, true)].map((m) => ({ ...m, from: 1, to: 2 })));
    // A leader likewise keeps its term and its role (it may grant: without check-quorum it
    // is not in a lease, as in etcd).
    node.step({
      type: 'message',
      message: vote({ term: 5, preVote: true, lastLogTerm: 1, lastLogIndex: 0 }),
    });
    expect(node.isLeader()).toBe(true);
    expect(node.term()).toBe(1);
  });

  it('a stale pre-vote (a term at or below ours) is answered with a refusal in our term', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] });
    node.step({
      type: 'message',
      message: { type: 'heartbeat', from: 3, to: 1, term: 4, commit: 0, context: 0 },
    });
    const out = node.step({
      type: 'message',
      message: vote({ term: 3, preVote: true, lastLogTerm: 9, lastLogIndex: 9 }),
    });
    expect(sends(out)).toEqual([
      { type: 'request-vote-response', from: 1, to: 2, term: 4, preVote: true, granted: false },
    ]);
    expect(node.term()).toBe(4);
  });

  it('pre-vote answers count only in a pre-vote round, vote answers only in a vote round', () => {
    // init: a pre-candidate of {1,2,3}
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: true });
    node.step({ type: 'campaign' });
    expect(node.role()).toBe('pre-candidate');
    // act: a real vote answer arrives during the pre-vote round
    node.step({ type: 'message', message: answer(2, 0, true, false) });
    // check: it does not count (still a pre-candidate, term unchanged)
    expect(node.role()).toBe('pre-candidate');
    expect(node.term()).toBe(0);
    // a pre-vote grant moves it to candidate in term 1
    node.step({ type: 'message', message: answer(2, 1, true, true) });
    expect(node.role()).toBe('candidate');
    expect(node.term()).toBe(1);
    // now a pre-vote answer does not count in the vote round
    node.step({ type: 'message', message: answer(3, 1, true, true) });
    expect(node.role()).toBe('candidate');
    node.step({ type: 'message', message: answer(3, 1, true, false) });
    expect(node.role()).toBe('leader');
  });

  it('vote answers outside a candidacy change nothing', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] });
    // Two grants would be a majority of {1,2,3}: a follower must not count them.
    expect(node.step({ type: 'message', message: answer(2, 0, true, false) })).toEqual([]);
    expect(node.step({ type: 'message', message: answer(3, 0, true, false) })).toEqual([]);
    expect(node.role()).toBe('follower');
    expect(node.term()).toBe(0);
  });
});

describe('§3.10 / §4: who may campaign', () => {
  it('a leader ignores `campaign` and `timeout-now`', () => {
    const node = new RaftNode({ id: 1, voters: [1] });
    node.step({ type: 'campaign' });
    const term = node.term();
    expect(node.step({ type: 'campaign' })).toEqual([]);
    expect(node.step({ type: 'message', message: { type: 'timeout-now', from: 2, to: 1, term } })).toEqual(
      [],
    );
    expect([node.isLeader(), node.term()]).toEqual([true, term]);
  });

  it('a learner neither times out into an election nor obeys `campaign`', () => {
    const node = new RaftNode({ id: 4, voters: [1, 2, 3], learners: [4], electionTick: 2 });
    for (let i = 0; i < 20; i++) expect(sends(node.step({ type: 'tick' }))).toEqual([]);
    expect(node.step({ type: 'campaign' })).toEqual([]);
    expect([node.role(), node.term()]).toEqual(['follower', 0]);
  });

  it('a node outside the membership (not yet added) does not campaign', () => {
    const node = new RaftNode({ id: 9, voters: [], electionTick: 2 });
    for (let i = 0; i < 20; i++) expect(sends(node.step({ type: 'tick' }))).toEqual([]);
    expect(node.step({ type: 'campaign' })).toEqual([]);
  });
});

describe('who gets a vote, and what a campaign sends', () => {
  /** Node 1, a follower of term 1 that learned node 2 leads (it voted for nobody). */
  function followerOf2(options: Record<string, unknown> = {}): RaftNode {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, checkQuorum: false, ...options });
    node.step({
      type: 'message',
      message: heartbeat(),
    });
    expect(node.leader()).toBe(2);
    return node;
  }
  const grants = (out: ReturnType<RaftNode['step']>) =>
    sends(out).filter((m) => m.type === 'request-vote-response' && m.granted).length;

  it('a follower that knows its leader refuses another candidate of the same term, though it voted for nobody', () => {
    const node = followerOf2();
    expect(grants(node.step({ type: 'message', message: vote({ from: 3, term: 1 }) }))).toBe(0);
  });

  it('a pre-vote for a later term is granted despite a known leader; one for the current term is not', () => {
    const node = followerOf2();
    expect(grants(node.step({ type: 'message', message: vote({ from: 3, term: 1, preVote: true }) }))).toBe(
      0,
    );
    expect(grants(node.step({ type: 'message', message: vote({ from: 3, term: 2, preVote: true }) }))).toBe(
      1,
    );
    expect(node.term()).toBe(1);
  });

  it('a campaign with pre-vote asks for pre-votes, then real votes, never as a transfer', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: true });
    const pre = sends(node.step({ type: 'campaign' }));
    expect(pre).toEqual([2, 3].map((to) => ({ ...vote({ from: 1, to, term: 1, preVote: true }) })));
    const real = sends(node.step({ type: 'message', message: answer(2, 1, true, true) }));
    expect(real.filter((m) => m.type === 'request-vote')).toEqual(
      [2, 3].map((to) => ({ ...vote({ from: 1, to, term: 1, preVote: false }) })),
    );
  });

  it('with lease reads, a follower inside its leader lease ignores the campaign event', () => {
    const node = followerOf2({ checkQuorum: true, leaseRead: true });
    expect(node.step({ type: 'campaign' })).toEqual([]);
    expect(node.role()).toBe('follower');
    expect(node.term()).toBe(1);
  });

  it('a leader at MAX_TERM takes the campaign event as a no-op; a follower there is refused', () => {
    const log = new MemoryLog();
    log.write({ hardState: { term: MAX_TERM - 1, vote: null, commit: 0 } });
    const leader = new RaftNode({ id: 1, voters: [1] }, log);
    leader.step({ type: 'campaign' });
    expect(leader.isLeader()).toBe(true);
    expect(leader.term()).toBe(MAX_TERM);
    expect(leader.step({ type: 'campaign' })).toEqual([]);
    const stuck = new MemoryLog();
    stuck.write({ hardState: { term: MAX_TERM, vote: null, commit: 0 } });
    const follower = new RaftNode({ id: 1, voters: [1, 2, 3] }, stuck);
    expect(() => follower.step({ type: 'campaign' })).toThrow(TermExhaustedError);
  });
});

describe('becoming a follower again within a term', () => {
  it('a candidate that lost its election keeps its vote for the term: it refuses another candidate', () => {
    // init: node 1 campaigns in term 1 (its vote: itself) and both others refuse.
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    node.step({ type: 'campaign' });
    node.step({ type: 'message', message: answer(2, 1, false, false) });
    node.step({ type: 'message', message: answer(3, 1, false, false) });
    expect(node.role()).toBe('follower');
    // act: node 3 asks for its vote in the same term.
    const out = node.step({
      type: 'message',
      message: vote({ from: 3, term: 1, lastLogIndex: 5, lastLogTerm: 1 }),
    });
    // check: refused (a second vote in term 1 could give the term two leaders).
    expect(sends(out)).toMatchObject([{ type: 'request-vote-response', to: 3, granted: false }]);
  });

  it('a read forwarded to a leader fails when another leader takes over', () => {
    // init: follower 1 of leader 2 forwards a read.
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, checkQuorum: false });
    const heartbeat = (from: number, term: number): Message => ({
      type: 'heartbeat',
      from,
      to: 1,
      term,
      commit: 0,
      context: 0,
      quiesce: false,
    });
    node.step({ type: 'message', message: heartbeat(2, 1) });
    node.step({ type: 'read', id: 'r1' });
    // act: node 3 leads term 2.
    const out = node.step({ type: 'message', message: heartbeat(3, 2) });
    // check: the read fails at once (the old leader's answer would come from a deposed leader).
    expect(out.filter((a) => a.type === 'read-failed').map((a) => a.type === 'read-failed' && a.id)).toEqual([
      'r1',
    ]);
  });
});

describe('§5.1 messages of an older term', () => {
  it('answers and requests other than appends, heartbeats and vote requests are dropped: no answer, no change', () => {
    // init: node 1 of {1,2,3} at term 5 (from its log), a follower without a leader.
    const log = new MemoryLog();
    log.write({ hardState: { term: 5, vote: null, commit: 0 } });
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] }, log);
    const base = { from: 2, to: 1, term: 3 } as const;
    const membership = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };
    const stale: Message[] = [
      { ...base, type: 'request-vote-response', preVote: false, granted: true },
      { ...base, type: 'append-entries-response', success: true, index: 1, hintIndex: 0, hintTerm: 0 },
      { ...base, type: 'heartbeat-response', context: 0 },
      {
        ...base,
        type: 'install-snapshot',
        metadata: { index: 1, term: 1, membership },
        offset: 0,
        data: new Uint8Array(1),
        done: true,
      },
      { ...base, type: 'install-snapshot-response', snapshotIndex: 1, offset: 1, done: true, reject: false },
      { ...base, type: 'timeout-now' },
      { ...base, type: 'read-index', id: 'r' },
      { ...base, type: 'read-index-response', id: 'r', index: 1, ok: true },
    ];
    for (const message of stale) {
      expect({ type: message.type, actions: node.step({ type: 'message', message }) }).toEqual({
        type: message.type,
        actions: [],
      });
    }
    expect([node.term(), node.status().role, node.status().malformedMessages]).toEqual([5, 'follower', 0]);
  });
});

describe('following the leader of the current term', () => {
  it('a candidate that hears from the leader of its term becomes its follower', () => {
    // init: node 1 of {1,2,3} campaigns (no pre-vote) and is a candidate in term 1.
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    node.step({ type: 'campaign' });
    expect([node.status().role, node.term()]).toEqual(['candidate', 1]);
    // act: node 2 won term 1 and sends its heartbeat.
    node.step({ type: 'message', message: heartbeat({ from: 2, term: 1 }) });
    // check: a follower of node 2 in term 1.
    expect([node.status().role, node.status().leader, node.term()]).toEqual(['follower', 2, 1]);
  });

  it('keeps its randomized election timeout while it follows the same leader (one draw per leader, so seeded traces stay put)', () => {
    // Two nodes with one seed: A hears one heartbeat, B six; then both lose the leader.
    const ticksToCampaign = (heartbeats: number) => {
      const node = new RaftNode({ id: 1, voters: [1, 2, 3], seed: 42, electionTick: 10 });
      for (let i = 0; i < heartbeats; i++)
        node.step({ type: 'message', message: heartbeat({ from: 2, term: 1 }) });
      for (let t = 1; t <= 40; t++) {
        node.step({ type: 'tick' });
        if (node.status().role !== 'follower') return t;
      }
      return -1;
    };
    const one = ticksToCampaign(1);
    expect(one).toBeGreaterThanOrEqual(10);
    expect(ticksToCampaign(6)).toBe(one);
  });
});

describe('heartbeats', () => {
  it('a leader heartbeats every heartbeatTick ticks, not on every tick', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], heartbeatTick: 3, electionTick: 30 });
    node.step({ type: 'campaign' });
    for (const id of [2, 3])
      node.step({ type: 'message', message: { ...answer(id, node.term(), true, true), to: 1 } });
    for (const id of [2, 3])
      node.step({ type: 'message', message: { ...answer(id, node.term(), true, false), to: 1 } });
    expect(node.isLeader()).toBe(true);
    const beats = [];
    for (let t = 1; t <= 6; t++) {
      const out = sends(node.step({ type: 'tick' }));
      beats.push(out.filter((m) => m.type === 'heartbeat').length);
    }
    expect(beats).toEqual([0, 0, 2, 0, 0, 2]);
  });
});
