/**
 * Crash consistency of snapshot files (D28), with real processes: a child runs a leader and
 * its learner with streaming snapshots (written, sent, received, restored in a loop) and is
 * SIGKILLed at a random moment; the next child starts both nodes from what is on disk. Every
 * start must succeed and restore a whole snapshot: the state a node comes back with is that of
 * some number of applied commands (the count and the running hash agree), never a mix of two
 * snapshots or a cut one (the state machine checks every byte against its header), and each
 * snapshot directory holds, once started, only the file its log names. Sometimes the learner
 * starts empty, so kills land in receives too.
 *
 * `RAFT_IO_SNAPSHOT_CRASH_ITERATIONS` overrides the number of kills (`pnpm soak:snapshots`
 * runs 500) and `RAFT_IO_SNAPSHOT_CRASH_SEED` the seed of the kill times.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from './helpers/cluster.js';
import { runUntilKilled, xorshift } from './helpers/kill-child.js';
import { expectedState } from './helpers/synthetic-machine.js';

const ITERATIONS = Number(process.env.RAFT_IO_SNAPSHOT_CRASH_ITERATIONS ?? 50);
const SEED = Number(process.env.RAFT_IO_SNAPSHOT_CRASH_SEED ?? 1271228750);
const CHILD = fileURLToPath(new URL('./fixtures/snapshot-crash-child.ts', import.meta.url));
const SIZE = 3 * 1024 * 1024;
const root = mkdtempSync(join(tmpdir(), 'raft-io-snapcrash-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  states: Map<number, { count: number; hash: number }>;
  /** Each node's snapshot directory right after its start. */
  startFiles: Map<number, string[]>;
  ready: boolean;
  snaps: number;
  stderr: string;
  code: number | null;
}

async function runChild(ports: number[], fresh: boolean, killAfterMs: number): Promise<Run> {
  const args = [root, String(ports[0]), String(ports[1]), fresh ? '1' : '0', String(SIZE)];
  const child = await runUntilKilled(CHILD, args, killAfterMs, 20_000);
  const run: Run = {
    states: new Map(),
    startFiles: new Map(),
    ready: false,
    snaps: 0,
    stderr: child.stderr,
    code: child.code,
  };
  for (const line of child.lines) {
    const [kind, a, b, c] = line.split(' ');
    if (kind === 'files') run.startFiles.set(Number(a), line.split(' ').slice(2).filter(Boolean));
    else if (kind === 'state') run.states.set(Number(a), { count: Number(b), hash: Number(c) });
    else if (kind === 'ready') run.ready = true;
    else if (kind === 'snap') run.snaps++;
  }
  return run;
}

describe('snapshot files survive SIGKILL (take, receive, restore)', () => {
  it(`every restart restores a whole snapshot, through ${ITERATIONS} kills (seed ${SEED})`, async () => {
    const random = xorshift(SEED);
    const ports = await freePorts(2);
    let snaps = 0;
    let freshStarts = 0;
    for (let i = 0; i <= ITERATIONS; i++) {
      // init: one time in four the learner starts empty and receives a snapshot
      const fresh = i === 0 || random() < 0.25;
      if (fresh) {
        rmSync(join(root, 'n2'), { recursive: true, force: true });
        freshStarts++;
      }
      // act: run, kill at a random moment (the last run is only started and checked)
      const run = await runChild(ports, fresh, i === ITERATIONS ? 0 : Math.floor(random() * 600));
      // check: both nodes started from their disks, each with a whole state
      expect(run.ready, `run ${i} did not start:\n${run.stderr}`).toBe(true);
      for (const [id, state] of run.states) {
        const expected = expectedState(
          Array.from({ length: state.count }, () => new TextEncoder().encode('x')),
        );
        expect(state, `node ${id} in run ${i}`).toEqual(expected);
        // a start keeps the one file its log names and removes every other (D28)
        const atStart = run.startFiles.get(id) ?? [];
        expect(
          atStart.filter((f) => f.endsWith('.snap') || f.endsWith('.tmp')).length,
          `node ${id} files at start ${atStart}`,
        ).toBeLessThanOrEqual(1);
        // at the kill: the stored file, one a sender still reads, and a new one not yet pruned
        const files = readdirSync(join(root, `n${id}`, 'snapshots')).filter((f) => !f.endsWith('.tmp'));
        expect(
          files.filter((f) => f.endsWith('.snap')).length,
          `node ${id} files ${files}`,
        ).toBeLessThanOrEqual(3);
      }
      snaps += run.snaps;
    }
    // the kills landed while snapshots were being taken and sent
    expect(snaps).toBeGreaterThan(ITERATIONS);
    expect(freshStarts).toBeGreaterThan(0);
  }, 600_000);
});
