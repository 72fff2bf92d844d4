/**
 * The kv API's cluster administration and exactly-once writes, on three in-process nodes
 * over real TCP: `GET /members` from the replicated membership on any node, `POST /members`
 * (learner, caught up, promoted; idempotent for a retrying joiner; `MEMBER_EXISTS` for an id
 * taken at another address), `POST /members/:id/promote`, `DELETE /members/:id`, and the
 * `Idempotency-Key` header (a retried write is applied once and answers the first result).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, jsonLogger, type KvNode, startKvNode } from '../src/index.js';
import type { MembersBody } from '../src/membership-api.js';
import { request, startNodes, type TestNodes, until } from './helpers/nodes.js';

let cluster: TestNodes;
let extra: KvNode | undefined;
const dir = mkdtempSync(join(tmpdir(), 'kv-members-'));

beforeAll(async () => {
  cluster = await startNodes(3);
}, 30_000);

afterAll(async () => {
  await extra?.close();
  await cluster?.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = { 'content-type': 'application/json' };

describe('membership endpoints', () => {
  it('GET /members on any node lists every member with its Raft address and URL, from the membership', async () => {
    const leader = await cluster.leader();
    for (const node of cluster.nodes) {
      const answer = await request(node.url, 'GET', '/members');
      expect(answer.status).toBe(200);
      const body = answer.json() as MembersBody;
      expect(body.leader).toBe(leader.id);
      expect(body.leaderUrl).toBe(leader.url);
      expect(body.members.map((m) => [m.id, m.role, m.url])).toEqual(
        cluster.nodes.map((n) => [n.id, 'voter', n.url]),
      );
      for (const m of body.members) expect(m.raft).toBe(`127.0.0.1:${cluster.nodes[m.id - 1]!.raft.port}`);
    }
  });

  it('POST /members adds a voter safely; asking again is a success; another address is MEMBER_EXISTS', async () => {
    // Init: node 4 started empty, knowing the members.
    const [raftPort, httpPort] = await freePorts(2, '127.0.0.1');
    extra = await startKvNode({
      id: 4,
      http: { host: '127.0.0.1', port: httpPort! },
      raft: { host: '127.0.0.1', port: raftPort! },
      peers: cluster.nodes.map((n) => ({ id: n.id, raft: n.raft, url: n.url })),
      dataDir: join(dir, 'n4'),
      join: true,
      tickIntervalMs: 20,
      logger: jsonLogger('silent'),
    });
    const leader = await cluster.leader();
    const follower = cluster.nodes.find((n) => n !== leader)!;
    const add = JSON.stringify({ id: 4, raft: `127.0.0.1:${raftPort}`, url: extra.url });
    // A follower names the leader.
    const refused = await request(follower.url, 'POST', '/members', add, json);
    expect(refused.status).toBe(503);
    expect(refused.json()).toMatchObject({ error: { code: 'NOT_LEADER' }, leaderUrl: leader.url });
    // Act
    const added = await request(leader.url, 'POST', '/members', add, json);
    const again = await request(leader.url, 'POST', '/members', add, json);
    const moved = await request(
      leader.url,
      'POST',
      '/members',
      JSON.stringify({ id: 4, raft: '127.0.0.1:1', url: extra.url }),
      json,
    );
    // Check
    expect(added.status, added.text).toBe(200);
    expect(again.status, again.text).toBe(200);
    expect(moved.status).toBe(409);
    expect(moved.json()).toMatchObject({ error: { code: 'MEMBER_EXISTS' } });
    const members = (await request(extra.url, 'GET', '/members')).json() as MembersBody;
    expect(members.members.find((m) => m.id === 4)).toEqual({
      id: 4,
      role: 'voter',
      raft: `127.0.0.1:${raftPort}`,
      url: extra.url,
    });
    // Every node knows the newcomer's URL from the membership (it was in no one's --peers).
    for (const n of cluster.nodes) {
      await until(`node ${n.id} knows node 4's URL`, () => {
        const m = n.server.status().membership.info?.[4];
        return m?.metadata === extra!.url;
      });
    }
  });

  it('DELETE /members/:id removes, POST /members with learner adds a learner, /promote makes it a voter', async () => {
    const leader = await cluster.leader();
    const removed = await request(leader.url, 'DELETE', '/members/4');
    expect(removed.status, removed.text).toBe(200);
    expect((removed.json() as MembersBody).members.map((m) => m.id)).toEqual([1, 2, 3]);
    const asLearner = await request(
      leader.url,
      'POST',
      '/members',
      JSON.stringify({
        id: 4,
        raft: `${extra!.raft.host}:${extra!.raft.port}`,
        url: extra!.url,
        learner: true,
      }),
      json,
    );
    expect(asLearner.status, asLearner.text).toBe(200);
    expect((asLearner.json() as MembersBody).members.find((m) => m.id === 4)?.role).toBe('learner');
    const promoted = await request(leader.url, 'POST', '/members/4/promote');
    expect(promoted.status, promoted.text).toBe(200);
    expect((promoted.json() as MembersBody).members.find((m) => m.id === 4)?.role).toBe('voter');
    expect((await request(leader.url, 'POST', '/members/9/promote')).status).toBe(404);
  });
});

describe('Idempotency-Key', () => {
  it('a retried write is applied once and answers the first result, through any node', async () => {
    const leader = await cluster.leader();
    const follower = cluster.nodes.find((n) => n !== leader)!;
    const key = { 'idempotency-key': 'order-42' };
    // Act: the same PUT twice (a client that lost the first answer), through two nodes.
    const first = await request(follower.url, 'PUT', '/kv/balance', '100', key);
    const retry = await request(leader.url, 'PUT', '/kv/balance', '100', key);
    // Check: the same answer, marked as a replay; one write in the log.
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const { index } = first.json() as { index: number };
    // A later write without the key moves on; the replay did not take an index of its own.
    const next = await request(leader.url, 'PUT', '/kv/balance', '90');
    expect((next.json() as { index: number }).index).toBeGreaterThan(index);
  });

  it('the same key with another request is refused with 422, and a malformed key with 400', async () => {
    const leader = await cluster.leader();
    await request(leader.url, 'PUT', '/kv/a', '1', { 'idempotency-key': 'k-1' });
    const reused = await request(leader.url, 'PUT', '/kv/a', '2', { 'idempotency-key': 'k-1' });
    expect(reused.status).toBe(422);
    expect(reused.json()).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    const bad = await request(leader.url, 'PUT', '/kv/a', '2', { 'idempotency-key': 'x'.repeat(300) });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'BAD_IDEMPOTENCY_KEY' } });
    const value = await request(leader.url, 'GET', '/kv/a');
    expect(value.text).toBe('1');
  });
});
