/**
 * RaftServer with asynchronous storage writes (docs/decisions.md D21): the leader's appends
 * leave while its own fsync runs, one sync is in flight at a time and everything written
 * meanwhile goes into the next one, a proposal resolves only once a quorum holds it durably
 * (the leader's own copy included in a three-node cluster), and a failed sync is fatal.
 */
import { MemoryNetwork } from '@raft-io/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_TICK, HOSTED, type HostedHooks } from '../src/hosted.js';
import { createRaftServer, type LogWrite, MemoryLog, type RaftServer, StorageError } from '../src/index.js';
import { until, waitForLeader } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

/** A group-commit log whose background syncs the test can hold, release or fail. */
class HeldLog extends MemoryLog {
  hold = false;
  fail = false;
  started = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Writes made since the last sync started (what the next one covers). */
  pendingWrites = 0;
  /** Writes each sync covered. */
  readonly covered: number[] = [];
  private waiting: (() => void)[] = [];

  override write(write: LogWrite): void {
    super.write(write);
    this.pendingWrites++;
  }

  sync(): void {}

  syncAsync(): Promise<void> {
    this.started++;
    this.covered.push(this.pendingWrites);
    this.pendingWrites = 0;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (this.fail) return Promise.reject(new StorageError('fsync failed'));
    return new Promise((resolve) => {
      const done = () => {
        this.inFlight--;
        resolve();
      };
      if (this.hold) this.waiting.push(done);
      else setImmediate(done);
    });
  }

  /** Let the held syncs finish. */
  release(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const done of waiting) done();
  }
}

const servers: RaftServer<string | null>[] = [];
let network: MemoryNetwork | undefined;

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers.length = 0;
  await network?.close();
  network = undefined;
});

describe('RaftServer with asynchronous storage writes', () => {
  it('one sync in flight at a time; what arrives meanwhile goes into the next one', async () => {
    // init: a single-voter server on a log whose syncs the test holds.
    const log = new HeldLog();
    const sm = new KvMachine();
    const server = await createRaftServer<string | null>({
      id: 1,
      log,
      stateMachine: sm,
      tickIntervalMs: 10,
    });
    servers.push(server);
    await server.propose(setCommand('warm', 'up'));
    log.hold = true;
    const startedBefore = log.started;
    // act: a proposal, then four more while its sync is held.
    const first = server.propose(setCommand('a', '1'));
    await until('the first sync started', () => log.started > startedBefore);
    const more = ['b', 'c', 'd', 'e'].map((k) => server.propose(setCommand(k, '1')));
    await new Promise((r) => setTimeout(r, 50));
    // check: nothing applied while held (a lone voter's commit rests on its own disk), one
    // sync in flight.
    expect(sm.data.has('a')).toBe(false);
    expect(log.inFlight).toBe(1);
    log.hold = false;
    log.release();
    await first;
    await Promise.all(more);
    // check: the four waited for one more sync that covered all of them, never two at once.
    expect(log.maxInFlight).toBe(1);
    expect(log.started - startedBefore).toBeLessThanOrEqual(3);
    expect([...'abcde'].every((k) => sm.data.get(k) === '1')).toBe(true);
  });

  it('a hosted group asks for its next sync while one runs (the store joins it into its next fsync), never more than two', async () => {
    // init: a single-voter group run as a RaftHost runs it (no timer: the test ticks it).
    const log = new HeldLog();
    const sm = new KvMachine();
    const hooks: HostedHooks = { afterBatch() {}, failed() {} };
    const server = await createRaftServer<string | null>({
      id: 1,
      log,
      stateMachine: sm,
      [HOSTED]: hooks,
    } as Parameters<typeof createRaftServer<string | null>>[0]);
    servers.push(server);
    const tick = (server as unknown as { [HOST_TICK](n: number): void })[HOST_TICK].bind(server);
    for (let i = 0; i < 50 && !server.isLeader(); i++) {
      tick(1);
      await new Promise((r) => setImmediate(r));
    }
    await server.propose(setCommand('warm', 'up'));
    log.hold = true;
    const startedBefore = log.started;
    // act: a proposal; once its sync runs, another; once that one has asked, a third.
    const first = server.propose(setCommand('a', '1'));
    await until('the first sync started', () => log.started === startedBefore + 1);
    const second = server.propose(setCommand('b', '1'));
    await until('the second sync was asked for', () => log.started === startedBefore + 2);
    const third = server.propose(setCommand('c', '1'));
    await new Promise((r) => setTimeout(r, 50));
    // check: the second write did not wait for the first sync to end before asking (a plain
    // server would: its log starts an fsync per call), and the third waits for a slot.
    expect(log.inFlight).toBe(2);
    expect(log.started - startedBefore).toBe(2);
    log.hold = false;
    log.release();
    await Promise.all([first, second, third]);
    expect(log.maxInFlight).toBe(2);
    expect([...'abc'].every((k) => sm.data.get(k) === '1')).toBe(true);
  });

  it("the leader's appends reach the followers while its own sync is held; it applies only once durable", async () => {
    // init: three servers in memory; the leader's log holds its syncs once a leader is found.
    network = new MemoryNetwork({ seed: 7 });
    const logs = new Map<number, HeldLog>();
    for (const id of [1, 2, 3]) {
      const log = new HeldLog();
      logs.set(id, log);
      servers.push(
        await createRaftServer<string | null>({
          id,
          voters: [1, 2, 3],
          log,
          transport: network.transport(id),
          stateMachine: new KvMachine(),
          tickIntervalMs: 10,
        }),
      );
    }
    const leader = await waitForLeader(servers);
    await leader.propose(setCommand('warm', 'up'));
    const log = logs.get(leader.id)!;
    log.hold = true;
    // act: propose while the leader cannot make its log durable.
    let done = false;
    const pending = leader.propose(setCommand('x', '1')).then(() => {
      done = true;
    });
    const index = leader.status().lastIndex + 1;
    // check: both followers hold the entry (the appends did not wait for the leader's fsync);
    // it may commit on their two durable copies, but the leader applies nothing beyond its own
    // durable log, so the proposal waits.
    const followers = servers.filter((s) => s !== leader);
    await until('the followers hold the entry', () => followers.every((s) => s.status().lastIndex >= index));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    expect(leader.appliedIndex()).toBeLessThan(index);
    log.hold = false;
    log.release();
    await pending;
    expect(leader.appliedIndex()).toBeGreaterThanOrEqual(index);
  });

  it('reads that arrive while a read round is in flight share the next round', async () => {
    // init: three servers in memory and a leader.
    network = new MemoryNetwork({ seed: 9 });
    for (const id of [1, 2, 3]) {
      servers.push(
        await createRaftServer<string | null>({
          id,
          voters: [1, 2, 3],
          log: new MemoryLog(),
          transport: network.transport(id),
          stateMachine: new KvMachine(),
          tickIntervalMs: 20,
        }),
      );
    }
    const leader = await waitForLeader(servers);
    await leader.readIndex();
    const before = leader.stats().messagesSent;
    // act: 40 reads, one per turn of the event loop, as clients whose requests trickle in.
    const reads: Promise<number>[] = [];
    for (let i = 0; i < 40; i++) {
      reads.push(leader.readIndex());
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(reads);
    // check: far fewer heartbeat rounds than reads (without the rule each read that found
    // the loop idle opened its own round: two heartbeats per read).
    expect(leader.stats().messagesSent - before).toBeLessThan(40);
  });

  it('a StorageError from the background sync stops the server and rejects what waits', async () => {
    const log = new HeldLog();
    const server = await createRaftServer<string | null>({
      id: 1,
      log,
      stateMachine: new KvMachine(),
      tickIntervalMs: 10,
    });
    servers.push(server);
    const errors: unknown[] = [];
    server.on('error', (e) => errors.push(e));
    await server.propose(setCommand('ok', '1'));
    log.fail = true;
    await expect(server.propose(setCommand('a', '1'))).rejects.toBeInstanceOf(StorageError);
    expect(errors[0]).toBeInstanceOf(StorageError);
    expect(server.status().lifecycle).toBe('failed');
  });

  it('with asyncStorageWrites: false the batch syncs before it sends (the D9 loop)', async () => {
    const log = new HeldLog();
    const server = await createRaftServer<string | null>({
      id: 1,
      log,
      stateMachine: new KvMachine(),
      tickIntervalMs: 10,
      raft: { asyncStorageWrites: false },
    });
    servers.push(server);
    await server.propose(setCommand('a', '1'));
    expect(log.started).toBe(0);
  });
});
