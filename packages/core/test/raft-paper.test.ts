/**
 * The Raft paper's rules, one test each, in init / act / check form (after etcd's
 * raft_paper_test.go). Section numbers refer to "In Search of an Understandable Consensus
 * Algorithm" (extended version) unless marked as the dissertation.
 */
import { describe, expect, it } from 'vitest';
import {
  type AppendEntriesMessage,
  type Entry,
  MemoryLog,
  type Message,
  NotLeaderError,
  RaftNode,
  type RequestVoteMessage,
} from '../src/index.js';
import { bytes, TestCluster } from './helpers/cluster.js';

const sends = (actions: ReturnType<RaftNode['step']>) =>
  actions.flatMap((a) => (a.type === 'send' ? [a.message] : []));

function entry(index: number, term: number, data = `e${index}`): Entry {
  return { index, term, type: 'command', data: bytes(data) };
}

/** A node whose log already holds `terms` (entry i+1 has term terms[i]) at `term`. */
function nodeWithLog(
  id: number,
  voters: number[],
  terms: number[],
  term: number,
  options = {},
): { node: RaftNode; log: MemoryLog } {
  const log = new MemoryLog();
  log.write({ hardState: { term, vote: null, commit: 0 }, entries: terms.map((t, i) => entry(i + 1, t)) });
  return { node: new RaftNode({ id, voters, preVote: false, ...options }, log), log };
}

describe('§5.1 terms', () => {
  it('a node that sees a higher term becomes a follower of that term', () => {
    // init: a leader of term 1
    const c = new TestCluster([1, 2, 3], { preVote: false });
    const leader = c.elect();
    // act: a heartbeat-response from a node claiming term 5
    const other = c.ids.find((id) => id !== leader.id)!;
    c.step(leader.id, {
      type: 'message',
      message: { type: 'heartbeat-response', from: other, to: leader.id, term: 5, context: 0 },
    });
    // check
    expect(leader.role()).toBe('follower');
    expect(leader.term()).toBe(5);
    expect(leader.leader()).toBeNull();
  });

  it('a message of a stale term is answered with the current term, never obeyed', () => {
    const { node } = nodeWithLog(1, [1, 2, 3], [], 3);
    const actions = node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 2,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [entry(1, 2)],
        commit: 1,
      },
    });
    expect(node.lastIndex()).toBe(0);
    expect(node.term()).toBe(3);
    expect(sends(actions)).toEqual([
      expect.objectContaining({ type: 'append-entries-response', term: 3, success: false }),
    ]);
  });
});

describe('§5.2 leader election', () => {
  it('a follower that hears nothing for an election timeout becomes a candidate and asks everyone for votes', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false, electionTick: 10 });
    let actions: ReturnType<RaftNode['step']> = [];
    for (let i = 0; i < 20 && node.role() === 'follower'; i++) actions = node.step({ type: 'tick' });
    expect(node.role()).toBe('candidate');
    expect(node.term()).toBe(1);
    expect(node.status().vote).toBe(1);
    const requests = sends(actions) as RequestVoteMessage[];
    expect(requests.map((m) => m.to).sort()).toEqual([2, 3]);
    for (const m of requests)
      expect(m).toMatchObject({
        type: 'request-vote',
        term: 1,
        preVote: false,
        lastLogIndex: 0,
        lastLogTerm: 0,
      });
  });

  it('election timeouts are randomized in [electionTick, 2 * electionTick) and differ between nodes', () => {
    const timeouts = new Set<number>();
    for (let id = 1; id <= 20; id++) {
      const node = new RaftNode({ id, voters: [id, 100], preVote: false, electionTick: 10 });
      let ticks = 0;
      while (node.role() === 'follower') {
        node.step({ type: 'tick' });
        ticks++;
      }
      expect(ticks).toBeGreaterThanOrEqual(10);
      expect(ticks).toBeLessThan(20);
      timeouts.add(ticks);
    }
    expect(timeouts.size).toBeGreaterThan(3);
  });

  it('a candidate that wins a majority becomes leader and announces itself', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    node.step({ type: 'campaign' });
    const actions = node.step({
      type: 'message',
      message: { type: 'request-vote-response', from: 2, to: 1, term: 1, preVote: false, granted: true },
    });
    expect(node.isLeader()).toBe(true);
    expect(
      sends(actions)
        .filter((m) => m.type === 'append-entries')
        .map((m) => m.to)
        .sort(),
    ).toEqual([2, 3]);
  });

  it('a candidate rejected by a majority returns to follower', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    node.step({ type: 'campaign' });
    node.step({
      type: 'message',
      message: { type: 'request-vote-response', from: 2, to: 1, term: 1, preVote: false, granted: false },
    });
    node.step({
      type: 'message',
      message: { type: 'request-vote-response', from: 3, to: 1, term: 1, preVote: false, granted: false },
    });
    expect(node.role()).toBe('follower');
  });

  it('each node votes for at most one candidate in a term, and the vote is in the log before the answer leaves', () => {
    const log = new MemoryLog();
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false }, log);
    const ask = (from: number): Message => ({
      type: 'request-vote',
      from,
      to: 1,
      term: 1,
      preVote: false,
      lastLogIndex: 0,
      lastLogTerm: 0,
      transfer: false,
    });
    const first = sends(node.step({ type: 'message', message: ask(2) }));
    expect(first).toEqual([expect.objectContaining({ type: 'request-vote-response', to: 2, granted: true })]);
    expect(log.hardState()).toEqual({ term: 1, vote: 2, commit: 0 });
    const second = sends(node.step({ type: 'message', message: ask(3) }));
    expect(second).toEqual([
      expect.objectContaining({ type: 'request-vote-response', to: 3, granted: false }),
    ]);
    // The same candidate asking again (a duplicate) gets the same answer.
    const again = sends(node.step({ type: 'message', message: ask(2) }));
    expect(again).toEqual([expect.objectContaining({ granted: true })]);
  });

  it('a candidate that hears from the leader of its term becomes its follower', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    node.step({ type: 'campaign' });
    node.step({
      type: 'message',
      message: { type: 'heartbeat', from: 2, to: 1, term: 1, commit: 0, context: 0 },
    });
    expect(node.role()).toBe('follower');
    expect(node.leader()).toBe(2);
  });
});

describe('§5.4.1 election restriction', () => {
  it('a voter denies its vote to a candidate whose log is less up-to-date (Figure 7)', () => {
    // init: a voter whose log ends at term 3; candidates with shorter or older logs
    const { node } = nodeWithLog(1, [1, 2, 3], [1, 1, 3], 3);
    const ask = (from: number, term: number, lastLogIndex: number, lastLogTerm: number) =>
      sends(
        node.step({
          type: 'message',
          message: {
            type: 'request-vote',
            from,
            to: 1,
            term,
            preVote: false,
            lastLogIndex,
            lastLogTerm,
            transfer: false,
          },
        }),
      )[0];
    // older last term, longer log: denied
    expect(ask(2, 4, 10, 2)).toMatchObject({ granted: false });
    // same last term, shorter log: denied
    expect(ask(3, 5, 2, 3)).toMatchObject({ granted: false });
    // same last term, same length: granted
    expect(ask(2, 6, 3, 3)).toMatchObject({ granted: true });
  });

  it('a leader with a stale log cannot win an election in a cluster that committed past it', () => {
    // init: 3 nodes; node 3 misses entries that 1 and 2 committed
    const c = new TestCluster([1, 2, 3], { preVote: false });
    const leader = c.elect();
    const lagger = c.ids.find((id) => id !== leader.id)!;
    c.isolate(lagger);
    c.propose('a');
    c.propose('b');
    c.deliverAll();
    expect(leader.commitIndex()).toBe(2);
    // act: heal, and let the lagger campaign at once
    c.heal();
    c.step(lagger, { type: 'campaign' });
    c.deliverAll();
    // check: it did not win; whoever leads holds both committed entries
    const now = c.elect();
    expect(now.id).not.toBe(lagger);
    expect(now.lastIndex()).toBeGreaterThanOrEqual(2);
  });
});

describe('§5.3 log replication', () => {
  it('a follower appends entries after a matching prevLogIndex/prevLogTerm and acknowledges the last', () => {
    const { node, log } = nodeWithLog(1, [1, 2], [1], 1);
    const actions = node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 1,
        prevLogIndex: 1,
        prevLogTerm: 1,
        entries: [entry(2, 1), entry(3, 1)],
        commit: 2,
      },
    });
    expect(log.lastIndex()).toBe(3);
    expect(node.commitIndex()).toBe(2);
    expect(sends(actions)).toEqual([
      expect.objectContaining({ type: 'append-entries-response', success: true, index: 3 }),
    ]);
  });

  it('a follower rejects entries whose prevLogTerm does not match, with a hint that skips the term', () => {
    // init: follower log terms [1,1,2,2,2]; the leader believes index 5 has term 3
    const { node } = nodeWithLog(1, [1, 2], [1, 1, 2, 2, 2], 3);
    const actions = node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 3,
        prevLogIndex: 5,
        prevLogTerm: 3,
        entries: [],
        commit: 0,
      },
    });
    // check: the hint points at the last entry of a term <= 3, i.e. index 5 itself (term 2)
    expect(sends(actions)[0]).toMatchObject({ success: false, index: 5, hintIndex: 5, hintTerm: 2 });
    // and with prevLogTerm 1 the follower skips the whole term 2 at once
    const skip = node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 3,
        prevLogIndex: 5,
        prevLogTerm: 1,
        entries: [],
        commit: 0,
      },
    });
    expect(sends(skip)[0]).toMatchObject({ success: false, index: 5, hintIndex: 2, hintTerm: 1 });
  });

  it('a conflicting uncommitted suffix is deleted and replaced by the leader’s entries', () => {
    const { node, log } = nodeWithLog(1, [1, 2], [1, 1, 2, 2], 3);
    node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 3,
        prevLogIndex: 2,
        prevLogTerm: 1,
        entries: [entry(3, 3, 'new')],
        commit: 0,
      },
    });
    expect(log.lastIndex()).toBe(3);
    expect(log.term(3)).toBe(3);
    expect(new TextDecoder().decode(log.entries(3, 4)[0]!.data)).toBe('new');
  });

  it('a stale, reordered append never truncates entries a later append added', () => {
    const { node, log } = nodeWithLog(1, [1, 2], [], 1);
    const append = (entries: Entry[], prevLogIndex: number): AppendEntriesMessage => ({
      type: 'append-entries',
      from: 2,
      to: 1,
      term: 1,
      prevLogIndex,
      prevLogTerm: prevLogIndex === 0 ? 0 : 1,
      entries,
      commit: 0,
    });
    node.step({ type: 'message', message: append([entry(1, 1), entry(2, 1), entry(3, 1)], 0) });
    node.step({ type: 'message', message: append([entry(1, 1)], 0) });
    expect(log.lastIndex()).toBe(3);
  });

  it('the leader converges a follower with a long divergent log in few round trips (fast back-off)', () => {
    // init: the leader has 1 entry of term 1 then 30 of term 4; the follower 1 of term 1 then 30 of term 2
    const leaderLog = new MemoryLog();
    leaderLog.write({
      hardState: { term: 4, vote: 1, commit: 1 },
      entries: [entry(1, 1), ...Array.from({ length: 30 }, (_, i) => entry(i + 2, 4))],
    });
    const followerLog = new MemoryLog();
    followerLog.write({
      hardState: { term: 2, vote: null, commit: 1 },
      entries: [entry(1, 1), ...Array.from({ length: 30 }, (_, i) => entry(i + 2, 2, 'x'))],
    });
    const leader = new RaftNode({ id: 1, voters: [1, 2], preVote: false }, leaderLog);
    const follower = new RaftNode({ id: 2, voters: [1, 2], preVote: false }, followerLog);
    leader.step({ type: 'campaign' });
    let queue = sends(
      leader.step({
        type: 'message',
        message: { type: 'request-vote-response', from: 2, to: 1, term: 5, preVote: false, granted: true },
      }),
    );
    expect(leader.isLeader()).toBe(true);
    // act: ping-pong until quiet, counting rejections
    let rejections = 0;
    for (let i = 0; i < 50 && queue.length > 0; i++) {
      const next: Message[] = [];
      for (const m of queue) {
        const target = m.to === 1 ? leader : follower;
        if (m.type === 'append-entries-response' && !m.success) rejections++;
        next.push(...sends(target.step({ type: 'message', message: m })));
      }
      queue = next;
    }
    // check: one rejection skips the whole of term 2; the logs now match
    expect(rejections).toBeLessThanOrEqual(2);
    expect(followerLog.lastIndex()).toBe(32);
    expect(followerLog.term(31)).toBe(4);
    expect(follower.commitIndex()).toBe(32);
  });
});

describe('§5.4.2 committing entries from previous terms (Figure 8)', () => {
  it('a leader does not commit an entry of an earlier term by counting replicas; its own term’s entry commits it', () => {
    // init: node 1 leads term 3 holding entry 2@2 from an earlier term, replicated to node 2
    const mk = (id: number, terms: number[]) => {
      const log = new MemoryLog();
      log.write({
        hardState: { term: 2, vote: null, commit: 1 },
        entries: terms.map((t, i) => entry(i + 1, t)),
      });
      return { log, node: new RaftNode({ id, voters: [1, 2, 3, 4, 5], preVote: false }, log) };
    };
    const n1 = mk(1, [1, 2]);
    const n2 = mk(2, [1, 2]);
    n1.node.step({ type: 'campaign' });
    for (const from of [2, 3]) {
      n1.node.step({
        type: 'message',
        message: { type: 'request-vote-response', from, to: 1, term: 3, preVote: false, granted: true },
      });
    }
    expect(n1.node.isLeader()).toBe(true);
    // On election, with entries past its commit index, the leader appended an empty entry of term 3.
    expect(n1.log.lastIndex()).toBe(3);
    expect(n1.log.term(3)).toBe(3);
    expect(n1.log.entries(3, 4)[0]!.type).toBe('empty');
    // act: followers 2 and 3 acknowledge index 2 only (a majority holds 2@2)
    for (const from of [2, 3]) {
      n1.node.step({
        type: 'message',
        message: {
          type: 'append-entries-response',
          from,
          to: 1,
          term: 3,
          success: true,
          index: 2,
          hintIndex: 0,
          hintTerm: 0,
        },
      });
    }
    // check: 2@2 is on a majority but not committed (it is not of the leader's term)
    expect(n1.node.commitIndex()).toBe(1);
    // act: they acknowledge the term-3 entry
    for (const from of [2, 3]) {
      n1.node.step({
        type: 'message',
        message: {
          type: 'append-entries-response',
          from,
          to: 1,
          term: 3,
          success: true,
          index: 3,
          hintIndex: 0,
          hintTerm: 0,
        },
      });
    }
    // check: committing 3@3 commits 2@2 with it
    expect(n1.node.commitIndex()).toBe(3);
    expect(n2.log.lastIndex()).toBe(2);
  });

  it('a fresh leader with nothing past its commit index appends no empty entry', () => {
    const c = new TestCluster([1, 2, 3]);
    const leader = c.elect();
    expect(leader.lastIndex()).toBe(0);
    c.propose('first');
    c.deliverAll();
    expect(c.applied.get(leader.id)).toEqual([{ index: 1, term: leader.term(), command: 'first' }]);
  });
});

describe('§5.4/§8 partitions', () => {
  it('a partitioned old leader cannot commit; after healing its uncommitted entries are replaced', () => {
    // init
    const c = new TestCluster([1, 2, 3, 4, 5], { preVote: true });
    const old = c.elect();
    c.propose('committed');
    c.deliverAll();
    const others = c.ids.filter((id) => id !== old.id);
    // act: cut the leader off with one follower; it keeps accepting proposals
    const buddy = others[0]!;
    c.partition([old.id, buddy], others.slice(1));
    c.step(old.id, { type: 'propose', command: bytes('lost-1') });
    c.step(old.id, { type: 'propose', command: bytes('lost-2') });
    c.deliverAll();
    expect(old.commitIndex()).toBe(1);
    // the majority side elects a new leader and commits
    const majority = others.slice(1);
    expect(c.runUntil(() => majority.some((id) => c.node(id).isLeader()), 300)).toBe(true);
    const fresh = c.node(majority.find((id) => c.node(id).isLeader())!);
    c.step(fresh.id, { type: 'propose', command: bytes('winner') });
    c.deliverAll();
    // check: the old leader still has not committed its entries
    expect(old.commitIndex()).toBe(1);
    // heal: the old leader's entries are replaced by the new leader's
    c.heal();
    expect(c.runUntil(() => c.ids.every((id) => c.commands(id).includes('winner')), 300)).toBe(true);
    for (const id of c.ids) {
      expect(c.commands(id)).not.toContain('lost-1');
      expect(c.commands(id)).not.toContain('lost-2');
    }
  });

  it('dissertation §9.6: with pre-vote, a rejoining partitioned follower does not raise the term', () => {
    const c = new TestCluster([1, 2, 3], { preVote: true });
    const leader = c.elect();
    const term = leader.term();
    const loner = c.ids.find((id) => id !== leader.id)!;
    c.isolate(loner);
    c.tick(loner, 100);
    c.deliverAll();
    expect(c.node(loner).term()).toBe(term);
    c.heal();
    c.runUntil(() => false, 30);
    expect(c.leader()!.id).toBe(leader.id);
    expect(c.leader()!.term()).toBe(term);
  });

  it('without pre-vote, the rejoining follower does raise the term and disrupts the leader', () => {
    const c = new TestCluster([1, 2, 3], { preVote: false, checkQuorum: false });
    const leader = c.elect();
    const term = leader.term();
    const loner = c.ids.find((id) => id !== leader.id)!;
    c.isolate(loner);
    c.tick(loner, 100);
    c.deliverAll();
    expect(c.node(loner).term()).toBeGreaterThan(term);
    c.heal();
    c.runUntil(() => c.leader() !== undefined && c.leader()!.term() > term, 100);
    expect(c.leader()!.term()).toBeGreaterThan(term);
  });

  it('dissertation §6.2 check-quorum: a leader cut off from the majority steps down within an election timeout', () => {
    const c = new TestCluster([1, 2, 3], { checkQuorum: true, electionTick: 10 });
    const leader = c.elect();
    c.isolate(leader.id);
    let ticks = 0;
    while (leader.isLeader() && ticks < 100) {
      c.tick(leader.id);
      ticks++;
    }
    expect(leader.isLeader()).toBe(false);
    expect(ticks).toBeLessThanOrEqual(2 * 10);
  });

  it('without check-quorum an isolated leader stays leader', () => {
    const c = new TestCluster([1, 2, 3], { checkQuorum: false });
    const leader = c.elect();
    c.isolate(leader.id);
    c.tick(leader.id, 100);
    expect(leader.isLeader()).toBe(true);
  });

  it('leader stickiness: followers that hear from a leader ignore a disruptive vote request', () => {
    const c = new TestCluster([1, 2, 3], { preVote: false, checkQuorum: true });
    const leader = c.elect();
    const follower = c.ids.find((id) => id !== leader.id)!;
    const third = c.ids.find((id) => id !== leader.id && id !== follower)!;
    const actions = c.step(follower, {
      type: 'message',
      message: {
        type: 'request-vote',
        from: third,
        to: follower,
        term: leader.term() + 5,
        preVote: false,
        lastLogIndex: 99,
        lastLogTerm: 99,
        transfer: false,
      },
    });
    expect(sends(actions)).toEqual([]);
    expect(c.node(follower).term()).toBe(leader.term());
  });
});

describe('restart (§5.1: term and vote on stable storage)', () => {
  it('a node restarted on its log resumes its term and vote and never votes twice in a term', () => {
    const log = new MemoryLog();
    const first = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false }, log);
    first.step({
      type: 'message',
      message: {
        type: 'request-vote',
        from: 2,
        to: 1,
        term: 7,
        preVote: false,
        lastLogIndex: 0,
        lastLogTerm: 0,
        transfer: false,
      },
    });
    // act: crash and restart on the same log
    const again = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false }, log);
    expect(again.term()).toBe(7);
    expect(again.status().vote).toBe(2);
    const answer = sends(
      again.step({
        type: 'message',
        message: {
          type: 'request-vote',
          from: 3,
          to: 1,
          term: 7,
          preVote: false,
          lastLogIndex: 5,
          lastLogTerm: 5,
          transfer: false,
        },
      }),
    );
    expect(answer).toEqual([expect.objectContaining({ granted: false })]);
  });

  it('a candidate restarted mid-election keeps its self-vote and term', () => {
    const log = new MemoryLog();
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false }, log);
    node.step({ type: 'campaign' });
    const again = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false }, log);
    expect(again.term()).toBe(1);
    expect(again.status().vote).toBe(1);
    expect(again.role()).toBe('follower');
  });

  it('a restarted node re-applies its committed entries in order, once', () => {
    const c = new TestCluster([1, 2, 3]);
    c.elect();
    for (const s of ['a', 'b', 'c']) c.propose(s);
    c.deliverAll();
    c.tickAll(2);
    c.deliverAll();
    const id = c.ids.find((x) => !c.node(x).isLeader())!;
    c.crash(id);
    c.restart(id);
    c.tick(id);
    expect(c.commands(id)).toEqual(['a', 'b', 'c']);
  });
});

describe('misuse and bad input', () => {
  it('proposing on a follower throws NotLeaderError naming the leader', () => {
    const c = new TestCluster([1, 2, 3]);
    const leader = c.elect();
    c.tickAll();
    c.deliverAll();
    const follower = c.ids.find((id) => id !== leader.id)!;
    let error: unknown;
    try {
      c.node(follower).step({ type: 'propose', command: bytes('x') });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotLeaderError);
    expect((error as NotLeaderError).code).toBe('NOT_LEADER');
    expect((error as NotLeaderError).leader).toBe(leader.id);
  });

  it('a bad event throws INVALID_ARGUMENT without changing state', () => {
    const node = new RaftNode({ id: 1, voters: [1] });
    node.step({ type: 'campaign' });
    expect(() => node.step({ type: 'propose', command: 'text' as unknown as Uint8Array })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => node.step({ type: 'propose', commands: [] })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => node.step({ type: 'nope' } as never)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(node.lastIndex()).toBe(0);
  });

  it('malformed messages are ignored and never throw', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] });
    const garbage: unknown[] = [
      null,
      42,
      {},
      { type: 'append-entries', from: 2, to: 1, term: 1 },
      {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        commit: 5,
        entries: [{ index: 7, term: 1, type: 'command', data: bytes('x') }],
      },
      {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        commit: 0,
        entries: [{ index: 1, term: 9, type: 'command', data: bytes('x') }],
      },
      {
        type: 'request-vote',
        from: -1,
        to: 1,
        term: 1,
        preVote: false,
        lastLogIndex: 0,
        lastLogTerm: 0,
        transfer: false,
      },
      {
        type: 'request-vote',
        from: 2,
        to: 3,
        term: 1,
        preVote: false,
        lastLogIndex: 0,
        lastLogTerm: 0,
        transfer: false,
      },
      { type: 'heartbeat', from: 2, to: 1, term: Number.NaN, commit: 0, context: 0 },
      {
        type: 'install-snapshot',
        from: 2,
        to: 1,
        term: 1,
        metadata: { index: 1 },
        offset: 0,
        data: bytes('x'),
        done: true,
      },
      { type: 'unknown', from: 2, to: 1, term: 1 },
    ];
    for (const message of garbage) {
      expect(node.step({ type: 'message', message: message as Message })).toEqual([]);
    }
    expect(node.term()).toBe(0);
    expect(node.lastIndex()).toBe(0);
  });

  it('invalid configs are refused with INVALID_CONFIG naming the field', () => {
    const bad: [object, string][] = [
      [{ id: 0, voters: [1] }, 'id'],
      [{ id: 1.5, voters: [1] }, 'id'],
      [{ id: 1, voters: [1, 1] }, 'voters'],
      [{ id: 1, voters: [1], electionTick: 1 }, 'electionTick'],
      [{ id: 1, voters: [1], electionTick: 5, heartbeatTick: 5 }, 'heartbeatTick'],
      [{ id: 1, voters: [1], seed: -1 }, 'seed'],
      [{ id: 1, voters: [1], seed: 2 ** 32 }, 'seed'],
      [{ id: 1, voters: [1], leaseRead: true, checkQuorum: false }, 'leaseRead'],
      [{ id: 1, voters: [1], learners: [1] }, 'learners'],
    ];
    for (const [config, field] of bad) {
      expect(() => new RaftNode(config as never)).toThrow(
        expect.objectContaining({ code: 'INVALID_CONFIG', field }),
      );
    }
    // The boundary cases are valid.
    expect(
      () => new RaftNode({ id: 1, voters: [1], electionTick: 2, heartbeatTick: 1, seed: 2 ** 32 - 1 }),
    ).not.toThrow();
  });
});
