/**
 * Simulator throughput: node steps per second for the same seeds with the safety checkers
 * on and off (the baseline), per cluster size; the ratio is the checkers' overhead.
 *
 *   npx tsx --conditions @raft-io/source bench/simulator.ts
 */
import { simulate } from '../src/sim/simulation.js';

const SEEDS = 15;
console.log(
  'nodes'.padEnd(6),
  'scenario'.padEnd(10),
  'steps/s checked'.padStart(16),
  'steps/s bare'.padStart(14),
  'overhead'.padStart(9),
  'ms/seed'.padStart(9),
);
for (const nodes of [3, 5, 7]) {
  for (const scenario of ['calm', 'chaos']) {
    const rate = (check: boolean) => {
      let steps = 0;
      const t0 = performance.now();
      for (let seed = 1; seed <= SEEDS; seed++)
        steps += simulate({ seed, nodes, scenario, faultTicks: 1000, check }).steps;
      const ms = performance.now() - t0;
      return { perSecond: (steps / ms) * 1000, msPerSeed: ms / SEEDS };
    };
    rate(true); // warm up
    const checked = rate(true);
    const bare = rate(false);
    console.log(
      String(nodes).padEnd(6),
      scenario.padEnd(10),
      checked.perSecond.toFixed(0).padStart(16),
      bare.perSecond.toFixed(0).padStart(14),
      `${(bare.perSecond / checked.perSecond).toFixed(2)}x`.padStart(9),
      checked.msPerSeed.toFixed(1).padStart(9),
    );
  }
}
