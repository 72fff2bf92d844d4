/**
 * Regression (issue 11, unsafe by silence): a candidate overwrote a peer's recorded vote with
 * any later response from it in the same term. A voter answers once per term, so a second,
 * different answer is a duplicate of something else (a forged or corrupted message, or a
 * voter that lost its vote record); letting it flip a refusal into a grant can win an
 * election that lacks a majority. Correct (etcd `poll`): the first vote recorded in a term
 * stands.
 */
import { describe, expect, it } from 'vitest';
import type { Message, NodeId } from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';

const vote = (from: NodeId, granted: boolean): Message => ({
  type: 'request-vote-response',
  from,
  to: 1,
  term: 1,
  preVote: false,
  granted,
});

/** init: node 1 campaigns in term 1 (pre-vote off); its vote requests are held back. */
function candidate(ids: NodeId[]) {
  const c = new TestCluster(ids, { preVote: false });
  c.step(1, { type: 'campaign' });
  expect(c.node(1).role()).toBe('candidate');
  expect(c.node(1).term()).toBe(1);
  c.queue = [];
  return c;
}

describe('§5.2: the first vote a candidate records from a peer in a term stands', () => {
  it('a refusal is not turned into a grant by a later response', () => {
    const c = candidate([1, 2, 3]);
    // act: node 2 refuses, then a response from node 2 that grants arrives.
    c.deliver(vote(2, false));
    c.deliver(vote(2, true));
    // check: {1} is no majority of {1,2,3} (observed with the bug: node 1 became leader).
    expect(c.node(1).isLeader(), 'node 2 refused first; its later grant must not count').toBe(false);
    // check: a real grant from node 3 still wins.
    c.deliver(vote(3, true));
    expect(c.node(1).isLeader()).toBe(true);
  });

  it('a grant is not turned into a refusal by a later response', () => {
    const c = candidate([1, 2, 3, 4, 5]);
    // act: node 2 grants, then a response from node 2 that refuses arrives; node 3 grants.
    c.deliver(vote(2, true));
    c.deliver(vote(2, false));
    c.deliver(vote(3, true));
    // check: {1,2,3} is a majority of five (observed with the bug: node 2's grant was lost,
    // and node 1 was still a candidate).
    expect(c.node(1).isLeader(), 'node 2 granted first; its later refusal must not count').toBe(true);
  });
});
