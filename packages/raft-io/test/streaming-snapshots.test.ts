/**
 * Streaming snapshots in `RaftServer` (D28), on real SQLite files and real TCP: a snapshot is
 * a file beside the log, written in the background, sent to a new learner chunk by chunk
 * from disk, received into a file and restored from it; old files go once nothing needs them;
 * a restart restores from the file its log names; a damaged file is refused.
 */
import { mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRaftServer, type RaftServer, type RaftServerOptions } from '../src/index.js';
import { freePorts, until, waitForLeader } from './helpers/cluster.js';
import { SyntheticMachine } from './helpers/synthetic-machine.js';

const roots: string[] = [];
const servers: RaftServer<number>[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function tempRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'raft-io-stream-'));
  roots.push(root);
  return root;
}

const command = (i: number): Uint8Array => new TextEncoder().encode(`c${i}`);
const snapshotFiles = (dir: string): string[] => readdirSync(join(dir, 'snapshots')).sort();

async function start(
  options: Partial<RaftServerOptions<number>> & { dataDir: string; stateMachine: SyntheticMachine },
): Promise<RaftServer<number>> {
  const server = await createRaftServer<number>({
    id: 1,
    snapshotStreaming: true,
    snapshotEveryEntries: 0,
    tickIntervalMs: 20,
    logger: 'silent',
    ...options,
  });
  servers.push(server);
  return server;
}

describe('streaming snapshots on one node', () => {
  it('a snapshot is a file beside the log, the log keeps its size, and a restart restores from it', async () => {
    // init
    const dataDir = join(tempRoot(), 'n1');
    const sm = new SyntheticMachine(3 * 1024 * 1024 + 5);
    const server = await start({ dataDir, stateMachine: sm });
    for (let i = 0; i < 20; i++) await server.propose(command(i));
    // act
    const index = await server.snapshot();
    // check: one file named for the index and term, as large as the stream
    expect(snapshotFiles(dataDir)).toEqual([`snapshot-${index}-${server.status().term}.snap`]);
    const before = { count: sm.count, hash: sm.hash };
    // act: more commands, then a restart
    for (let i = 20; i < 25; i++) await server.propose(command(i));
    await server.close();
    servers.length = 0;
    const sm2 = new SyntheticMachine(sm.size);
    await start({ dataDir, stateMachine: sm2 });
    // check: restored from the file, then the tail applied again
    expect(sm2.restores).toBe(1);
    expect({ count: sm2.count, hash: sm2.hash }).toEqual({ count: sm.count, hash: sm.hash });
    expect(before.count).toBe(20);
  });

  it('a newer snapshot replaces the file; the old one is removed once the log names the new one', async () => {
    // init
    const dataDir = join(tempRoot(), 'n1');
    const server = await start({ dataDir, stateMachine: new SyntheticMachine(1000) });
    await server.propose(command(1));
    const first = await server.snapshot();
    // act
    await server.propose(command(2));
    const second = await server.snapshot();
    // check
    expect(second).toBeGreaterThan(first);
    await until('the old file removed', () => snapshotFiles(dataDir).length === 1, 2000);
    expect(snapshotFiles(dataDir)).toEqual([`snapshot-${second}-${server.status().term}.snap`]);
  });

  it('proposals keep committing while a snapshot file is being written', async () => {
    // init: a state machine whose stream is slow (a chunk per 5 ms)
    const dataDir = join(tempRoot(), 'n1');
    const sm = new SyntheticMachine(40 * 1024 * 1024);
    const slow = sm.snapshotStream.bind(sm);
    sm.snapshotStream = () => {
      const inner = slow();
      return (async function* () {
        for await (const chunk of inner) {
          await new Promise((r) => setTimeout(r, 5));
          yield chunk;
        }
      })();
    };
    const server = await start({ dataDir, stateMachine: sm });
    await server.propose(command(0));
    // act: a snapshot that takes about 200 ms to write, and proposals meanwhile
    let done = false;
    const taking = server.snapshot().then((i) => {
      done = true;
      return i;
    });
    let committedDuring = 0;
    for (let i = 1; !done && i < 10_000; i++) {
      await server.propose(command(i));
      if (!done) committedDuring++;
    }
    const index = await taking;
    // check: commits went on while the file was written; the snapshot stands at its capture
    expect(committedDuring).toBeGreaterThan(10);
    expect(index).toBeLessThan(server.status().commitIndex);
  });

  it('a log whose snapshot file is damaged is refused at start, not restored from', async () => {
    // init
    const dataDir = join(tempRoot(), 'n1');
    const server = await start({ dataDir, stateMachine: new SyntheticMachine(10_000) });
    await server.propose(command(1));
    await server.snapshot();
    await server.close();
    servers.length = 0;
    const [name] = snapshotFiles(dataDir);
    // act: the file is cut short
    truncateSync(join(dataDir, 'snapshots', name!), 100);
    // check
    await expect(start({ dataDir, stateMachine: new SyntheticMachine(10_000) })).rejects.toMatchObject({
      code: 'STORAGE',
    });
    // act: the right size with damaged bytes
    writeFileSync(join(dataDir, 'snapshots', name!), Buffer.alloc(10_024 + 9, 7));
    const sm = new SyntheticMachine(10_000);
    await expect(start({ dataDir, stateMachine: sm })).rejects.toThrow();
    expect(sm.restores).toBe(0);
  });
});

describe('streaming snapshots between nodes', () => {
  it('a new learner gets the leader’s snapshot over TCP chunk by chunk, from file to file, and restores it', async () => {
    // init: a leader with a 6 MiB snapshot (chunks of 256 KiB) and its log compacted
    const root = tempRoot();
    const ports = await freePorts(2);
    const tcp = (id: number, peers: number[]) => ({
      clusterId: 9,
      listen: { host: '127.0.0.1', port: ports[id - 1]! },
      peers: Object.fromEntries(peers.map((p) => [p, { host: '127.0.0.1', port: ports[p - 1]! }])),
    });
    const size = 6 * 1024 * 1024;
    const raft = { snapshotChunkSize: 256 * 1024 };
    const leaderSm = new SyntheticMachine(size);
    const leader = await start({
      dataDir: join(root, 'n1'),
      stateMachine: leaderSm,
      voters: { 1: `127.0.0.1:${ports[0]}` },
      tcp: tcp(1, []),
      raft,
    });
    await waitForLeader([leader]);
    for (let i = 0; i < 30; i++) await leader.propose(command(i));
    await leader.snapshot();
    // act: a fresh node joins as a learner
    const learnerSm = new SyntheticMachine(size);
    const learner = await start({
      id: 2,
      voters: [],
      dataDir: join(root, 'n2'),
      stateMachine: learnerSm,
      tcp: tcp(2, [1]),
      raft,
    });
    await leader.addLearner(2, { address: `127.0.0.1:${ports[1]}`, catchUp: true });
    await leader.propose(command(30));
    await until('the learner caught up', () => learnerSm.count === leaderSm.count, 10_000);
    // check: restored from a received file, which is now its snapshot file; no partial left
    expect(learnerSm.restores).toBe(1);
    expect(learnerSm.hash).toBe(leaderSm.hash);
    const files = snapshotFiles(join(root, 'n2'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^snapshot-\d+-\d+\.snap$/);
    expect(learner.status().snapshotIndex).toBeGreaterThan(0);
  });
});
