/**
 * Linearizability checker throughput. Each case generates a history from a real atomic map
 * (the baseline: one linear pass over the operations) and checks it; the ratio says how many
 * times the generation cost the check takes.
 *
 *   npx tsx --conditions @raft-io/source bench/linearizability.ts
 */
import { checkKvHistory, generateKvHistory } from '../src/linearizability/index.js';

const cases = [
  { name: '10k ops, 100 keys, 20 clients', operations: 10_000, keys: 100, clients: 20, unknownRate: 0.02 },
  { name: '10k ops, 10 keys, 50 clients', operations: 10_000, keys: 10, clients: 50, unknownRate: 0.02 },
  {
    name: '2k ops, 1 key, 10 clients, 5% unknown',
    operations: 2_000,
    keys: 1,
    clients: 10,
    unknownRate: 0.05,
  },
  { name: '50k ops, 100 keys, 20 clients', operations: 50_000, keys: 100, clients: 20, unknownRate: 0.02 },
];

console.log(
  'case'.padEnd(42),
  'generate ms'.padStart(12),
  'check ms'.padStart(10),
  'ratio'.padStart(8),
  'steps'.padStart(10),
  'verdict',
);
for (const c of cases) {
  const t0 = performance.now();
  const history = generateKvHistory({ seed: 1, ...c });
  const t1 = performance.now();
  const r = checkKvHistory(history);
  const t2 = performance.now();
  const gen = t1 - t0;
  const check = t2 - t1;
  console.log(
    c.name.padEnd(42),
    gen.toFixed(1).padStart(12),
    check.toFixed(1).padStart(10),
    `${(check / gen).toFixed(1)}x`.padStart(8),
    String(r.steps).padStart(10),
    r.verdict,
  );
}
