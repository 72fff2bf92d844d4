/**
 * The host-level soak: `pnpm --filter @raft-io/testkit sim:hosts [from] [count]` runs the
 * multi-Raft simulation (hosts with many groups, host crashes and partitions, quiescence) on
 * `count` seeds from `from` and prints every failing seed with its violations. Long; not in CI
 * (the CI slice is `test/host-simulation.test.ts`).
 */
import { formatHostViolations, simulateHosts } from '../src/sim/host-simulation.js';

const from = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 1000);
const started = performance.now();
let failed = 0;
let steps = 0;
for (let seed = from; seed < from + count; seed++) {
  const r = simulateHosts({ seed });
  steps += r.steps;
  if (!r.ok) {
    failed++;
    console.log(`seed ${seed}: ${r.hosts} hosts, ${r.groups} groups, raft ${JSON.stringify(r.raft)}`);
    console.log(formatHostViolations(r));
  }
}
const s = ((performance.now() - started) / 1000).toFixed(1);
console.log(`${count} seeds from ${from}: ${failed} failed, ${steps} steps, ${s} s`);
process.exitCode = failed > 0 ? 1 : 0;
