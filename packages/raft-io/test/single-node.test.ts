/**
 * One `RaftServer` alone (a cluster of one voter) on core's `MemoryLog`: propose, read,
 * results and errors of the state machine, deadlines, the snapshot policy, restart on the
 * same log, and close.
 */
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  createRaftServer,
  type Logger,
  MemoryLog,
  type Metrics,
  PendingLimitError,
  RaftServer,
  ServerClosedError,
  TimeoutError,
} from '../src/index.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

const tick = { tickIntervalMs: 10, logger: 'silent' as const };

describe('RaftServer, one node', () => {
  it('a lone voter is the leader when start resolves; propose resolves with apply result', async () => {
    const sm = new KvMachine();
    const server = await createRaftServer({ id: 1, log: new MemoryLog(), stateMachine: sm, ...tick });
    try {
      expect(server.isLeader()).toBe(true);
      expect(await server.propose(setCommand('a', '1'))).toBe(null);
      expect(await server.propose(setCommand('a', '2'))).toBe('1');
      expect(sm.data.get('a')).toBe('2');
      const status = server.status();
      expect(status.role).toBe('leader');
      expect(status.leader).toBe(1);
      expect(status.appliedIndex).toBe(status.commitIndex);
      expect(status.lifecycle).toBe('running');
    } finally {
      await server.close();
    }
  });

  it('concurrent proposals apply in one order and each gets its own result', async () => {
    const sm = new KvMachine();
    const server = await createRaftServer({ id: 1, log: new MemoryLog(), stateMachine: sm, ...tick });
    try {
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => server.propose(setCommand(`k${i % 10}`, String(i)))),
      );
      // Each proposal saw the value written by the proposal before it on the same key.
      for (let i = 0; i < 200; i++) expect(results[i]).toBe(i < 10 ? null : String(i - 10));
      expect(sm.appliedIndexes).toEqual([...sm.appliedIndexes].sort((a, b) => a - b));
      const stats = server.stats();
      expect(stats.proposals).toBe(200);
      // Proposals that arrive together go into the core as one propose step.
      expect(stats.proposeSteps).toBeLessThan(200);
    } finally {
      await server.close();
    }
  });

  it('read runs fn after everything committed before it; readIndex gives the index', async () => {
    const sm = new KvMachine();
    const server = await createRaftServer({ id: 1, log: new MemoryLog(), stateMachine: sm, ...tick });
    try {
      const write = server.propose(setCommand('x', 'y'));
      await write;
      expect(await server.read(() => sm.data.get('x'))).toBe('y');
      const index = await server.readIndex();
      expect(index).toBe(server.status().commitIndex);
      await expect(
        server.read(() => {
          throw new Error('reader failed');
        }),
      ).rejects.toThrow('reader failed');
    } finally {
      await server.close();
    }
  });

  it('a throwing apply rejects that proposal only; the server goes on', async () => {
    const sm = new KvMachine();
    const server = await createRaftServer({ id: 1, log: new MemoryLog(), stateMachine: sm, ...tick });
    try {
      await expect(server.propose(setCommand('boom', 'x'))).rejects.toThrow(/^boom at/);
      expect(await server.propose(setCommand('ok', '1'))).toBe(null);
    } finally {
      await server.close();
    }
  });

  it('an async apply is awaited in order', async () => {
    const order: number[] = [];
    const server = await createRaftServer<number>({
      id: 1,
      log: new MemoryLog(),
      ...tick,
      stateMachine: {
        async apply(_command, index) {
          await new Promise((r) => setTimeout(r, index % 2 === 0 ? 5 : 0));
          order.push(index);
          return index * 10;
        },
        snapshot: () => new Uint8Array(),
        restore: () => {},
      },
    });
    try {
      const results = await Promise.all([1, 2, 3, 4].map((i) => server.propose(new Uint8Array([i]))));
      expect(results.map((r) => r / 10)).toEqual([...order].slice(-4));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    } finally {
      await server.close();
    }
  });

  it('typed errors: invalid command, timeout, abort, pending limit, closed', async () => {
    const server = await createRaftServer({
      id: 1,
      log: new MemoryLog(),
      stateMachine: new KvMachine(),
      maxPendingProposals: 2,
      ...tick,
    });
    await expect(server.propose('nope' as unknown as Uint8Array)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    const controller = new AbortController();
    controller.abort('changed my mind');
    await expect(server.propose(setCommand('a', 'b'), { signal: controller.signal })).rejects.toBeInstanceOf(
      AbortedError,
    );
    // Two fill the queue; the third is refused at once.
    const p1 = server.propose(setCommand('a', '1'));
    const p2 = server.propose(setCommand('a', '2'));
    await expect(server.propose(setCommand('a', '3'))).rejects.toBeInstanceOf(PendingLimitError);
    await expect(server.propose(setCommand('a', '3'))).rejects.toMatchObject({
      code: 'PENDING_LIMIT',
      limit: 2,
    });
    await Promise.all([p1, p2]);
    await server.close();
    await expect(server.propose(setCommand('a', '4'))).rejects.toBeInstanceOf(ServerClosedError);
    await expect(server.readIndex()).rejects.toMatchObject({ code: 'CLOSED' });
    expect(server.status().lifecycle).toBe('closed');
  });

  it('a proposal whose apply never finishes times out, and close rejects what is pending', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((r) => {
      release = r;
    });
    const server = await createRaftServer({
      id: 1,
      log: new MemoryLog(),
      ...tick,
      stateMachine: {
        apply: async () => {
          await stuck;
          return 'late';
        },
        snapshot: () => new Uint8Array(),
        restore: () => {},
      },
    });
    const timed = server.propose(new Uint8Array([1]), { timeoutMs: 30 });
    await expect(timed).rejects.toBeInstanceOf(TimeoutError);
    await expect(timed).rejects.toMatchObject({ code: 'TIMEOUT' });
    const second = server.propose(new Uint8Array([2]), { timeoutMs: 0 });
    const closing = server.close();
    release();
    await closing;
    // The second was queued behind the stuck apply: close rejected it.
    await expect(second).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('the snapshot policy compacts the log; a restart on the same log restores and re-applies', async () => {
    const log = new MemoryLog();
    const sm = new KvMachine();
    const snapshots: number[] = [];
    const server = await createRaftServer({
      id: 1,
      log,
      stateMachine: sm,
      snapshotEveryEntries: 10,
      ...tick,
    });
    server.on('snapshot', (index) => snapshots.push(index));
    for (let i = 0; i < 25; i++) await server.propose(setCommand(`k${i}`, String(i)));
    await server.snapshot();
    expect(snapshots.length).toBeGreaterThanOrEqual(2);
    expect(log.firstIndex()).toBeGreaterThan(1);
    expect(server.status().snapshotIndex).toBe(log.snapshotMetadata()!.index);
    const lastApplied = server.status().appliedIndex;
    await server.close();

    const sm2 = new KvMachine();
    const again = await createRaftServer({
      id: 1,
      log,
      stateMachine: sm2,
      snapshotEveryEntries: 10,
      ...tick,
    });
    try {
      expect(sm2.restores).toBe(1);
      expect(again.status().appliedIndex).toBeGreaterThanOrEqual(lastApplied);
      expect(Object.fromEntries(sm2.data)).toEqual(Object.fromEntries(sm.data));
      expect(await again.propose(setCommand('k0', 'new'))).toBe('0');
    } finally {
      await again.close();
    }
  });

  it('start waits until a long committed tail is re-applied, even when the core hands it out in pieces', async () => {
    const log = new MemoryLog();
    const first = await createRaftServer({
      id: 1,
      log,
      stateMachine: new KvMachine(),
      snapshotEveryEntries: 0,
      ...tick,
    });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => first.propose(setCommand(`k${i}`, 'x'.repeat(20)))),
    );
    const committed = first.status().commitIndex;
    await first.close();
    const sm = new KvMachine();
    // At most ~one entry per step: the server keeps stepping until the backlog is applied.
    const again = await createRaftServer({
      id: 1,
      log,
      stateMachine: sm,
      snapshotEveryEntries: 0,
      raft: { maxApplyBytesPerStep: 30, maxSizePerMsg: 30 },
      ...tick,
    });
    try {
      expect(sm.data.size).toBe(50);
      expect(again.status().appliedIndex).toBeGreaterThanOrEqual(committed);
      expect(again.stats().batches).toBeGreaterThan(5);
    } finally {
      await again.close();
    }
  });

  it('reports to the injected logger and metrics', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: (_o, msg) => lines.push(msg),
      warn: (_o, msg) => lines.push(msg),
      error: (_o, msg) => lines.push(msg),
    };
    const counts = new Map<string, number>();
    const metrics: Metrics = {
      increment: (name, value = 1) => counts.set(name, (counts.get(name) ?? 0) + value),
      observe: (name) => counts.set(name, (counts.get(name) ?? 0) + 1),
    };
    const server = await createRaftServer({
      id: 1,
      log: new MemoryLog(),
      stateMachine: new KvMachine(),
      ...tick,
      logger,
      metrics,
    });
    await server.propose(setCommand('a', 'b'));
    await server.close();
    expect(lines).toContain('raft server started');
    expect(lines).toContain('raft server closed');
    expect(counts.get('raft_proposals_total')).toBe(1);
    expect(counts.get('raft_applied_total')).toBe(1);
    expect(counts.get('raft_propose_duration_seconds')).toBe(1);
  });

  it('rejects bad options with InvalidConfigError naming the field', () => {
    const sm = new KvMachine();
    expect(() => new RaftServer({ id: 1, stateMachine: sm })).toThrow(/dataDir/);
    expect(
      () => new RaftServer({ id: 1, log: new MemoryLog(), stateMachine: sm, tickIntervalMs: 0 }),
    ).toThrow(/tickIntervalMs/);
    expect(() => new RaftServer({ id: 1, log: new MemoryLog(), stateMachine: {} as KvMachine })).toThrow(
      /stateMachine/,
    );
  });
});
