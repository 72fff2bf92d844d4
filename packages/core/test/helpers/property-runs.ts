/**
 * How many random schedules a property test runs: `base`, scaled by `RAFT_IO_PROPERTY_SCALE`
 * (default 1). Mutation runs set it below 1 (vitest.stryker.config.ts): a surviving mutant
 * reruns every test that covers it, and the property tests are most of that time. Fewer
 * schedules can only kill fewer mutants, so the score measured that way is a lower bound.
 * `named` (e.g. SNAPSHOT_RUNS) overrides both, for a long local run.
 */
export function propertyRuns(base: number, named?: string): number {
  const explicit = named === undefined ? undefined : process.env[named];
  if (explicit !== undefined) return Number(explicit);
  const scale = Number(process.env.RAFT_IO_PROPERTY_SCALE ?? 1);
  return Math.max(1, Math.round(base * scale));
}
