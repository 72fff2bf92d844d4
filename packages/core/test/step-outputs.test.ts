/**
 * Where the contract fixes a step's whole output, the whole action list is asserted (a stray
 * action in every step's output once went unnoticed, issue 20), plus two leader
 * bookkeeping rules: the uncommitted-size bound counts exactly the entries not yet applied,
 * and asking again for a pending transfer (or for oneself) does not restart it.
 */
import { describe, expect, it } from 'vitest';
import { type Message, RaftNode, UncommittedLimitError } from '../src/index.js';
import { bytes } from './helpers/cluster.js';
import { heartbeat, voteRequest } from './helpers/messages.js';

function twoNodeLeader(options: Partial<ConstructorParameters<typeof RaftNode>[0]> = {}): RaftNode {
  const node = new RaftNode({ id: 1, voters: [1, 2], preVote: false, ...options });
  node.step({ type: 'campaign' });
  node.step({
    type: 'message',
    message: { type: 'request-vote-response', from: 2, to: 1, term: 1, preVote: false, granted: true },
  });
  return node;
}

const ack = (index: number): Message => ({
  type: 'append-entries-response',
  from: 2,
  to: 1,
  term: 1,
  success: true,
  index,
  hintIndex: 0,
  hintTerm: 0,
});

describe('whole step outputs', () => {
  it('a lone voter: campaign, then propose gives exactly accepted and apply', () => {
    const node = new RaftNode({ id: 1, voters: [1] });
    expect(node.step({ type: 'campaign' })).toEqual([
      { type: 'state-changed', role: 'leader', term: 1, leader: 1 },
    ]);
    const command = bytes('x');
    expect(node.step({ type: 'propose', command })).toEqual([
      { type: 'accepted', kind: 'commands', term: 1, firstIndex: 1, lastIndex: 1 },
      { type: 'apply', index: 1, term: 1, command },
    ]);
    expect(node.step({ type: 'tick' })).toEqual([]);
  });

  it('a follower answers an append with exactly one response', () => {
    const node = new RaftNode({ id: 2, voters: [1, 2] });
    const entry = { index: 1, term: 1, type: 'command' as const, data: bytes('x') };
    const out = node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 1,
        to: 2,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [entry],
        commit: 0,
      },
    });
    expect(out).toEqual([
      {
        type: 'send',
        to: 1,
        message: {
          type: 'append-entries-response',
          from: 2,
          to: 1,
          term: 1,
          success: true,
          index: 1,
          hintIndex: 0,
          hintTerm: 0,
        },
      },
      { type: 'state-changed', role: 'follower', term: 1, leader: 1 },
    ]);
  });
});

describe('leader bookkeeping', () => {
  it('the uncommitted-size bound counts exactly the appended entries not yet applied', () => {
    // init: a leader of {1,2} with a 10-byte bound; its follower is in step
    const node = twoNodeLeader({ maxUncommittedEntriesSize: 10 });
    node.step({ type: 'message', message: ack(0) });
    // act: 4 + 4 bytes uncommitted, then the first of them is committed and applied
    node.step({ type: 'propose', command: bytes('aaaa') });
    node.step({ type: 'propose', command: bytes('bbbb') });
    node.step({ type: 'message', message: ack(1) });
    expect(node.appliedIndex()).toBe(1);
    // check: 4 bytes are still uncommitted, so 7 more go past the bound, 6 do not
    expect(() => node.step({ type: 'propose', command: bytes('ccccccc') })).toThrow(UncommittedLimitError);
    expect(() => node.step({ type: 'propose', command: bytes('cccccc') })).not.toThrow();
  });

  it('§3.10: asking again for the pending transfer, or for oneself, does not restart its election-timeout clock', () => {
    // init: a leader of {1,2} whose follower never answers, so the transfer cannot finish
    const node = twoNodeLeader({ electionTick: 5, checkQuorum: false });
    node.step({ type: 'transfer-leadership', to: 2 });
    for (let i = 0; i < 3; i++) node.step({ type: 'tick' });
    // act: the same request again, and one for the leader itself
    node.step({ type: 'transfer-leadership', to: 2 });
    node.step({ type: 'transfer-leadership', to: 1 });
    expect(node.status().leadTransferee).toBe(2);
    // check: abandoned after five ticks from the first request, not from the repeats
    node.step({ type: 'tick' });
    expect(node.status().leadTransferee).toBe(2);
    node.step({ type: 'tick' });
    expect(node.status().leadTransferee).toBeNull();
  });
});

describe('state-changed: reported when the role, the term or the leader changes, each alone', () => {
  const changes = (actions: ReturnType<RaftNode['step']>) =>
    actions.filter((a) => a.type === 'state-changed');

  it('the role alone: a leaderless follower starts a pre-vote (same term, still no leader)', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: true });
    expect(changes(node.step({ type: 'campaign' }))).toEqual([
      { type: 'state-changed', role: 'pre-candidate', term: 0, leader: null },
    ]);
  });

  it('the term alone: a leaderless follower answers a vote request of a higher term', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    const out = node.step({
      type: 'message',
      message: voteRequest({ term: 5 }),
    });
    expect(changes(out)).toEqual([{ type: 'state-changed', role: 'follower', term: 5, leader: null }]);
  });

  it('the leader alone: a leaderless follower hears from the leader of its own term', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], preVote: false });
    node.step({
      type: 'message',
      message: voteRequest(),
    });
    expect(node.term()).toBe(1);
    const out = node.step({
      type: 'message',
      message: heartbeat(),
    });
    expect(changes(out)).toEqual([{ type: 'state-changed', role: 'follower', term: 1, leader: 2 }]);
  });
});
