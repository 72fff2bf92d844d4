/**
 * The CI slice of the soak: 200 seeds across every scenario and 3, 5 and 7 nodes (each seed
 * draws its combination, as `raft-sim` does), 1000 fault ticks each, with zero violations.
 * A failure names the exact `raft-sim --replay` command. About half the seeds run the driver
 * with asynchronous storage writes (drawn per seed); a further bounded slice pins that mode
 * on the crash scenario, where lost writes matter most.
 */
import { describe, expect, it } from 'vitest';
import { formatViolation } from '../src/checkers/violation.js';
import { planOptions, planSeed, replayCommand } from '../src/sim/run-seeds.js';
import { simulate } from '../src/sim/simulation.js';

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

describe('soak slice: 200 seeds, every scenario, 3/5/7 nodes', () => {
  it.each(SEEDS)('seed %i', (seed) => {
    const plan = planSeed(seed, { steps: 1000 });
    const r = simulate(planOptions(plan));
    const report = r.violations.map(formatViolation).join('\n');
    expect(report, `${report}\nreplay: ${replayCommand(plan)}`).toBe('');
  });
});

const ASYNC_SEEDS = Array.from({ length: 40 }, (_, i) => 10_001 + i);

describe('soak slice: asynchronous storage writes under crashes (40 seeds)', () => {
  it.each(ASYNC_SEEDS)('seed %i', (seed) => {
    const plan = planSeed(seed, { steps: 1000, scenario: 'crash' });
    const r = simulate(planOptions(plan, { raft: { asyncStorageWrites: true } }));
    const report = r.violations.map(formatViolation).join('\n');
    expect(report, `${report}\nreplay: ${replayCommand(plan, true, true)}`).toBe('');
  });
});
