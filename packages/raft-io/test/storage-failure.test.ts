/**
 * Storage failures are fatal (DESIGN: "storage failures are fatal and stop the node"): a
 * `StorageError` from `write` or `sync` stops the server, rejects everything pending with
 * it, emits `error`, and nothing of the failed batch is sent or applied.
 */
import { describe, expect, it } from 'vitest';
import { createRaftServer, type LogWrite, MemoryLog, type RaftError, StorageError } from '../src/index.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

/** A MemoryLog that can be told to fail its next write or sync, counting syncs. */
class FlakyLog extends MemoryLog {
  failWrite = false;
  failSync = false;
  syncs = 0;
  closed = false;

  override write(write: LogWrite): void {
    if (this.failWrite) throw new StorageError('disk on fire');
    super.write(write);
  }

  sync(): void {
    this.syncs++;
    if (this.failSync) throw new StorageError('fsync failed');
  }

  close(): void {
    this.closed = true;
  }
}

describe('RaftServer storage failures', () => {
  for (const where of ['write', 'sync'] as const) {
    it(`a StorageError from ${where} stops the server and rejects everything`, async () => {
      const log = new FlakyLog();
      const sm = new KvMachine();
      const server = await createRaftServer({
        id: 1,
        log,
        stateMachine: sm,
        tickIntervalMs: 10,
        logger: 'silent',
      });
      const errors: RaftError[] = [];
      server.on('error', (e) => errors.push(e));
      await server.propose(setCommand('ok', '1'));
      const appliedBefore = sm.appliedIndexes.length;
      if (where === 'write') log.failWrite = true;
      else log.failSync = true;
      const proposals = [server.propose(setCommand('a', '1')), server.propose(setCommand('b', '2'))];
      for (const p of proposals) await expect(p).rejects.toMatchObject({ code: 'STORAGE' });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(StorageError);
      expect(server.status().lifecycle).toBe('failed');
      // Nothing of the failed batch reached the state machine.
      expect(sm.appliedIndexes.length).toBe(appliedBefore);
      await expect(server.propose(setCommand('c', '3'))).rejects.toMatchObject({ code: 'CLOSED' });
      await server.close();
      expect(log.closed).toBe(true);
    });
  }

  it('calls sync once per batch, and not when nothing was written', async () => {
    const log = new FlakyLog();
    const server = await createRaftServer({ id: 1, log, stateMachine: new KvMachine(), tickIntervalMs: 5 });
    try {
      await Promise.all(Array.from({ length: 100 }, (_, i) => server.propose(setCommand(`k${i}`, 'v'))));
      const stats = server.stats();
      expect(stats.durableWrites).toBe(log.syncs);
      expect(log.syncs).toBeLessThan(100);
      const syncs = log.syncs;
      // Idle ticks of a lone leader write nothing: no sync.
      await new Promise((r) => setTimeout(r, 60));
      expect(log.syncs).toBe(syncs);
    } finally {
      await server.close();
    }
  });
});
