/**
 * Messages for tests that step one node by hand: each builder fills in a plausible message
 * from node 2 to node 1 in term 1, and the test overrides what it is about.
 */
import type { AppendEntriesMessage, HeartbeatMessage, RequestVoteMessage } from '../../src/index.js';

export const voteRequest = (over: Partial<RequestVoteMessage> = {}): RequestVoteMessage => ({
  type: 'request-vote',
  from: 2,
  to: 1,
  term: 1,
  preVote: false,
  lastLogIndex: 0,
  lastLogTerm: 0,
  transfer: false,
  ...over,
});

export const heartbeat = (over: Partial<HeartbeatMessage> = {}): HeartbeatMessage => ({
  type: 'heartbeat',
  from: 2,
  to: 1,
  term: 1,
  commit: 0,
  context: 0,
  quiesce: false,
  ...over,
});

export const appendEntries = (over: Partial<AppendEntriesMessage> = {}): AppendEntriesMessage => ({
  type: 'append-entries',
  from: 2,
  to: 1,
  term: 1,
  prevLogIndex: 0,
  prevLogTerm: 0,
  entries: [],
  commit: 0,
  ...over,
});
