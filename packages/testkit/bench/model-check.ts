/**
 * raft-check's numbers: every named scenario at its CI bounds (or `--deep`) against the
 * installed core (distinct states, transitions, seconds, states per second), and the time
 * each deliberately broken core of the teeth test takes to its counterexample.
 *
 *   npx tsx --conditions @raft-io/source bench/model-check.ts [--deep] [--no-teeth]
 */
import { modelCheck } from '../src/check/model-check.js';
import { CHECK_SCENARIO_NAMES } from '../src/check/scenarios.js';
import type { CoreModule } from '../src/core-module.js';
import { BROKEN_CORES } from '../test/helpers/broken-cores.js';
import { loadPatchedCore } from '../test/helpers/patched-core.js';

const deep = process.argv.includes('--deep');
const num = (n: number) => Math.round(n).toLocaleString('en-US');

/** CPU seconds of this process since `since` (wall time is unreliable on a shared machine). */
const cpu = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

console.log(`| scenario | nodes | depth | distinct states | transitions | time | CPU | states/s | result |`);
console.log(`| --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
let total = 0;
let totalCpu = 0;
for (const name of CHECK_SCENARIO_NAMES) {
  const c0 = process.cpuUsage();
  const r = modelCheck({ scenario: name, deep });
  const c = cpu(c0);
  total += r.seconds;
  totalCpu += c;
  const result = r.ok ? (r.complete ? '0 violations' : 'incomplete') : `${r.violation!.property}`;
  console.log(
    `| ${name} | ${r.nodes} | ${r.bounds.depth} | ${num(r.states)} | ${num(r.transitions)} | ${r.seconds.toFixed(1)} s | ${c.toFixed(1)} s | ${num(r.statesPerSecond)} | ${result} |`,
  );
}
console.log(`\ntotal ${total.toFixed(1)} s (CPU ${totalCpu.toFixed(1)} s)\n`);

if (!process.argv.includes('--no-teeth')) {
  console.log(`| broken core | scenario | found | events | states | time to counterexample | CPU |`);
  console.log(`| --- | --- | --- | --- | --- | --- | --- |`);
  for (const b of BROKEN_CORES) {
    const { core, remove } = await loadPatchedCore(`bench-${b.id}`, [b.patch]);
    try {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      const r = modelCheck({ scenario: b.scenario, core: core as unknown as CoreModule, liveness: false });
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `| ${b.name} | ${b.scenario} | ${r.violation?.property ?? 'NOT FOUND'} | ${r.counterexample?.events ?? '-'} | ${num(r.states)} | ${seconds.toFixed(1)} s | ${cpu(c0).toFixed(1)} s |`,
      );
    } finally {
      remove();
    }
  }
}
