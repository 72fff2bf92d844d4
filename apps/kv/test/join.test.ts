/**
 * Growing a running kv cluster with real processes (issue 13): `kv node --join <url>` starts
 * an empty node that asks the cluster to add it (learner, caught up, promoted), so three
 * processes grow to four and five and every node serves reads and writes; a join the cluster
 * refuses (an id that is a member at another address) ends that process with the cluster's
 * code; and `kv cluster` restarts a node whose process is killed from outside. The built CLI
 * (`dist/cli.js`); build first: `npx turbo run build --filter=kv...`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCredentials } from '../src/cluster-credentials.js';
import { freePorts, LocalCluster } from '../src/index.js';
import type { MembersBody } from '../src/membership-api.js';
import { waiter } from './helpers/poll.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kv-join-'));
let cluster: LocalCluster;
const logs: string[] = [];

async function get(url: string): Promise<{ status: number; text: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, text: await res.text() };
  } catch {
    return { status: 0, text: '' };
  }
}

const until = waiter(logs, { timeoutMs: 30_000, everyMs: 100, tail: 30 });

async function members(url: string): Promise<MembersBody | undefined> {
  const r = await get(`${url}/members`);
  return r.status === 200 ? (JSON.parse(r.text) as MembersBody) : undefined;
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build first (npx turbo run build --filter=kv...)`);
  cluster = await LocalCluster.start({
    dir,
    tickIntervalMs: 50,
    logLevel: 'warn',
    restartCrashed: true,
    command: { file: process.execPath, args: [CLI] },
    onLog: (id, line) => logs.push(`[n${id}] ${line}`),
  });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kv --join and kv cluster, real processes', { timeout: 60_000 }, () => {
  it('three processes grow to four and five with kv node --join; every node reads and writes', async () => {
    // Init: data in the cluster first, so the newcomers have a log to catch up with.
    const first = cluster.node(1).url;
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${first}/kv/k${i}`, { method: 'PUT', body: `v${i}` });
      expect(r.status).toBe(200);
    }
    // Act: node 4 joins through node 1, node 5 through node 2.
    await cluster.join(4, 1);
    await cluster.join(5, 2);
    // Check: five voters, known with their addresses and URLs on every node.
    const all = cluster.nodes;
    expect(all.map((n) => n.id)).toEqual([1, 2, 3, 4, 5]);
    for (const n of all) {
      const m = await until(`node ${n.id} lists five voters`, async () => {
        const body = await members(n.url);
        return body?.members.filter((x) => x.role === 'voter').length === 5 ? body : undefined;
      });
      for (const x of m.members) expect(x.url).toBe(cluster.node(x.id).url);
    }
    // Writes through a newcomer, reads everywhere.
    const five = cluster.node(5).url;
    expect((await fetch(`${five}/kv/from-five`, { method: 'PUT', body: 'hello' })).status).toBe(200);
    for (const n of all) {
      expect(await get(`${n.url}/kv/from-five`)).toEqual({ status: 200, text: 'hello' });
      expect(await get(`${n.url}/kv/k7`)).toEqual({ status: 200, text: 'v7' });
    }
  });

  it('a join the cluster refuses ends the process with the cluster code (MEMBER_EXISTS)', async () => {
    // Init: node 2's id, at another address.
    const [raft, http] = await freePorts(2, '127.0.0.1');
    const credentials = clusterCredentials(dir);
    const proc = spawn(
      process.execPath,
      [
        CLI,
        'node',
        '--id',
        '2',
        '--http',
        `127.0.0.1:${http}`,
        '--raft',
        `127.0.0.1:${raft}`,
        '--data',
        join(dir, 'impostor'),
        '--join',
        cluster.node(1).url,
        '--cluster-id',
        String(credentials.clusterId),
        '--log-level',
        'silent',
      ],
      // It holds the cluster's credentials: the refusal tested is the membership's, not the handshake's.
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KV_CLUSTER_SECRET: credentials.clusterSecret },
      },
    );
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    // Act
    const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
    // Check
    expect(code).toBe(3);
    const refused = out
      .split('\n')
      .filter((l) => l.includes('join-refused'))
      .map((l) => JSON.parse(l) as { code: string });
    expect(refused).toEqual([expect.objectContaining({ code: 'MEMBER_EXISTS' })]);
    expect((await members(cluster.node(1).url))!.members.find((m) => m.id === 2)?.url).toBe(
      cluster.node(2).url,
    );
  });

  it('kv cluster restarts a node whose process was killed, and it catches up', async () => {
    // Init
    const victim = 3;
    const pid = cluster.pid(victim)!;
    // Act: killed from outside, as a crash would.
    process.kill(pid, 'SIGKILL');
    await until(
      'the node to be restarted',
      async () =>
        cluster.restartsOf(victim) === 1 && cluster.isRunning(victim) && cluster.pid(victim) !== pid,
    );
    // Check: it serves again and sees writes made after its restart.
    const url = cluster.node(1).url;
    expect((await fetch(`${url}/kv/after-crash`, { method: 'PUT', body: 'yes' })).status).toBe(200);
    await until('the restarted node reads the write', async () => {
      const r = await get(`${cluster.node(victim).url}/kv/after-crash`);
      return r.status === 200 && r.text === 'yes';
    });
  });
});
