/**
 * Runnable example: simulate a five-node cluster through the chaos scenario, then check a
 * hand-written client history for linearizability.
 *
 *   npx pnpm@10.34.8 --filter @raft-io/testkit example
 */
import { checkKvHistory, formatViolation, simulate } from '@raft-io/testkit';

const result = simulate({ seed: 42, nodes: 5, scenario: 'chaos', faultTicks: 1000 });
console.log(
  `seed ${result.seed}: ${result.steps} steps, commit index ${result.commits}, ` +
    `${result.workload.ok} client operations ok, faults ${JSON.stringify(result.faults)}, ` +
    `linearizability ${result.linearizability?.verdict}, trace hash ${result.traceHash}`,
);
for (const v of result.violations) console.log(formatViolation(v));

// A stale read: put(x, 1) completed before get(x) began, yet the get saw nothing.
const verdict = checkKvHistory([
  {
    id: 0,
    client: 0,
    input: { kind: 'put', key: 'x', value: '1' },
    output: { kind: 'put' },
    outcome: 'ok',
    call: 0,
    ret: 1,
  },
  {
    id: 1,
    client: 1,
    input: { kind: 'get', key: 'x' },
    output: { kind: 'get', value: null },
    outcome: 'ok',
    call: 2,
    ret: 3,
  },
]);
console.log(`stale read history: ${verdict.verdict}`);
