/**
 * Deliberately broken cores for the model checker's teeth, built only in tests: a copy of
 * packages/core/src in a temporary directory with one small textual patch applied, loaded
 * through vitest (which imports TypeScript directly). Each patch must apply exactly once, so
 * a test fails loudly when the core's code moves: re-point `search` at the new code.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckProperty } from '../../src/check/invariants.js';
import type { CoreModule } from '../../src/core-module.js';

export interface CorePatch {
  /** What the patch breaks, in one line. */
  readonly name: string;
  /** A file under packages/core/src. */
  readonly file: string;
  /** Text that occurs exactly once in the file. */
  readonly search: string;
  readonly replace: string;
  /** The scenario that must find it, and the properties its counterexample may violate. */
  readonly scenario: string;
  readonly nodes?: number;
  readonly expect: readonly CheckProperty[];
}

export const BROKEN_CORES: readonly CorePatch[] = [
  {
    name: 'B1: a membership change before an entry of the leader\'s term is committed',
    file: 'raft-node.ts',
    search: '    if (!this.committedInTerm) {\n      // Commit-in-current-term rule',
    replace: '    if (false) {\n      // Commit-in-current-term rule',
    scenario: 'membership-single',
    expect: ['membership-safety', 'state-machine-safety', 'leader-completeness'],
  },
  {
    name: 'Figure 8 rule removed: a leader counts replicas for entries of earlier terms',
    file: 'raft-node.ts',
    search: 'if (index <= this.commit || this.log.termOrUndefined(index) !== this.currentTerm) return false;',
    replace: 'if (index <= this.commit) return false;',
    scenario: 'figure-8',
    expect: ['leader-completeness', 'state-machine-safety'],
  },
  {
    name: 'a vote granted without the up-to-date check',
    file: 'raft-node.ts',
    search: '    if (canVote && upToDate) {',
    replace: '    if (canVote) {',
    scenario: 'replication',
    expect: ['leader-completeness', 'state-machine-safety', 'log-matching'],
  },
  {
    name: 'a learner counted in the commit quorum',
    file: 'quorum/joint.ts',
    search: '    majorityCommitted(membership.voters, acked),\n    majorityCommitted(membership.outgoingVoters, acked),',
    replace:
      '    [...membership.voters, ...membership.learners].map(acked).sort((a, b) => b - a)[membership.voters.length >> 1]!,\n    majorityCommitted(membership.outgoingVoters, acked),',
    scenario: 'membership-joint',
    expect: ['commit-quorum'],
  },
  {
    name: 'ReadIndex served without a heartbeat round',
    file: 'raft-node.ts',
    search: '    if (singleVoter || this.cfg.leaseRead) {',
    replace: '    if (true) {',
    scenario: 'reads',
    expect: ['read-safety'],
  },
  {
    name: 'the vote not persisted before the vote response is sent',
    file: 'raft-node.ts',
    search: '    const hs = { term: this.currentTerm, vote: this.votedFor, commit: this.commit };',
    replace:
      '    const hs = { term: this.currentTerm, vote: this.votedFor === this.id ? this.id : this.saved.term === this.currentTerm ? this.saved.vote : null, commit: this.commit };',
    scenario: 'election',
    expect: ['election-safety'],
  },
];

const coreSrc = fileURLToPath(new URL('../../../core/src/', import.meta.url));

/** A copy of the core's source with `patch` applied; throws unless it applies exactly once. */
export function patchedCoreDir(patch: CorePatch): string {
  const dir = mkdtempSync(join(tmpdir(), 'raft-check-core-'));
  cpSync(coreSrc, join(dir, 'src'), { recursive: true });
  const file = join(dir, 'src', patch.file);
  const text = readFileSync(file, 'utf8');
  const count = text.split(patch.search).length - 1;
  if (count !== 1) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `patch "${patch.name}" must match exactly once in core/src/${patch.file}, matched ${count} times: re-point its search text at the current code`,
    );
  }
  writeFileSync(file, text.replace(patch.search, patch.replace));
  return dir;
}

/** Load a patched core (vitest or tsx import TypeScript directly). */
export async function loadPatchedCore(dir: string): Promise<CoreModule> {
  return (await import(join(dir, 'src', 'index.ts'))) as CoreModule;
}
