/**
 * Isolation between the groups of a `RaftHost`: a group whose state machine throws or stalls
 * holds up only itself, a busy group does not starve another (apply is bounded per step and
 * every group yields after each batch), and a frame for a group the host does not run, from
 * a hostile peer speaking the project's own codec, is dropped and counted.
 */
import { connect, type Socket } from 'node:net';
import { encodeGroupFrame, encodeHandshakeFrame } from '@raft-io/framing';
import { PROTOCOL_VERSION } from '@raft-io/transport-tcp';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerClosedError, type StateMachine } from '../src/index.js';
import { encode, type HostRig, RecordingMachine, startHosts, until } from './helpers/hosts.js';

let rig: HostRig | null = null;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await rig?.close();
  rig = null;
});

/** A state machine whose `snapshot()` throws (a bug in the user's code). */
class BrokenSnapshots extends RecordingMachine {
  override snapshot(): Uint8Array {
    throw new Error('snapshot bug');
  }
}

/** Busy for `ms` milliseconds (a state machine doing real work). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* spin */
  }
}

describe('RaftHost isolation', () => {
  it('stops a group whose state machine throws with a typed error, and the other groups go on', async () => {
    // init: two single-host groups; group 1's snapshot() throws and it snapshots every 2 entries.
    rig = await startHosts(1);
    const host = rig.hosts[0]!;
    const bad = await host.createGroup(1, { stateMachine: new BrokenSnapshots(), snapshotEveryEntries: 2 });
    const good = new RecordingMachine();
    const ok = await host.createGroup(2, { stateMachine: good });
    await bad.waitForLeader();
    await ok.waitForLeader();
    const errors: Error[] = [];
    bad.on('error', (e) => errors.push(e));

    // act: group 1 reaches its snapshot point.
    await bad.propose(encode('a'));
    await bad.propose(encode('b')).catch(() => {});
    await until(() => host.stats().failedGroups === 1);

    // check: group 1 refuses calls with ServerClosedError (the state machine's error as cause)...
    const refused = await bad.propose(encode('c')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServerClosedError);
    expect(((refused as ServerClosedError).cause as Error).message).toContain('snapshot bug');
    expect(errors.map((e) => e.constructor)).toEqual([ServerClosedError]);
    // ... and is ticked no more, while group 2 commits and reads on.
    const ticks = host.stats();
    await ok.propose(encode('still here'));
    expect(await ok.read(() => [...good.applied])).toEqual(['still here']);
    await until(() => host.stats().ticks > ticks.ticks + 3);
    expect(host.stats().awake + host.stats().quiesced).toBe(1);
    // and destroying it frees its place.
    await host.destroyGroup(1, { deleteData: true });
    expect(host.groups()).toEqual([2]);
  });

  it('an apply that throws rejects only its own proposal', async () => {
    // init
    rig = await startHosts(1);
    const host = rig.hosts[0]!;
    const picky: StateMachine<number> = {
      apply: (c) => {
        if (c[0] === 0x78 /* x */) throw new RangeError('no x');
        return c.length;
      },
      snapshot: () => new Uint8Array(),
      restore: () => {},
    };
    const g1 = await host.createGroup(1, { stateMachine: picky });
    const g2 = await host.createGroup(2, { stateMachine: new RecordingMachine() });
    await g1.waitForLeader();
    await g2.waitForLeader();
    // act / check
    await expect(g1.propose(encode('x'))).rejects.toThrow('no x');
    expect(await g1.propose(encode('yy'))).toBe(2);
    expect(await g2.propose(encode('z'))).toBe(1);
    expect(host.stats().failedGroups).toBe(0);
  });

  it('a group whose state machine stalls holds up only itself', async () => {
    // init: group 1's apply waits on a promise that is released only at the end.
    rig = await startHosts(3);
    const { hosts } = rig;
    let release!: () => void;
    const stalled = new Promise<void>((r) => {
      release = r;
    });
    const staller = (): StateMachine<number> => ({
      apply: async () => {
        await stalled;
        return 0;
      },
      snapshot: () => new Uint8Array(),
      restore: () => {},
    });
    const g1 = await Promise.all(
      hosts.map((h) => h.createGroup(1, { voters: [1, 2, 3], stateMachine: staller() })),
    );
    const machines = hosts.map(() => new RecordingMachine());
    const g2 = await Promise.all(
      hosts.map((h, i) => h.createGroup(2, { voters: [1, 2, 3], stateMachine: machines[i]! })),
    );
    await g1[0]!.waitForLeader({ timeoutMs: 20_000 });
    await g2[0]!.waitForLeader({ timeoutMs: 20_000 });

    // act: group 1 stalls on its first command; group 2 gets ten.
    const stuck = g1[0]!.propose(encode('stuck'), { timeoutMs: 60_000 });
    for (let i = 0; i < 10; i++) await g2[i % 3]!.propose(encode(`w${i}`));

    // check: every member of group 2 applied all ten; group 1 has not answered.
    for (const [i, g] of g2.entries()) expect(await g.read(() => machines[i]!.applied.length)).toBe(10);
    let answered = false;
    void stuck.then(() => {
      answered = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    release();
    expect(await stuck).toBe(0);
  });

  it('a busy group does not starve another: its applies go in bounded steps between the others', async () => {
    // init: two groups of one on one host; group 1's apply is slow (2 ms a command).
    rig = await startHosts(1);
    const host = rig.hosts[0]!;
    let applied1 = 0;
    const slow: StateMachine<number> = {
      apply: () => {
        busy(2);
        return ++applied1;
      },
      snapshot: () => new Uint8Array(),
      restore: () => {},
    };
    const g1 = await host.createGroup(1, { stateMachine: slow });
    const g2 = await host.createGroup(2, { stateMachine: new RecordingMachine() });
    await g1.waitForLeader();
    await g2.waitForLeader();

    // act: 1000 commands of 16 KiB to group 1 (16 MiB: 16 steps of 1 MiB), then one to group 2
    // as soon as group 1 starts applying.
    const payload = new Uint8Array(16 * 1024).fill(0x61);
    const flood = Array.from({ length: 1000 }, () => g1.propose(payload, { timeoutMs: 120_000 }));
    await until(() => applied1 > 0, 60_000);
    await g2.propose(encode('quick'));
    const whenGroup2Answered = applied1;

    // check: group 2 was answered while most of group 1's backlog still waited.
    expect(whenGroup2Answered).toBeLessThan(1000 / 2);
    await Promise.all(flood);
    expect(applied1).toBe(1000);
  });

  it('drops and counts the items of a frame for a group the host does not run', async () => {
    // init: host 1 knows a host 3 that a hostile peer impersonates (it speaks the project's codec).
    rig = await startHosts(1);
    const host = rig.hosts[0]!;
    const machine = new RecordingMachine();
    const g = await host.createGroup(5, { stateMachine: machine });
    await g.waitForLeader();
    host.setPeerAddress(3, '127.0.0.1:1');
    const port = host.address()!.port;
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(encodeHandshakeFrame(11, { from: 3, to: 1, protocolVersion: PROTOCOL_VERSION }));

    // act: a batch for groups 999 and 1000, which this host does not run.
    const heartbeat = (group: number) => ({
      group,
      message: { type: 'heartbeat' as const, from: 3, to: 1, term: 1, commit: 0, context: 0 },
    });
    socket.write(encodeGroupFrame(11, { items: [heartbeat(999), heartbeat(1000)] }));
    await until(() => host.stats().unknownGroupItems === 2);

    // check: dropped and counted, the connection still serves, group 5 untouched.
    expect(host.stats().itemsReceived).toBe(2);
    await g.propose(encode('fine'));
    expect(machine.applied).toEqual(['fine']);
    expect(g.status().term).toBe(1);
  });
});
