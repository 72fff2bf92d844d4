#!/usr/bin/env node
/**
 * Summarize a V8 CPU profile (`node --cpu-prof`, or the kv bench's `--cpu-prof DIR`): how busy
 * the process was, and the functions with the most self time, each with its share of the busy
 * time and where it is defined.
 *
 *   node bench/profile-summary.mjs FILE.cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' } },
});
if (positionals.length !== 1) {
  console.error('usage: node bench/profile-summary.mjs FILE.cpuprofile [--top N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
// Each sample names the node that ran; timeDeltas[i] is the time before sample i.
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const idle = new Set(['(idle)', '(program)']);
const byFunction = new Map();
let totalUs = 0;
let busyUs = 0;
for (const [id, us] of selfUs) {
  const { callFrame } = byId.get(id);
  totalUs += us;
  if (callFrame.functionName === '(idle)') continue;
  busyUs += us;
  if (idle.has(callFrame.functionName)) continue;
  const where = callFrame.url ? `${basename(callFrame.url)}:${callFrame.lineNumber + 1}` : '(native)';
  const key = `${callFrame.functionName || '(anonymous)'}  ${where}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const pct = (us, of) => `${((100 * us) / of).toFixed(1)}%`.padStart(6);
console.log(
  `${basename(positionals[0])}: ${(totalUs / 1e6).toFixed(1)} s profiled, busy ${pct(busyUs, totalUs)} (of one core)`,
);
const rows = [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
for (const [key, us] of rows)
  console.log(`${pct(us, busyUs)} of busy  ${(us / 1000).toFixed(0).padStart(6)} ms  ${key}`);
