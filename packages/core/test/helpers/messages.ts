/**
 * Messages for tests that step one node by hand: each builder fills in a plausible message
 * from node 2 to node 1 in term 1, and the test overrides what it is about.
 */
import type {
  AppendEntriesMessage,
  AppendEntriesResponseMessage,
  HeartbeatMessage,
  RequestVoteMessage,
} from '../../src/index.js';

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

/** A successful append answer from node 2 to leader 1 at `index`. */
export const appendResponse = (
  over: Partial<AppendEntriesResponseMessage> = {},
): AppendEntriesResponseMessage => ({
  type: 'append-entries-response',
  from: 2,
  to: 1,
  term: 1,
  success: true,
  index: 0,
  hintIndex: 0,
  hintTerm: 0,
  ...over,
});
