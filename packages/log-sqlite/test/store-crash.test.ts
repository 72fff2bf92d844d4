/**
 * Crash durability of a log store with a real process, as a multi-Raft host uses it: a child
 * writes batches (one write each in a random subset of groups, then one sync for all) and
 * prints each write's intent before it and an ack once the batch's sync returned; the parent
 * SIGKILLs it at a random moment (often mid-batch: some groups written, the sync not done),
 * reopens the store and checks every group: it holds exactly every acknowledged write, plus
 * at most its one write of the batch in flight, whole.
 *
 * `RAFT_LOG_SQLITE_STORE_CRASH_ITERATIONS` overrides the number of kills.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteLogStore } from '../src/index.js';
import { type Intent, rng, toLogWrite } from './fixtures/crash-workload.js';
import { applyWrite, digestLog, digestModel, emptyModel, type LogModel } from './helpers/log-model.js';
import { removeTempDirs, tempDir } from './helpers/temp-dir.js';

const ITERATIONS = Number(process.env.RAFT_LOG_SQLITE_STORE_CRASH_ITERATIONS ?? 12);
const SEED = Number(process.env.RAFT_LOG_SQLITE_CRASH_SEED ?? Date.now() % 0x7fffffff);
const GROUPS = 8;
const WRITER = fileURLToPath(new URL('./fixtures/store-crash-writer.ts', import.meta.url));

interface ChildRun {
  /** Batches acknowledged after their sync returned: each a list of (group, intent). */
  acked: [number, Intent][][];
  /** The batch in flight when the child died. */
  pending: [number, Intent][];
  signal: NodeJS.Signals | null;
  stderr: string;
}

function runChild(path: string, seed: number, killAfterMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['--conditions=@raft-io/source', '--import', 'tsx', WRITER, path, String(seed), String(GROUPS)],
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
      if (timer === undefined && out.includes('ready\n')) timer = setTimeout(kill, killAfterMs);
    });
    child.stderr!.on('data', (chunk: string) => {
      stderr += chunk;
    });
    const guard = setTimeout(kill, 20_000);
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      clearTimeout(timer);
      clearTimeout(guard);
      const lines = out.split('\n');
      lines.pop(); // an unterminated last line was cut by the kill
      const run: ChildRun = { acked: [], pending: [], signal, stderr };
      for (const line of lines) {
        if (line.startsWith('intent ')) {
          const rest = line.slice(7);
          const space = rest.indexOf(' ');
          run.pending.push([Number(rest.slice(0, space)), JSON.parse(rest.slice(space + 1)) as Intent]);
        } else if (line === 'ack') {
          run.acked.push(run.pending);
          run.pending = [];
        }
      }
      resolve(run);
    });
  });
}

describe('store crash durability (SIGKILL of a host writing many groups)', () => {
  afterAll(removeTempDirs);

  it(
    `keeps every acknowledged write of every group through ${ITERATIONS} kills (seed ${SEED})`,
    async () => {
      const path = join(tempDir(), 'store.db');
      const random = rng(SEED);
      const models = new Map<number, LogModel>(
        Array.from({ length: GROUPS }, (_, i) => [i + 1, emptyModel()] as [number, LogModel]),
      );
      let acked = 0;
      let midBatch = 0;
      for (let i = 0; i < ITERATIONS; i++) {
        const child = await runChild(
          path,
          Math.floor(random() * 0x7fffffff),
          20 + Math.floor(random() * 150),
        );
        if (child.signal !== 'SIGKILL') throw new Error(`the writer exited by itself:\n${child.stderr}`);
        for (const batch of child.acked) {
          acked += batch.length;
          for (const [group, intent] of batch)
            models.set(group, applyWrite(models.get(group)!, toLogWrite(intent)));
        }
        if (child.pending.length > 0) midBatch++;
        const pending = new Map(child.pending);
        const store = SqliteLogStore.open(path);
        try {
          expect(store.groups()).toEqual(Array.from({ length: GROUPS }, (_, g) => g + 1));
          for (const [group, model] of models) {
            const seen = digestLog(store.group(group));
            // Every acknowledged write is there; the group's write in flight whole or not at all.
            const inFlight = pending.get(group);
            const withPending = inFlight && applyWrite(model, toLogWrite(inFlight));
            if (withPending && JSON.stringify(seen) === JSON.stringify(digestModel(withPending))) {
              models.set(group, withPending);
            } else {
              expect({ group, seen }).toEqual({ group, seen: digestModel(model) });
            }
          }
        } finally {
          store.close();
        }
      }
      // The workload did work, and kills did land in the middle of batches.
      expect(acked).toBeGreaterThan(ITERATIONS * 5);
      expect(midBatch).toBeGreaterThan(0);
    },
    30_000 + ITERATIONS * 3_000,
  );
});
