/**
 * The offline tools on streaming data directories (D28, D30), with real SQLite files, real
 * snapshot files and real servers: `recover` reads the old snapshot from its file (checked
 * whole: a damaged, cut or missing one is a `StorageError` and nothing changes), writes the
 * new one as a file that is whole under its final name before the log names it, and removes
 * the old one only after, so a crash in between leaves the old or the new state; the streaming
 * survivor of three is recovered, written to, and joined by a fresh node that gets the
 * snapshot streamed. `inspectDataDir` tells a streaming directory; a server without streaming
 * refuses one. `server.backup` on a streaming server, and `restoreBackup` seeding streaming
 * directories of a new cluster that answers the same.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryNetwork } from '@raft-io/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  crc32c,
  createRaftServer,
  type Entry,
  type HardState,
  type LogWrite,
  type NodeId,
  type RaftLog,
  RaftServer,
  type RaftServerOptions,
  restoreBackup,
  type Snapshot,
  type SnapshotMetadata,
  SqliteLog,
  StorageError,
} from '../src/index.js';
import { decodeDescriptor, encodeDescriptor } from '../src/streamed-snapshot-log.js';
import { until, waitForLeader } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';
import { SyntheticMachine } from './helpers/synthetic-machine.js';

const root = mkdtempSync(join(tmpdir(), 'raft-io-streamops-'));
let dirs = 0;
const newDir = () => join(root, `d${++dirs}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let servers: RaftServer<string | null>[] = [];
let networks: MemoryNetwork[] = [];
const machines = new Map<NodeId, KvMachine>();
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  await Promise.all(networks.map((n) => n.close()));
  networks = [];
  machines.clear();
});

const snapshotFiles = (dataDir: string): string[] =>
  existsSync(join(dataDir, 'snapshots')) ? readdirSync(join(dataDir, 'snapshots')).sort() : [];
const logPath = (dataDir: string) => join(dataDir, 'raft-log.sqlite');

async function startNode(
  id: NodeId,
  dataDir: string,
  options: Partial<RaftServerOptions<string | null>> = {},
): Promise<RaftServer<string | null>> {
  const sm = new KvMachine();
  machines.set(id, sm);
  const server = await createRaftServer<string | null>({
    id,
    dataDir,
    stateMachine: sm,
    snapshotStreaming: true,
    snapshotEveryEntries: 0,
    tickIntervalMs: 10,
    logger: 'silent',
    ...options,
  });
  servers.push(server);
  return server;
}

/**
 * Write `key` through any running server, again after an election (a loaded machine may miss
 * heartbeats): a set is idempotent, so a retry of an unknown outcome is harmless.
 */
async function write(key: string, value: string | null): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const running = servers.filter((s) => s.status().lifecycle === 'running');
    try {
      await (await waitForLeader(running)).propose(setCommand(key, value));
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= 20 || !['LEADERSHIP_LOST', 'NOT_LEADER', 'TIMEOUT'].includes(code ?? '')) throw error;
    }
  }
}

/** A stopped single-node streaming directory: a snapshot file at some index, entries after it. */
async function streamingDir(): Promise<{
  dataDir: string;
  snapshotIndex: number;
  data: Map<string, string>;
}> {
  const dataDir = newDir();
  const server = await startNode(1, dataDir);
  for (let i = 0; i < 10; i++) await server.propose(setCommand(`k${i}`, `v${i}`));
  const snapshotIndex = await server.snapshot();
  for (let i = 10; i < 15; i++) await server.propose(setCommand(`k${i}`, `v${i}`));
  const data = new Map(machines.get(1)!.data);
  await server.close();
  servers = [];
  return { dataDir, snapshotIndex, data };
}

/** Everything a recovery could change on disk: the log's bytes and the snapshot files' bytes. */
function diskState(dataDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dataDir)) {
    if (name.startsWith('raft-log.sqlite')) out.set(name, readFileSync(join(dataDir, name)).toString('hex'));
  }
  for (const name of snapshotFiles(dataDir))
    out.set(`snapshots/${name}`, readFileSync(join(dataDir, 'snapshots', name)).toString('hex'));
  return out;
}

/** A `RaftLog` that hands every call to `inner`, with a hook around `write`. */
class HookedLog implements RaftLog {
  constructor(
    private readonly inner: SqliteLog,
    private readonly onWrite: (write: LogWrite, inner: SqliteLog) => void,
  ) {}
  hardState(): HardState {
    return this.inner.hardState();
  }
  snapshotMetadata(): SnapshotMetadata | null {
    return this.inner.snapshotMetadata();
  }
  snapshot(): Snapshot | null {
    return this.inner.snapshot();
  }
  firstIndex(): number {
    return this.inner.firstIndex();
  }
  lastIndex(): number {
    return this.inner.lastIndex();
  }
  term(index: number): number {
    return this.inner.term(index);
  }
  entries(lo: number, hi: number, maxBytes?: number): Entry[] {
    return this.inner.entries(lo, hi, maxBytes);
  }
  membershipEntries(lo: number, hi: number): Entry[] {
    return this.inner.membershipEntries(lo, hi);
  }
  write(write: LogWrite): void {
    this.onWrite(write, this.inner);
  }
  sync(): void {
    this.inner.sync();
  }
}

class SimulatedCrash extends Error {}

describe('recover on a streaming data directory', () => {
  it('names the new file in the log only once it is whole under its final name, and removes the old one only after', async () => {
    for (const crashAt of ['log-write', 'after-log-write'] as const) {
      // init: a streaming directory with its snapshot at s and five entries after it.
      const { dataDir, snapshotIndex, data } = await streamingDir();
      const [oldFile] = snapshotFiles(dataDir);
      let seen: { files: string[]; whole: boolean } | null = null;
      const sqlite = SqliteLog.open(logPath(dataDir), { create: false, groupCommit: false });
      const log = new HookedLog(sqlite, (write, inner) => {
        // At the moment the log is written: the file it will name is whole under its final
        // name (its size and CRC32C are the descriptor's), and the old file is still there.
        const facts = decodeDescriptor(write.snapshot!.data)!;
        const name = `snapshot-${write.snapshot!.metadata.index}-${write.snapshot!.metadata.term}.snap`;
        const bytes = readFileSync(join(dataDir, 'snapshots', name));
        seen = {
          files: snapshotFiles(dataDir),
          whole: bytes.length === facts.bytes && crc32c(bytes) === facts.checksum,
        };
        if (crashAt === 'log-write') throw new SimulatedCrash();
        inner.write(write);
        inner.sync();
        throw new SimulatedCrash();
      });
      // act: a recovery that "crashes" at the log write, or just after it
      const recovering = RaftServer.recover({
        log,
        id: 1,
        voters: [1],
        snapshotDir: join(dataDir, 'snapshots'),
        stateMachine: new KvMachine(),
      });
      await expect(recovering).rejects.toBeInstanceOf(SimulatedCrash);
      sqlite.close();
      // check: the new file was whole and the old one still there when the log was written
      expect(seen).toMatchObject({ whole: true });
      expect(seen!.files).toContain(oldFile);
      expect(seen!.files.filter((f) => f !== oldFile)).toEqual([`snapshot-${snapshotIndex + 5}-1.snap`]);
      // check: a streaming server starts on what the crash left, with the old or the new snapshot
      const server = await startNode(1, dataDir);
      expect(new Map(machines.get(1)!.data)).toEqual(data);
      expect(server.status().snapshotIndex).toBe(crashAt === 'log-write' ? snapshotIndex : snapshotIndex + 5);
      expect(snapshotFiles(dataDir)).toEqual([
        crashAt === 'log-write' ? oldFile : `snapshot-${snapshotIndex + 5}-1.snap`,
      ]);
      await server.close();
      servers = [];
    }
  });

  it('a second recovery at the same index keeps the file the log names instead of rewriting it', async () => {
    // init: a recovered streaming directory, its snapshot at the last entry
    const { dataDir, data } = await streamingDir();
    const first = await RaftServer.recover({ dataDir, id: 1, voters: [1], stateMachine: new KvMachine() });
    const file = first.snapshotFile!;
    const bytes = readFileSync(file);
    // act: recover it again with a machine whose snapshot of the same state has other bytes
    // (JSON with a trailing space), crashing at the log write
    const padded = new KvMachine();
    const plain = padded.snapshot.bind(padded);
    padded.snapshot = () => Buffer.concat([plain(), Buffer.from(' ')]);
    const sqlite = SqliteLog.open(logPath(dataDir), { create: false, groupCommit: false });
    const log = new HookedLog(sqlite, () => {
      throw new SimulatedCrash();
    });
    const again = RaftServer.recover({
      log,
      id: 1,
      voters: [1],
      snapshotDir: join(dataDir, 'snapshots'),
      stateMachine: padded,
    });
    await expect(again).rejects.toBeInstanceOf(SimulatedCrash);
    sqlite.close();
    // check: the file the log names is untouched, and a streaming server starts on it
    expect(readFileSync(file).equals(bytes)).toBe(true);
    await startNode(1, dataDir);
    expect(new Map(machines.get(1)!.data)).toEqual(data);
  });

  it('a damaged, cut or missing snapshot file fails with StorageError and changes nothing', async () => {
    // init
    const { dataDir } = await streamingDir();
    const [name] = snapshotFiles(dataDir);
    const file = join(dataDir, 'snapshots', name!);
    const good = readFileSync(file);
    const damages: [string, () => void][] = [
      [
        'a flipped byte',
        () =>
          writeFileSync(
            file,
            Buffer.from(good).fill(good[good.length >> 1]! ^ 1, good.length >> 1, (good.length >> 1) + 1),
          ),
      ],
      ['cut short', () => writeFileSync(file, good.subarray(0, good.length - 1))],
      ['missing', () => rmSync(file)],
    ];
    for (const [what, damage] of damages) {
      damage();
      const before = diskState(dataDir);
      const sm = new KvMachine();
      // act
      const error = await RaftServer.recover({ dataDir, id: 1, voters: [1], stateMachine: sm }).then(
        () => null,
        (e: unknown) => e,
      );
      // check: a typed error, no state handed on, nothing on disk changed
      expect(error, what).toBeInstanceOf(StorageError);
      expect((error as StorageError).code).toBe('STORAGE');
      expect(sm.data.size, what).toBe(0);
      expect(diskState(dataDir), what).toEqual(before);
      writeFileSync(file, good);
    }
    // and a dry run sees a cut file without reading it
    writeFileSync(file, good.subarray(1));
    await expect(
      RaftServer.recover({ dataDir, id: 1, voters: [1], stateMachine: new KvMachine(), dryRun: true }),
    ).rejects.toBeInstanceOf(StorageError);
  });

  it('a damaged file that the state machine gives up on before its end is still a StorageError', async () => {
    // init: a 3 MiB streamed snapshot (chunks of 1 MiB), its first body chunk damaged
    const dataDir = newDir();
    const server = await createRaftServer<number>({
      id: 1,
      dataDir,
      stateMachine: new SyntheticMachine(3 * 1024 * 1024),
      snapshotStreaming: true,
      snapshotEveryEntries: 0,
      logger: 'silent',
    });
    await server.propose(setCommand('a', '1'));
    await server.snapshot();
    await server.close();
    const file = join(dataDir, 'snapshots', snapshotFiles(dataDir)[0]!);
    const bytes = readFileSync(file);
    bytes[1000]! ^= 1;
    writeFileSync(file, bytes);
    const before = diskState(dataDir);
    // act: its restoreStream throws at the first chunk, before the file's CRC32C is checked
    const error = await RaftServer.recover({
      dataDir,
      id: 1,
      voters: [1],
      stateMachine: new SyntheticMachine(3 * 1024 * 1024),
    }).then(
      () => null,
      (e: unknown) => e,
    );
    // check
    expect(error).toBeInstanceOf(StorageError);
    expect(diskState(dataDir)).toEqual(before);
  });

  it('inspect tells a streaming directory; recover writes as the stored snapshot is, or as told', async () => {
    // init
    const { dataDir, snapshotIndex, data } = await streamingDir();
    // check: inspect reports the file the log names and its size on disk
    const inspected = await RaftServer.inspect({ dataDir });
    const [name] = snapshotFiles(dataDir);
    expect(inspected).toMatchObject({
      snapshotStreaming: true,
      snapshot: { index: snapshotIndex, file: join(dataDir, 'snapshots', name!) },
    });
    expect(inspected.snapshot!.fileBytes).toBe(inspected.snapshot!.bytes);
    // act: recover without saying: streamed, like the stored snapshot
    const report = await RaftServer.recover({ dataDir, id: 1, voters: [1], stateMachine: new KvMachine() });
    expect(report).toMatchObject({ snapshotStreaming: true, index: snapshotIndex + 5 });
    expect(snapshotFiles(dataDir)).toEqual([`snapshot-${snapshotIndex + 5}-1.snap`]);
    // act: recover again, told to leave streaming: the state goes into the log, the file goes
    const again = await RaftServer.recover({
      dataDir,
      id: 1,
      voters: [1],
      stateMachine: new KvMachine(),
      snapshotStreaming: false,
    });
    expect(again).toMatchObject({ snapshotStreaming: false, snapshotFile: null });
    expect(snapshotFiles(dataDir)).toEqual([]);
    expect(await RaftServer.inspect({ dataDir })).toMatchObject({ snapshotStreaming: false });
    // check: a server without streaming starts on it with the same state
    const plain = await startNode(1, dataDir, { snapshotStreaming: false });
    expect(new Map(machines.get(1)!.data)).toEqual(data);
    await plain.close();
    servers = [];
    // act: and back to streaming, into a snapshot directory that is gone
    rmSync(join(dataDir, 'snapshots'), { recursive: true });
    const back = await RaftServer.recover({
      dataDir,
      id: 1,
      voters: [1],
      stateMachine: new KvMachine(),
      snapshotStreaming: true,
    });
    // check: the file is there, and a streaming server starts on it with the same state
    expect(snapshotFiles(dataDir)).toEqual([`snapshot-${back.index}-${back.term}.snap`]);
    await startNode(1, dataDir);
    expect(new Map(machines.get(1)!.data)).toEqual(data);
  });

  it('a server without snapshotStreaming refuses a streaming directory instead of restoring the descriptor', async () => {
    // init
    const { dataDir } = await streamingDir();
    const sm = new KvMachine();
    // act / check
    const server = new RaftServer({ id: 1, dataDir, stateMachine: sm, logger: 'silent', tickIntervalMs: 10 });
    server.on('error', () => {});
    await expect(server.start()).rejects.toMatchObject({
      code: 'INVALID_CONFIG',
      field: 'snapshotStreaming',
    });
    expect(sm.restores).toBe(0);
  });

  it('a state machine whose in-memory snapshot reads as a descriptor still restarts without streaming', async () => {
    // init: user bytes that are exactly a streamed snapshot's descriptor
    const dataDir = newDir();
    const lookalike = encodeDescriptor(7, 9);
    const make = () => {
      const sm = new KvMachine();
      sm.snapshot = () => lookalike;
      sm.restore = (bytes) => {
        sm.restores++;
        expect(Buffer.from(bytes).equals(Buffer.from(lookalike))).toBe(true);
      };
      return sm;
    };
    const server = await createRaftServer({ id: 1, dataDir, stateMachine: make(), logger: 'silent' });
    servers.push(server as RaftServer<string | null>);
    await server.propose(setCommand('a', '1'));
    await server.snapshot();
    await server.close();
    servers = [];
    // act: a restart without streaming
    const sm = make();
    const again = await createRaftServer({ id: 1, dataDir, stateMachine: sm, logger: 'silent' });
    servers.push(again as RaftServer<string | null>);
    // check: the user's bytes came back (wrapped in the log, so not taken for a descriptor)
    expect(sm.restores).toBe(1);
  });

  it('recovers the streaming survivor of three, writes again, and a fresh node gets the snapshot streamed', async () => {
    // init: three streaming nodes on TCP and SQLite, writes across a few snapshots.
    const dataDirs = new Map([1, 2, 3].map((id) => [id, newDir()]));
    const start = async (id: NodeId, voters: NodeId[]) => {
      const server = await startNode(id, dataDirs.get(id) ?? newDir(), {
        voters,
        tcp: { clusterId: 3, listen: { host: '127.0.0.1', port: 0 } },
        snapshotEveryEntries: 30,
        tickIntervalMs: 20,
      });
      for (const other of servers) {
        if (other === server || other.status().lifecycle !== 'running') continue;
        other.setPeerAddress(id, server.address()!);
        server.setPeerAddress(other.id, other.address()!);
      }
      return server;
    };
    for (const id of [1, 2, 3]) await start(id, [1, 2, 3]);
    for (let i = 0; i < 100; i++) await write(`k${i}`, `v${i}`);
    const leader = await waitForLeader(servers);
    const survivor = servers.find((s) => s !== leader)!;
    await until('survivor applied all', () => machines.get(survivor.id)!.data.get('k99') === 'v99');
    const expected = new Map(machines.get(survivor.id)!.data);

    // act: lose the other two for good, stop the survivor, recover it.
    for (const s of servers) await s.close();
    for (const s of servers)
      if (s !== survivor) rmSync(dataDirs.get(s.id)!, { recursive: true, force: true });
    servers = [];
    const dataDir = dataDirs.get(survivor.id)!;
    expect(await RaftServer.inspect({ dataDir })).toMatchObject({ snapshotStreaming: true });
    const report = await RaftServer.recover({
      dataDir,
      voters: [survivor.id],
      stateMachine: new KvMachine(),
    });
    expect(report).toMatchObject({ snapshotStreaming: true, before: { membership: { voters: [1, 2, 3] } } });
    expect(snapshotFiles(dataDir)).toEqual([`snapshot-${report.index}-${report.term}.snap`]);

    // check: a streaming server starts on it alone, leads, holds the same data, takes writes.
    const alone = await start(survivor.id, [1, 2, 3]);
    expect(alone.isLeader()).toBe(true);
    expect(alone.status().membership.voters).toEqual([survivor.id]);
    expect(new Map(machines.get(survivor.id)!.data)).toEqual(expected);
    await write('after', 'recovery');

    // act: a fresh node joins; the log is compacted behind the recovered snapshot.
    dataDirs.set(4, newDir());
    const fresh = await start(4, []);
    await alone.addVoter(4, { address: fresh.address()! });
    await until('the fresh node caught up', () => machines.get(4)!.data.get('after') === 'recovery');

    // check: it restored the streamed snapshot into a file of its own, and has everything.
    expect(machines.get(4)!.restores).toBe(1);
    expect(new Map(machines.get(4)!.data)).toEqual(new Map(machines.get(survivor.id)!.data));
    expect(snapshotFiles(dataDirs.get(4)!)).toHaveLength(1);
    expect(alone.status().membership.voters).toEqual([survivor.id, 4]);
  }, 20_000);
});

describe('backup and restore with streaming', () => {
  async function startMemoryCluster(ids: NodeId[], dataDirs: Map<NodeId, string>) {
    const network = new MemoryNetwork({ seed: 7 });
    networks.push(network);
    for (const id of ids) {
      await startNode(id, dataDirs.get(id)!, {
        voters: ids,
        transport: network.transport(id),
        snapshotEveryEntries: 25,
        tickIntervalMs: 20,
      });
    }
    return waitForLeader(servers.filter((s) => ids.includes(s.id)));
  }

  it('a backup of a streaming follower restores into streaming directories of a new cluster that answers the same', async () => {
    // init: a streaming cluster with more writes than one snapshot's worth.
    await startMemoryCluster([1, 2, 3], new Map([1, 2, 3].map((id) => [id, newDir()])));
    for (let i = 0; i < 60; i++) await write(`k${i}`, `v${i}`);
    await write('k7', null);
    const leader = await waitForLeader(servers);
    const follower = servers.find((s) => s !== leader)!;

    // act: back up the follower; the backup streams its snapshot file.
    const path = join(root, 'streaming.bak');
    const info = await follower.backup(path);
    const expected = new Map(machines.get(follower.id)!.data);
    expect(expected.get('k59')).toBe('v59');
    const ids = [11, 12, 13];
    const dataDirs = new Map(ids.map((id) => [id, newDir()]));
    for (const id of ids) {
      const report = await restoreBackup({
        backup: path,
        id,
        clusterId: 99,
        voters: ids,
        dataDir: dataDirs.get(id)!,
        snapshotStreaming: true,
        stateMachine: new KvMachine(),
      });
      expect(report.snapshotFile).toBe(
        join(dataDirs.get(id)!, 'snapshots', `snapshot-${info.index}-${info.term}.snap`),
      );
    }
    // check: each directory is a streaming one: the log names the file, nothing else is there
    expect(await RaftServer.inspect({ dataDir: dataDirs.get(11)! })).toMatchObject({
      snapshotStreaming: true,
      snapshot: { index: info.index, term: info.term, bytes: info.dataBytes, fileBytes: info.dataBytes },
    });
    for (const id of ids) expect(snapshotFiles(dataDirs.get(id)!)).toHaveLength(1);

    // act: the new cluster starts (streaming) from them.
    await startMemoryCluster(ids, dataDirs);

    // check: same answers on every member, and writes go on after the backup's index.
    for (const id of ids) expect(new Map(machines.get(id)!.data), `node ${id}`).toEqual(expected);
    const restored = servers.filter((s) => ids.includes(s.id));
    for (const s of servers) if (!ids.includes(s.id)) await s.close();
    await write('after', 'restore');
    await until('replicated', () => ids.every((id) => machines.get(id)!.data.get('after') === 'restore'));
    expect((await waitForLeader(restored)).status().commitIndex).toBeGreaterThan(info.index);
  });

  it('a damaged backup or a state the machine refuses leaves neither a log nor a snapshot file', async () => {
    // init: a backup of a streaming single node
    const dataDir = newDir();
    const server = await startNode(1, dataDir);
    await server.propose(setCommand('a', '1'));
    const path = join(root, 'small.bak');
    await server.backup(path);
    const bytes = readFileSync(path);
    bytes[bytes.length - 50]! ^= 1; // in the state: found by the SHA-256 at the end
    const damaged = join(root, 'small-damaged.bak');
    writeFileSync(damaged, bytes);
    const refusing = new KvMachine();
    refusing.restore = () => {
      throw new Error('not my format');
    };
    const base = { id: 1, clusterId: 77, voters: [1], snapshotStreaming: true };
    // act / check
    for (const [options, error] of [
      [{ backup: damaged }, /SHA-256 does not match/],
      [{ backup: path, stateMachine: refusing }, /not my format/],
    ] as const) {
      const target = newDir();
      await expect(restoreBackup({ ...base, ...options, dataDir: target })).rejects.toThrow(error);
      expect(existsSync(logPath(target))).toBe(false);
      expect(snapshotFiles(target)).toEqual([]);
    }
  });
});
