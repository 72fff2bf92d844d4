/**
 * Crash durability with a real process. A child appends (and truncates, snapshots,
 * compacts) in a loop and prints each write's intent before it and an ack after `write()`
 * returns; the parent SIGKILLs it at a random moment, reopens the log and checks that it
 * holds exactly every acknowledged write, plus at most the one write in flight, whole: every
 * entry's term and data checksum, the snapshot, and a hard state consistent with the entries.
 *
 * `RAFT_LOG_SQLITE_CRASH_ITERATIONS` overrides the number of kills (`pnpm soak` runs 1000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLog } from '../src/index.js';
import { type Intent, rng, toLogWrite } from './fixtures/crash-workload.js';
import { applyWrite, digestLog, digestModel, emptyModel, type LogModel } from './helpers/log-model.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

const ITERATIONS = Number(process.env.RAFT_LOG_SQLITE_CRASH_ITERATIONS ?? 50);
const SEED = Number(process.env.RAFT_LOG_SQLITE_CRASH_SEED ?? Date.now() % 0x7fffffff);
const WRITER = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

interface ChildRun {
  /** Writes acknowledged after `write()` returned. */
  acked: Intent[];
  /** The write that was in flight when the child died, if any. */
  pending: Intent | undefined;
  ready: boolean;
  stderr: string;
  signal: NodeJS.Signals | null;
}

/** Run one child on `path` and SIGKILL it `killAfterMs` after it is ready (or after spawn). */
function runChild(
  path: string,
  seed: number,
  mode: 'full' | 'group',
  killAfterMs: number,
  waitReady: boolean,
) {
  return new Promise<ChildRun>((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=@raft-io/source', '--import', 'tsx', WRITER, path, String(seed), mode],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill = () => child.kill('SIGKILL');
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      out += chunk;
      if (waitReady && timer === undefined && out.includes('ready ')) timer = setTimeout(kill, killAfterMs);
    });
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
    });
    if (!waitReady) timer = setTimeout(kill, killAfterMs);
    // Never leave a child behind, even if it hangs before it is ready.
    const guard = setTimeout(kill, 20_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      const lines = out.split('\n');
      lines.pop(); // an unterminated last line was cut by the kill
      const run: ChildRun = { acked: [], pending: undefined, ready: false, stderr, signal };
      for (const line of lines) {
        if (line.startsWith('ready ')) run.ready = true;
        else if (line.startsWith('intent ')) run.pending = JSON.parse(line.slice(7)) as Intent;
        else if (line === 'ack') {
          if (run.pending === undefined) return reject(new Error('ack without an intent'));
          run.acked.push(run.pending);
          run.pending = undefined;
        }
      }
      resolve(run);
    });
  });
}

/** Hard-state invariants the workload keeps: they must hold in whatever state survived. */
function checkConsistent(log: SqliteLog): void {
  const hs = log.hardState();
  const last = log.lastIndex();
  expect(hs.commit).toBeLessThanOrEqual(last);
  expect(hs.commit).toBeGreaterThanOrEqual(log.firstIndex() - 1);
  expect(hs.term).toBeGreaterThanOrEqual(log.term(last));
}

describe('crash durability (SIGKILL of a writing process)', () => {
  afterAll(removeTempDirs);

  it(
    `keeps every acknowledged write through ${ITERATIONS} kills (seed ${SEED})`,
    async () => {
      const path = join(tempDir(), 'crash.db');
      const random = rng(SEED);
      let model: LogModel = emptyModel();
      let kills = 0;
      let acked = 0;
      let inFlightKept = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const mode = random() < 0.3 ? 'group' : 'full';
        // Mostly mid-write; one run in eight dies while starting up and opening the log.
        const waitReady = random() >= 0.125;
        const delay = waitReady ? Math.floor(random() * 80) : 100 + Math.floor(random() * 250);
        const child = await runChild(path, Math.floor(random() * 0x7fffffff), mode, delay, waitReady);
        if (child.signal !== 'SIGKILL') throw new Error(`the writer exited by itself:\n${child.stderr}`);
        kills++;
        acked += child.acked.length;
        for (const intent of child.acked) model = applyWrite(model, toLogWrite(intent));

        const log = SqliteLog.open(path);
        try {
          const seen = digestLog(log);
          // Every acknowledged write is there; the one in flight is there whole or not at all.
          const withPending = child.pending && applyWrite(model, toLogWrite(child.pending));
          if (withPending && JSON.stringify(seen) === JSON.stringify(digestModel(withPending))) {
            model = withPending;
            inFlightKept++;
          } else {
            expect(seen).toEqual(digestModel(model));
          }
          checkConsistent(log);
        } finally {
          log.close();
        }
      }
      expect(kills).toBe(ITERATIONS);
      // The workload did work: a run that acknowledged nothing would prove nothing.
      expect(acked).toBeGreaterThan(ITERATIONS * 5);
      console.log(
        `crash test: ${kills} kills, ${acked} acknowledged writes, ${inFlightKept} in-flight writes kept`,
      );
    },
    30_000 + ITERATIONS * 3_000,
  );
});
