/**
 * Backups: the file format written and read as a stream (a state of many chunks), every
 * damaged or hostile file refused before any of its state is kept (cut at every length, a
 * flipped bit at every byte, lengths that would make the reader allocate, a state over the
 * limit, bytes after the checksum, a newer format, a forged header with a valid checksum),
 * `server.backup` on a follower that holds every write acknowledged before the call, and
 * `restoreBackup` seeding a new cluster (new cluster id, new members) that answers the same
 * and carries on, with its refusals (the source's cluster id, a data directory in use, a
 * member list without the node).
 */
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { MemoryNetwork } from '@raft-io/testkit';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  BackupError,
  type BackupHeader,
  createRaftServer,
  InvalidArgumentError,
  MemoryLog,
  type NodeId,
  type RaftServer,
  readBackup,
  restoreBackup,
  SqliteLog,
  saveBackup,
  verifyBackup,
  writeBackup,
  writeBackupFile,
} from '../src/index.js';
import { until, waitForLeader } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

const root = mkdtempSync(join(tmpdir(), 'raft-io-backup-'));
let dirs = 0;
const newDir = () => join(root, `d${++dirs}`);

const HEADER: BackupHeader = {
  index: 42,
  term: 3,
  membership: { voters: [1, 2, 3], learners: [], outgoingVoters: [] },
  nodeId: 2,
  clusterId: 7,
  createdAt: '2026-01-01T00:00:00.000Z',
};

async function backupBytes(data: Uint8Array[], header = HEADER): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  await writeBackup((c) => void parts.push(Buffer.from(c)), header, data);
  return Buffer.concat(parts);
}

async function refusal(bytes: Uint8Array, maxBytes?: number): Promise<BackupError> {
  const error = await readBackup(Readable.from([bytes]), maxBytes === undefined ? {} : { maxBytes }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  return error as BackupError;
}

let nodes: RaftServer<string | null>[] = [];
let networks: MemoryNetwork[] = [];

async function startMemoryCluster(ids: NodeId[], logs?: Map<NodeId, { dataDir: string }>) {
  const network = new MemoryNetwork({ seed: 7 });
  networks.push(network);
  const machines = new Map<NodeId, KvMachine>();
  const servers: RaftServer<string | null>[] = [];
  for (const id of ids) {
    const sm = new KvMachine();
    machines.set(id, sm);
    const where = logs?.get(id) ?? { log: new MemoryLog() };
    const server = await createRaftServer<string | null>({
      id,
      voters: ids,
      ...where,
      transport: network.transport(id),
      stateMachine: sm,
      tickIntervalMs: 10,
      snapshotEveryEntries: 25,
    });
    servers.push(server);
    nodes.push(server);
  }
  return { servers, machines };
}

afterEach(async () => {
  await Promise.all(nodes.map((s) => s.close()));
  nodes = [];
  await Promise.all(networks.map((n) => n.close()));
  networks = [];
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the backup format', () => {
  it('writes and reads a state of many chunks as a stream, checksummed', async () => {
    // init: 5 MiB of state in uneven chunks.
    const state = randomBytes(5 * 1024 * 1024 + 17);
    const chunks = [state.subarray(0, 3), state.subarray(3, 2_000_000), state.subarray(2_000_000)];
    const path = join(root, 'format.bak');
    // act
    const written = await writeBackupFile(path, (sink) => writeBackup(sink, HEADER, chunks));
    const read = await readBackup(path, { maxBytes: 8 * 1024 * 1024 });
    // check
    expect(Buffer.from(read.data).equals(state)).toBe(true);
    expect(read.info).toEqual(written);
    expect(written).toMatchObject({ ...HEADER, format: 1, dataBytes: state.length });
    expect(written.fileBytes).toBe(readFileSync(path).length);
    expect(await verifyBackup(path)).toEqual(written);
  });

  it('saves a backup arriving as a stream only when it is whole and valid', async () => {
    const bytes = await backupBytes([Buffer.from('streamed state')]);
    const path = join(root, 'saved.bak');
    const info = await saveBackup(Readable.from([bytes.subarray(0, 10), bytes.subarray(10)]), path);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(info.dataBytes).toBe(14);
    const cut = join(root, 'cut.bak');
    await expect(
      saveBackup(Readable.from([bytes.subarray(0, bytes.length - 1)]), cut),
    ).rejects.toBeInstanceOf(BackupError);
    expect(existsSync(cut)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('cut.bak'))).toEqual([]);
  });

  it('refuses a backup cut short at any length, with nothing returned', async () => {
    const bytes = await backupBytes([Buffer.from('some state'), Buffer.from('more')]);
    for (let n = 0; n < bytes.length; n++) {
      const error = await refusal(bytes.subarray(0, n));
      expect(['not-a-backup', 'truncated']).toContain(error.reason);
    }
  });

  it('refuses a backup with any one bit flipped', async () => {
    const bytes = await backupBytes([Buffer.from('the state of the machine'), Buffer.from('!')]);
    for (let i = 0; i < bytes.length; i++) {
      const damaged = Buffer.from(bytes);
      damaged[i]! ^= 1 << (i % 8);
      await refusal(damaged);
    }
  });

  it('refuses lengths that would make it allocate, a state over the limit, trailing bytes and a newer format', async () => {
    const bytes = await backupBytes([Buffer.alloc(1000, 1)]);
    const headerLength = bytes.readUInt32BE(12);
    const hugeHeader = Buffer.from(bytes);
    hugeHeader.writeUInt32BE(0xffffffff, 12);
    expect((await refusal(hugeHeader)).reason).toBe('malformed');
    const hugeChunk = Buffer.from(bytes);
    hugeChunk.writeUInt32BE(0xfffffff0, 16 + headerLength);
    expect((await refusal(hugeChunk)).reason).toBe('malformed');
    expect((await refusal(bytes, 999)).reason).toBe('too-large');
    expect((await refusal(Buffer.concat([bytes, Buffer.from([0])]))).reason).toBe('malformed');
    const newer = Buffer.from(bytes);
    newer.writeUInt32BE(2, 8);
    expect((await refusal(newer)).reason).toBe('unsupported-version');
    expect((await refusal(Buffer.from('not a backup at all'))).reason).toBe('not-a-backup');
  });

  it('refuses a header that is not a backup header even under a valid checksum', async () => {
    const forged = [
      { ...HEADER, index: 0 },
      { ...HEADER, term: -1 },
      { ...HEADER, membership: { voters: [], learners: [], outgoingVoters: [] } },
      { ...HEADER, membership: { voters: [1, 1], learners: [], outgoingVoters: [] } },
      { ...HEADER, nodeId: 1.5 },
    ];
    for (const header of forged) {
      const error = await refusal(await backupBytes([Buffer.from('x')], header as BackupHeader));
      expect(error.reason).toBe('malformed');
    }
  });
});

describe('server.backup and restoreBackup', () => {
  it('backs up a follower with every acknowledged write, and restores it into a new cluster that answers the same and carries on', async () => {
    // init: a three-node cluster with more writes than one snapshot's worth.
    const { servers } = await startMemoryCluster([1, 2, 3]);
    const leader = await waitForLeader(servers);
    for (let i = 0; i < 60; i++) await leader.propose(setCommand(`k${i}`, `v${i}`));
    await leader.propose(setCommand('k7', null));
    const follower = servers.find((s) => s !== leader)!;

    // act: back up from the follower (a read index first), to a file and to a stream.
    const path = join(root, 'cluster.bak');
    const info = await follower.backup(path);
    const streamed: Buffer[] = [];
    const sink = new PassThrough();
    sink.on('data', (c: Buffer) => streamed.push(c));
    const streamInfo = await follower.backupTo(sink);

    // check: the backup holds the last acknowledged write and stands at the follower's index.
    expect(info.index).toBeGreaterThanOrEqual(leader.status().commitIndex - 1);
    expect(info.membership.voters).toEqual([1, 2, 3]);
    expect(info.nodeId).toBe(follower.id);
    expect(streamInfo.index).toBeGreaterThanOrEqual(info.index);
    expect((await readBackup(Readable.from(streamed))).info.sha256).toBe(streamInfo.sha256);
    const probe = new KvMachine();
    probe.restore((await readBackup(path)).data);
    expect(probe.data.get('k59')).toBe('v59');
    expect(probe.data.has('k7')).toBe(false);

    // act: seed three new members (ids 11..13, cluster 99) and start them.
    const ids = [11, 12, 13];
    const dataDirs = new Map(ids.map((id) => [id, { dataDir: newDir() }]));
    for (const id of ids) {
      const report = await restoreBackup({
        backup: path,
        id,
        clusterId: 99,
        voters: ids,
        dataDir: dataDirs.get(id)!.dataDir,
        stateMachine: new KvMachine(),
      });
      expect(report).toMatchObject({ index: info.index, term: info.term, clusterId: 99 });
      expect(report.membership.voters).toEqual(ids);
    }
    const restored = await startMemoryCluster(ids, dataDirs);
    const newLeader = await waitForLeader(restored.servers);

    // check: every key answers the same on every new member; writes continue after the backup's index.
    for (const [id, sm] of restored.machines) {
      expect(new Map(sm.data), `node ${id}`).toEqual(probe.data);
    }
    await newLeader.propose(setCommand('after', 'restore'));
    await until('replicated', () =>
      [...restored.machines.values()].every((sm) => sm.data.get('after') === 'restore'),
    );
    expect(newLeader.status().commitIndex).toBeGreaterThan(info.index);
    expect(newLeader.status().membership.voters).toEqual(ids);
  });

  it('refuses to restore under the cluster id the backup came from, into a data directory in use, or without the node among the voters', async () => {
    const path = join(root, 'refusals.bak');
    await writeBackupFile(path, (sink) => writeBackup(sink, HEADER, [new KvMachine().snapshot()]));
    const base = { backup: path, voters: [1, 2, 3], clusterId: 8 };
    // The source's cluster id.
    const dir = newDir();
    await expect(restoreBackup({ ...base, id: 1, clusterId: 7, dataDir: dir })).rejects.toThrow(
      /cluster the backup/,
    );
    expect(existsSync(join(dir, 'raft-log.sqlite'))).toBe(false);
    // Not a voter.
    await expect(restoreBackup({ ...base, id: 4, dataDir: dir })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    // A data directory that holds a log already is left as it was, even one that records no
    // identity yet (opening it with one would record it).
    const used = newDir();
    mkdirSync(used, { recursive: true });
    const existing = SqliteLog.open(join(used, 'raft-log.sqlite'));
    existing.write({ hardState: { term: 1, vote: 1, commit: 0 } });
    existing.close();
    const before = readFileSync(join(used, 'raft-log.sqlite'));
    await expect(restoreBackup({ ...base, id: 1, dataDir: used })).rejects.toThrow(/already holds a log/);
    expect(readFileSync(join(used, 'raft-log.sqlite')).equals(before)).toBe(true);
    expect(existsSync(join(used, 'raft-log.sqlite-wal'))).toBe(false);
    // A damaged backup creates nothing.
    const damaged = join(root, 'damaged.bak');
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(damaged, bytes);
    const untouched = newDir();
    await expect(
      restoreBackup({ ...base, backup: damaged, id: 1, dataDir: untouched }),
    ).rejects.toBeInstanceOf(BackupError);
    expect(existsSync(join(untouched, 'raft-log.sqlite'))).toBe(false);
    // A state machine that cannot decode the state refuses it before anything is written.
    const undecodable = newDir();
    const sm = new KvMachine();
    sm.restore = () => {
      throw new Error('not my format');
    };
    await expect(restoreBackup({ ...base, id: 1, dataDir: undecodable, stateMachine: sm })).rejects.toThrow(
      /not my format/,
    );
    expect(existsSync(join(undecodable, 'raft-log.sqlite'))).toBe(false);
  });

  it('records the new identity, the backup’s index and term, and the new membership in the restored log', async () => {
    const path = join(root, 'identity.bak');
    await writeBackupFile(path, (sink) => writeBackup(sink, HEADER, [Buffer.from('state')]));
    const dataDir = newDir();
    await restoreBackup({
      backup: path,
      id: 5,
      clusterId: 1234,
      voters: [5, 6],
      learners: [7],
      memberInfo: { 5: { address: '10.0.0.5:7000', metadata: 'http://10.0.0.5:8000' } },
      dataDir,
    });
    const log = SqliteLog.open(join(dataDir, 'raft-log.sqlite'), {
      identity: { nodeId: 5, clusterId: 1234 },
    });
    try {
      expect(log.hardState()).toEqual({ term: 3, vote: null, commit: 42 });
      expect(log.firstIndex()).toBe(43);
      expect(log.snapshot()!.metadata).toEqual({
        index: 42,
        term: 3,
        membership: {
          voters: [5, 6],
          learners: [7],
          outgoingVoters: [],
          info: { 5: { address: '10.0.0.5:7000', metadata: 'http://10.0.0.5:8000' } },
        },
      });
      expect(Buffer.from(log.snapshot()!.data).toString()).toBe('state');
    } finally {
      log.close();
    }
  });
});
