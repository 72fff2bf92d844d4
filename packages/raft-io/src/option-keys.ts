/**
 * Unknown option keys are an error (issue 13): a misspelt option (`tickIntervalMS`,
 * `snapshotEvery`) used to be ignored without a word, leaving the default in force. Every
 * options object `RaftServer` takes is checked against the keys it knows, and the error
 * names the unknown key and the nearest known one.
 */
import { InvalidConfigError } from '@raft-io/core';

/** Levenshtein distance, case-insensitive (small strings: a plain two-row table). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[y.length]!;
}

/** The known key nearest to `key`, if one is near enough to be a likely typo. */
export function nearestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  // A third of the key's length (at least 2 edits) separates a typo from another word.
  return best !== undefined && bestDistance <= Math.max(2, Math.ceil(key.length / 3)) ? best : undefined;
}

/**
 * Throws `InvalidConfigError` for the first own key of `options` that is not in `known`,
 * naming it under `path` (e.g. `tcp.reconnect`) and the nearest known key.
 */
export function checkKeys(options: object, known: readonly string[], path = ''): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const field = path === '' ? key : `${path}.${key}`;
    const near = nearestKey(key, known);
    throw new InvalidConfigError(
      field,
      near === undefined
        ? `unknown option (known: ${known.join(', ')})`
        : `unknown option; did you mean ${path === '' ? near : `${path}.${near}`}?`,
    );
  }
}
