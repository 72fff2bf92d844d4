/**
 * The shared log of a `RaftHost` survives SIGKILL (real processes, a real SQLite file): a
 * child hosts groups whose logs share one file and one fsync per turn, writes to all of them
 * at once and is killed at a random moment, again and again, creating one more group each
 * time. Every restart must bring back, in every group, every write the child acknowledged
 * before the kill, in order and with nothing in between.
 *
 * `RAFT_IO_HOST_CRASH_ITERATIONS` overrides the number of kills (`pnpm soak:hosts` runs 200) and `RAFT_IO_HOST_CRASH_SEED`
 * the seed of the kill times.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runUntilKilled, xorshift } from './helpers/kill-child.js';

const ITERATIONS = Number(process.env.RAFT_IO_HOST_CRASH_ITERATIONS ?? 15);
const SEED = Number(process.env.RAFT_IO_HOST_CRASH_SEED ?? 418_829_301);
const CHILD = fileURLToPath(new URL('./fixtures/host-crash-child.ts', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'raft-io-hostcrash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  /** Each group's restored state: applied count, and whether the values came in order. */
  states: Map<number, { count: number; ok: boolean }>;
  /** The highest value acknowledged per group. */
  acked: Map<number, number>;
  ready: boolean;
  stderr: string;
}

async function runChild(newGroup: number, killAfterMs: number): Promise<Run> {
  const child = await runUntilKilled(CHILD, [root, String(newGroup)], killAfterMs);
  const run: Run = { states: new Map(), acked: new Map(), ready: false, stderr: child.stderr };
  for (const line of child.lines) {
    const [kind, a, b, c] = line.split(' ');
    if (kind === 'state') run.states.set(Number(a), { count: Number(b), ok: c === 'ok' });
    else if (kind === 'ready') run.ready = true;
    else if (kind === 'ack') run.acked.set(Number(a), Math.max(run.acked.get(Number(a)) ?? 0, Number(b)));
  }
  return run;
}

describe('the shared log of a RaftHost survives SIGKILL', () => {
  it(`no acknowledged write of any group is lost, through ${ITERATIONS} kills mid-batch (seed ${SEED})`, async () => {
    const random = xorshift(SEED);
    /** The highest value acknowledged so far, per group. */
    const acked = new Map<number, number>();
    let acks = 0;
    for (let i = 0; i <= ITERATIONS; i++) {
      // act: run (creating group i + 1), kill at a random moment; the last run is only checked.
      const run = await runChild(i + 1, i === ITERATIONS ? 0 : 100 + Math.floor(random() * 400));
      // check: the host started from its file and every group is back with all it acknowledged.
      expect(run.ready, `run ${i} did not start:\n${run.stderr}`).toBe(true);
      for (const [group, value] of acked) {
        const state = run.states.get(group);
        expect(state, `group ${group} missing in run ${i}`).toBeDefined();
        expect(state!.ok, `group ${group} applied out of order in run ${i}`).toBe(true);
        expect(state!.count, `group ${group} lost acknowledged writes in run ${i}`).toBeGreaterThanOrEqual(
          value,
        );
      }
      for (const [group, value] of run.acked) {
        acked.set(group, Math.max(acked.get(group) ?? 0, value));
        acks++;
      }
    }
    // the kills landed while many groups were writing
    expect(acks).toBeGreaterThan(ITERATIONS);
    expect(acked.size).toBeGreaterThan(ITERATIONS / 2);
  }, 300_000);
});
