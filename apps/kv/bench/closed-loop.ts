/**
 * The closed-loop load of the kv benchmarks (`load.ts`, `shards.ts`): C clients for D
 * seconds, each one request at a time on its own keep-alive connection, keys drawn at random
 * from a key space; the request for a key (and where it goes) is the caller's. Latencies of
 * the requests answered 200 (404 too for reads) give ops/s and percentiles; everything else
 * counts as an error. The clients are `HttpConnection`s, not Node's `http` client (which costs
 * more CPU per request than the servers it measures here).
 */
import { LoadClient } from './http-connection.js';

/** One request: its URL, method and body. */
export interface LoadRequest {
  readonly path: string;
  readonly method: string;
  readonly body?: Buffer;
}

export interface LoadResult {
  ops: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  errors: number;
}

export interface ClosedLoopOptions {
  readonly concurrency: number;
  readonly seconds: number;
  /** Key space: keys are `k0` .. `k<keys - 1>`. */
  readonly keys: number;
  /** The request for `key` from client `client` (0 .. concurrency - 1). */
  readonly request: (key: string, client: number) => LoadRequest;
  /** Whether a 404 is an answer (reads of absent keys), not an error. Default false. */
  readonly notFoundIsAnswer?: boolean;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Run the load; resolves with its counts and latencies. */
export async function closedLoop(o: ClosedLoopOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const clients = Array.from({ length: o.concurrency }, () => new LoadClient());
  let errors = 0;
  const end = performance.now() + o.seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (loadClient, client) => {
        while (performance.now() < end) {
          const key = `k${Math.floor(Math.random() * o.keys)}`;
          const r = o.request(key, client);
          const t0 = performance.now();
          try {
            const status = await loadClient.send(r.method, r.path, r.body);
            if (status === 200 || (o.notFoundIsAnswer === true && status === 404))
              latencies.push(performance.now() - t0);
            else errors++;
          } catch {
            errors++;
          }
        }
      }),
    );
  } finally {
    for (const c of clients) c.close();
  }
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    opsPerSecond: Math.round(latencies.length / o.seconds),
    p50Ms: Number(percentile(latencies, 50).toFixed(2)),
    p99Ms: Number(percentile(latencies, 99).toFixed(2)),
    meanMs: latencies.length > 0 ? latencies.reduce((a, b) => a + b, 0) / latencies.length : Number.NaN,
    errors,
  };
}
