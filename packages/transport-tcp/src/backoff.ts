/**
 * Reconnect delays: capped exponential backoff with "equal jitter". Attempt n waits a
 * random time in [d/2, d] where d = min(maxDelayMs, initialDelayMs * 2^n): never less than
 * half the exponential step (no reconnect storm), yet spread so that a cluster that lost a
 * peer does not reconnect in lockstep.
 */

/** The delay before reconnect attempt `attempt` (0 for the first retry), in ms. */
export function backoffDelay(
  attempt: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: () => number = Math.random,
): number {
  // 2^attempt overflows to Infinity for huge attempts; Math.min caps it.
  const step = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempt, 64));
  return Math.round(step / 2 + (random() * step) / 2);
}
