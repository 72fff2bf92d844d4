/**
 * A slice of simulator seeds for the runtime matrix: twenty seeds over every scenario, each
 * printed with its trace hash. The same seed must give the same trace on every runtime, so
 * the matrix compares this output, line for line, with Node's.
 */
import { SCENARIOS, simulate } from '@raft-io/testkit';

const scenarios = Object.keys(SCENARIOS).sort();
const failed: number[] = [];
for (let seed = 1; seed <= 20; seed++) {
  const scenario = scenarios[seed % scenarios.length]!;
  const result = simulate({ seed, nodes: seed % 2 === 1 ? 3 : 5, scenario, faultTicks: 300 });
  console.log(
    `seed ${seed} ${scenario}: ${result.steps} steps, ${result.commits} commits, ` +
      `${result.violations.length} violations, trace ${result.traceHash}`,
  );
  if (!result.ok) failed.push(seed);
}
if (failed.length > 0) throw new Error(`seeds with violations: ${failed.join(', ')}`);
