/**
 * End to end: three `kv node` processes (the built CLI, `dist/cli.js`) on 127.0.0.1 with
 * SQLite logs in a temp dir. Writes through any node are readable from every node; bad
 * requests get 4xx JSON errors and the node keeps serving; SIGKILL of the leader's process
 * elects a new leader without losing an acknowledged write, and the restarted process
 * catches up. The nodes run with a status token (handed over in their environment), so
 * `/status` and `/metrics` answer 401 without it. Build first:
 * `npx turbo run build --filter=kv...`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeFrame, encodeHandshakeFrame } from '@raft-io/framing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCredentials } from '../src/cluster-credentials.js';
import { LocalCluster, type NodeStatus } from '../src/index.js';
import { fetchStatusJson, waiter } from './helpers/poll.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kv-e2e-'));
let cluster: LocalCluster;
const logs: string[] = [];
const STATUS_TOKEN = 'e2e-status-token-0123456789';
const AUTH = { authorization: `Bearer ${STATUS_TOKEN}` };

async function call(
  url: string,
  init: { method?: string; body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; json: () => unknown; node: string | null }> {
  const res = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.headers !== undefined ? { headers: init.headers } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
    signal: AbortSignal.timeout(8000),
  });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text), node: res.headers.get('x-kv-node') };
}

/** Write `request` on a fresh connection to `url`'s host and return all it answers until the server closes. */
function rawRequest(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
  });
}

const status = (url: string) => fetchStatusJson<NodeStatus>(url, AUTH);

const until = waiter(logs, { timeoutMs: 15_000, everyMs: 50 });

/** The leader's id once every running node agrees on it. */
async function agreedLeader(ids: number[]): Promise<number> {
  return until('an agreed leader', async () => {
    const statuses = await Promise.all(ids.map((id) => status(cluster.node(id).url)));
    const leader = statuses.find((s) => s?.role === 'leader');
    if (!leader || !statuses.every((s) => s?.leader === leader.id)) return undefined;
    return leader.id;
  });
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build first (npx turbo run build --filter=kv...)`);
  cluster = await LocalCluster.start({
    dir,
    tickIntervalMs: 50,
    logLevel: 'warn',
    statusToken: STATUS_TOKEN,
    command: { file: process.execPath, args: [CLI] },
    onLog: (id, line) => logs.push(`[n${id}] ${line}`),
  });
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kv, three processes', () => {
  it('writes through any node are readable from every node', async () => {
    await agreedLeader([1, 2, 3]);
    for (const n of cluster.nodes) {
      const put = await call(`${n.url}/kv/from-${n.id}`, { method: 'PUT', body: `value ${n.id}` });
      expect(put.status).toBe(200);
      expect(put.json()).toMatchObject({ created: true });
    }
    for (const reader of cluster.nodes) {
      for (const writer of cluster.nodes) {
        const got = await call(`${reader.url}/kv/from-${writer.id}`);
        expect(got.status).toBe(200);
        expect(got.text).toBe(`value ${writer.id}`);
        expect(got.node).toBe(String(reader.id));
      }
    }
    // Compare-and-set and delete through a follower (forwarded to the leader).
    const leader = await agreedLeader([1, 2, 3]);
    const follower = cluster.nodes.find((n) => n.id !== leader)!;
    const cas = await call(`${follower.url}/kv/from-1/cas`, {
      method: 'POST',
      body: JSON.stringify({ expected: 'value 1', value: 'swapped' }),
    });
    expect(cas.status).toBe(200);
    const stale = await call(`${follower.url}/kv/from-1/cas`, {
      method: 'POST',
      body: JSON.stringify({ expected: 'value 1', value: 'again' }),
    });
    expect(stale.status).toBe(409);
    expect(stale.json()).toMatchObject({ error: { code: 'CAS_MISMATCH' }, current: 'swapped' });
    expect((await call(`${follower.url}/kv/from-2`, { method: 'DELETE' })).json()).toMatchObject({
      deleted: true,
    });
    const gone = await call(`${cluster.node(3).url}/kv/from-2`);
    expect(gone.status).toBe(404);
    expect(gone.json()).toMatchObject({ error: { code: 'KEY_NOT_FOUND' } });
    const st = (await status(follower.url))!;
    expect(st).toMatchObject({ id: follower.id, leader, role: 'follower' });
    expect((st as unknown as { members: unknown[] }).members).toEqual(
      cluster.nodes.map((n) => ({ id: n.id, url: n.url, voter: true })),
    );
    const metrics = await call(`${follower.url}/metrics`, { headers: AUTH });
    expect(metrics.status).toBe(200);
    expect((await call(`${follower.url}/metrics`)).status).toBe(401);
    expect((await call(`${follower.url}/status`)).status).toBe(401);
    expect(metrics.text).toContain('raft_applied_total');
    expect(metrics.text).toContain('kv_http_requests_total');
  });

  it('an outsider on a Raft port is no peer: a forged AppendEntries claiming node 2 is refused (issue 12)', async () => {
    // init: the attacker knows the cluster id, the member ids and the indexes (worst case:
    // all of /status), but not the cluster secret that `kv cluster` made for the nodes.
    const leader = await agreedLeader([1, 2, 3]);
    const victim = cluster.nodes.find((n) => n.id !== leader && n.id !== 2)!;
    const { clusterId } = clusterCredentials(dir);
    const before = (await until('the victim status', () => status(victim.url))) as NodeStatus & {
      lastIndex: number;
    };

    // act: the forged write of the security review: term + 100, prev from /status, commit past it
    const socket = connect(victim.raft.port, victim.raft.host);
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.write(encodeHandshakeFrame(clusterId, { from: 2, to: victim.id, protocolVersion: 2 }));
    const forged = encodeFrame(clusterId, {
      type: 'append-entries',
      from: 2,
      to: victim.id,
      term: before.term + 100,
      prevLogIndex: before.lastIndex,
      prevLogTerm: before.term,
      entries: [
        {
          index: before.lastIndex + 1,
          term: before.term + 100,
          type: 'command',
          data: new Uint8Array([1, 2, 3]),
        },
      ],
      commit: before.lastIndex + 1,
    });
    socket.write(forged);

    // check: the connection is closed without a session, and the victim never took the
    // forged term (the first thing an accepted AppendEntries does). Elections may happen on
    // a loaded machine; none reaches term + 100.
    await closed;
    const after = (await until('the victim status', () => status(victim.url))) as NodeStatus;
    expect(after.term).toBeLessThan(before.term + 100);
  });

  it('bad requests get 4xx JSON errors and the node keeps serving', async () => {
    const url = cluster.node(1).url;
    const cases: [string, { method?: string; body?: string | Uint8Array }, number, string][] = [
      ['/nothing/here', {}, 404, 'NOT_FOUND'],
      ['/kv/%E0%A4%A', {}, 400, 'BAD_KEY'],
      ['/kv/', {}, 400, 'BAD_KEY'],
      [`/kv/${'k'.repeat(2000)}`, {}, 400, 'BAD_KEY'],
      ['/kv/a', { method: 'PATCH' }, 405, 'METHOD_NOT_ALLOWED'],
      ['/kv/a/cas', { method: 'POST', body: 'not json' }, 400, 'BAD_JSON'],
      ['/kv/a/cas', { method: 'POST', body: '{"value":"x"}' }, 400, 'BAD_REQUEST'],
    ];
    for (const [path, init, code, errorCode] of cases) {
      const r = await call(`${url}${path}`, init);
      expect(r.status, path).toBe(code);
      expect(r.json(), path).toMatchObject({ error: { code: errorCode, message: expect.any(String) } });
    }
    // Too large by its declared length: answered before the body is read, and the connection
    // closed. Sent by hand (headers only): a client still writing the body when the close
    // comes may see EPIPE instead of the answer, which would make this test flaky.
    const tooLarge = await rawRequest(
      url,
      `PUT /kv/big HTTP/1.1\r\nhost: x\r\ncontent-length: ${1024 * 1024 + 1}\r\n\r\n`,
    );
    expect(tooLarge).toMatch(/^HTTP\/1\.1 413 /);
    expect(tooLarge).toContain('"PAYLOAD_TOO_LARGE"');
    expect((await call(`${url}/kv/after-errors`, { method: 'PUT', body: 'ok' })).status).toBe(200);
    expect((await call(`${url}/kv/after-errors`)).text).toBe('ok');
  });

  it('SIGKILL of the leader: a new leader, no acknowledged write lost, the restarted process catches up', async () => {
    const ids = [1, 2, 3];
    const oldLeader = await agreedLeader(ids);
    const acked = new Map<string, string>();
    let seq = 0;
    let writing = true;
    const writer = async (node: number) => {
      while (writing) {
        const i = seq++;
        const target = cluster.node(((node + i) % 3) + 1);
        if (!cluster.isRunning(target.id)) continue;
        try {
          const r = await call(`${target.url}/kv/w${i}`, { method: 'PUT', body: `v${i}` });
          if (r.status === 200) acked.set(`w${i}`, `v${i}`);
        } catch {
          // connection refused or reset by the killed process: the outcome is unknown
        }
      }
    };
    const writers = [0, 1, 2, 3].map((n) => writer(n));
    await until('some writes acknowledged', async () => acked.size >= 30);
    await cluster.kill(oldLeader, 'SIGKILL');
    const survivors = ids.filter((id) => id !== oldLeader);
    const newLeader = await agreedLeader(survivors);
    expect(newLeader).not.toBe(oldLeader);
    const before = acked.size;
    await until('writes acknowledged by the new leader', async () => acked.size >= before + 20);
    writing = false;
    await Promise.all(writers);

    for (const id of survivors) {
      for (const [key, value] of acked) {
        const r = await call(`${cluster.node(id).url}/kv/${key}`);
        expect(r.status, `${key} on node ${id}`).toBe(200);
        expect(r.text).toBe(value);
      }
    }

    await cluster.startNode(oldLeader);
    const leaderStatus = (await status(cluster.node(newLeader).url))!;
    const restarted = cluster.node(oldLeader).url;
    await until('the restarted node catches up', async () => {
      const s = await status(restarted);
      return s !== null && s.appliedIndex >= leaderStatus.commitIndex && s.leader === newLeader;
    });
    for (const [key, value] of acked) {
      const r = await call(`${restarted}/kv/${key}`);
      expect(r.status, key).toBe(200);
      expect(r.text).toBe(value);
    }
  }, 45_000);
});
