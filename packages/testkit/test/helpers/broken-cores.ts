/**
 * The model checker's teeth: deliberately broken cores, each one small textual patch of
 * @raft-io/core's source applied to a copy in the test (`loadPatchedCore`), never in the
 * product. A patch must match exactly once, so when the core's code moves the test fails
 * loudly: re-point `search` at the new code.
 */
import type { CheckProperty } from '../../src/check/invariants.js';
import type { CorePatch } from './patched-core.js';

export interface BrokenCore {
  /** A file name for the patched copy. */
  readonly id: string;
  /** What the patch breaks, in one line. */
  readonly name: string;
  readonly patch: CorePatch;
  /** The named scenario that must find it (at its CI bounds). */
  readonly scenario: string;
  /** The properties its counterexample may violate. */
  readonly expect: readonly CheckProperty[];
}

export const BROKEN_CORES: readonly BrokenCore[] = [
  {
    id: 'b1-membership-before-term-commit',
    name: "B1: a membership change before an entry of the leader's term is committed",
    patch: {
      file: 'membership.ts',
      search: '  if (ctx.term > 1 && !ctx.committedEntryInCurrentTerm) {',
      replace: '  if (false) {',
    },
    scenario: 'membership-single',
    expect: ['membership-safety', 'state-machine-safety', 'leader-completeness'],
  },
  {
    id: 'figure-8-rule-removed',
    name: 'the Figure 8 rule removed: a leader counts replicas for entries of earlier terms',
    patch: {
      file: 'raft-node.ts',
      search:
        'if (index <= this.commit || this.log.termOrUndefined(index) !== this.currentTerm) return false;',
      replace: 'if (index <= this.commit) return false;',
    },
    scenario: 'figure-8',
    expect: ['leader-completeness', 'state-machine-safety'],
  },
  {
    id: 'vote-without-up-to-date-check',
    name: 'a vote granted without the up-to-date check',
    patch: { file: 'raft-node.ts', search: '    if (canVote && upToDate) {', replace: '    if (canVote) {' },
    scenario: 'replication',
    expect: ['leader-completeness', 'state-machine-safety', 'log-matching'],
  },
  {
    id: 'learner-in-commit-quorum',
    name: 'a learner counted in the commit quorum',
    patch: {
      file: 'quorum/joint.ts',
      search:
        '    majorityCommitted(membership.voters, acked),\n    majorityCommitted(membership.outgoingVoters, acked),',
      // The q-th highest ack over voters and learners, q a majority of the voters alone.
      replace:
        '    [...membership.voters, ...membership.learners].map(acked).sort((a, b) => b - a)[membership.voters.length >> 1]!,\n    majorityCommitted(membership.outgoingVoters, acked),',
    },
    scenario: 'membership-joint',
    expect: ['commit-quorum'],
  },
  {
    id: 'read-index-without-heartbeat',
    name: 'ReadIndex served without a heartbeat round',
    patch: {
      file: 'read-only.ts',
      search: "  if (f.soleVoterIsSelf) return 'serve-now';",
      replace: "  if (f.soleVoterIsSelf || true) return 'serve-now';",
    },
    scenario: 'reads',
    expect: ['read-safety'],
  },
  {
    id: 'vote-not-persisted',
    name: 'the vote not persisted before the vote response is sent',
    patch: {
      file: 'raft-node.ts',
      search: '    const hs = { term: this.currentTerm, vote: this.votedFor, commit: this.commit };',
      // Only a vote for itself reaches the log; a vote for another node stays in memory.
      replace:
        '    const hs = { term: this.currentTerm, vote: this.votedFor === this.id ? this.id : this.saved.term === this.currentTerm ? this.saved.vote : null, commit: this.commit };',
    },
    scenario: 'election',
    expect: ['election-safety'],
  },
];
