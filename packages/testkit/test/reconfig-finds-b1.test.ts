/**
 * The reconfig scenario has teeth: with the commit-in-term rule of the core reverted (issue
 * 11, B1: a new leader whose log had no uncommitted tail skipped the empty entry and could
 * change the membership at once), the mixed seeds of the scenario find a safety violation
 * within a few hundred seeds, and the real core passes the same seeds.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runSeeds } from '../src/sim/run-seeds.js';
import { loadPatchedCore } from './helpers/patched-core.js';

/** The core as it was before the fix. */
const B1_REVERTED = [
  {
    file: 'raft-node.ts',
    search: "if (this.currentTerm > 1) this.appendEntries([{ type: 'empty', data: EMPTY }]);",
    replace:
      "if (last > this.commit) this.appendEntries([{ type: 'empty', data: EMPTY }]); else (this as any).noTailAtElection = true;",
  },
  {
    file: 'raft-node.ts',
    search: 'committedEntryInCurrentTerm: this.committedEntryInCurrentTerm(),\n    });',
    replace:
      'committedEntryInCurrentTerm: this.committedEntryInCurrentTerm() || (this as any).noTailAtElection === true,\n    });',
  },
  {
    file: 'raft-node.ts',
    search: '    this.leaderState = ls;\n',
    replace: '    this.leaderState = ls;\n    (this as any).noTailAtElection = false;\n',
  },
];

const SEEDS = 400;
let remove = () => {};

describe('the reconfig scenario finds B1 when the fix is reverted', () => {
  afterAll(() => remove());

  it(`a safety violation within ${SEEDS} seeds (3, 5 and 7 nodes)`, { timeout: 120_000 }, async () => {
    const patched = await loadPatchedCore('b1-reverted', B1_REVERTED);
    remove = patched.remove;
    const broken = runSeeds({
      seeds: SEEDS,
      scenario: 'reconfig',
      overrides: { nodeFactory: (config, log) => new patched.core.RaftNode(config, log) },
    });
    expect(broken.failures.length).toBe(1);
    const found = broken.failures[0]!;
    const properties = found.result.violations.map((v) => v.property);
    expect(
      properties.some(
        (p) => p === 'leader-completeness' || p === 'state-machine-safety' || p === 'log-matching',
      ),
    ).toBe(true);
    // The real core passes the same seeds up to the one that failed.
    const fixed = runSeeds({ seeds: found.plan.seed, scenario: 'reconfig' });
    expect(fixed.failures).toEqual([]);
  });
});
