/**
 * The server side of the cluster view, on in-process nodes (real RaftServer, SQLite, TCP):
 * the event stream keeps streaming after its hello, the view's files are served with a CSP,
 * CORS answers member origins only, JSON-only admin bodies (no cross-site form posts), the
 * leader and membership endpoints, the launcher hook's token, and the partition filter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FilteredTransport } from '../src/raft-filter.js';
import { request, startNodes, type TestNodes, until } from './helpers/nodes.js';

const LAUNCHER_TOKEN = 'launcher-token-for-tests-0123456789';
let t: TestNodes;

beforeAll(async () => {
  t = await startNodes(3, { launcher: { url: 'http://127.0.0.1:9', token: LAUNCHER_TOKEN } });
  await t.leader();
});
afterAll(async () => {
  await t?.close();
});

/** Read SSE frames from `url/events` until `enough` says so (or 5 s pass); returns the event names. */
async function readEvents(url: string, enough: (names: string[]) => boolean): Promise<string[]> {
  const res = await fetch(`${url}/events`, { signal: AbortSignal.timeout(5000) });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const names: string[] = [];
  let buffer = '';
  try {
    while (!enough(names)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (const m of buffer.matchAll(/^event: (\w+)$/gm)) names.push(m[1]!);
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return names;
}

describe('the live event stream', () => {
  it('sends hello, then keeps sending state after the request body ended (heartbeats)', async () => {
    // init: a node; act: subscribe and read; check: more than one state frame arrives.
    const names = await readEvents(t.nodes[0]!.url, (n) => n.filter((x) => x === 'state').length >= 2);
    expect(names[0]).toBe('hello');
    expect(names.filter((x) => x === 'state').length).toBeGreaterThanOrEqual(2);
  });

  it('streams a timeline event when the leader changes', async () => {
    const leader = await t.leader();
    const other = t.nodes.find((n) => n.id !== leader.id)!;
    const reading = readEvents(other.url, (n) => n.includes('event'));
    await leader.server.transferLeadership(other.id);
    expect(await reading).toContain('event');
  });
});

describe('the view files', () => {
  it('serves the page, its script and style with a Content-Security-Policy', async () => {
    const url = t.nodes[0]!.url;
    for (const [path, type] of [
      ['/', 'text/html'],
      ['/view/app.js', 'text/javascript'],
      ['/view/style.css', 'text/css'],
    ] as const) {
      const r = await request(url, 'GET', path);
      expect(r.status).toBe(200);
      expect(r.headers['content-type']).toContain(type);
      expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    }
    expect((await request(url, 'GET', '/view/../src/kv-node.ts')).status).toBe(404);
  });
});

describe('CORS', () => {
  it('allows the origins of members only', async () => {
    const [a, b] = t.nodes;
    const member = await request(a!.url, 'GET', '/status', undefined, { origin: new URL(b!.url).origin });
    expect(member.headers['access-control-allow-origin']).toBe(new URL(b!.url).origin);
    const stranger = await request(a!.url, 'GET', '/status', undefined, { origin: 'http://evil.example' });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight from a member, and gives nothing to a stranger', async () => {
    const [a, b] = t.nodes;
    const ok = await request(a!.url, 'OPTIONS', '/kv/x', undefined, {
      origin: new URL(b!.url).origin,
      'access-control-request-method': 'PUT',
    });
    expect(ok.status).toBe(204);
    expect(ok.headers['access-control-allow-methods']).toContain('PUT');
    const no = await request(a!.url, 'OPTIONS', '/kv/x', undefined, { origin: 'http://evil.example' });
    expect(no.headers['access-control-allow-methods']).toBeUndefined();
  });
});

describe('leader and membership endpoints', () => {
  it('refuse a body that is not sent as JSON (a cross-site form post)', async () => {
    const leader = await t.leader();
    const r = await request(leader.url, 'POST', '/leader', JSON.stringify({ to: 1 }), {
      'content-type': 'text/plain',
    });
    expect(r.status).toBe(415);
    expect(r.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
  });

  it('POST /leader hands leadership over; a follower answers NOT_LEADER with the leader URL', async () => {
    const leader = await t.leader();
    const to = t.nodes.find((n) => n.id !== leader.id)!;
    const json = { 'content-type': 'application/json' };
    const onFollower = await request(to.url, 'POST', '/leader', JSON.stringify({ to: to.id }), json);
    expect(onFollower.status).toBe(503);
    expect(onFollower.json()).toMatchObject({ error: { code: 'NOT_LEADER' }, leaderUrl: leader.url });
    const r = await request(leader.url, 'POST', '/leader', JSON.stringify({ to: to.id }), json);
    expect(r.status, r.text).toBe(200);
    await until('the new leader', () => to.server.isLeader());
  });

  it('DELETE /members/:id removes a member and POST /members adds it back', async () => {
    const leader = await t.leader();
    const victim = t.nodes.find((n) => n.id !== leader.id)!;
    const removed = await request(leader.url, 'DELETE', `/members/${victim.id}`);
    expect(removed.status, removed.text).toBe(200);
    expect((removed.json() as { membership: { voters: number[] } }).membership.voters).not.toContain(
      victim.id,
    );
    const raft = `${victim.raft.host}:${victim.raft.port}`;
    const added = await request(
      leader.url,
      'POST',
      '/members',
      JSON.stringify({ id: victim.id, raft, url: victim.url }),
      { 'content-type': 'application/json' },
    );
    expect(added.status, added.text).toBe(200);
    expect((added.json() as { membership: { voters: number[] } }).membership.voters).toContain(victim.id);
    const bad = await request(leader.url, 'POST', '/members', JSON.stringify({ id: 0, raft }), {
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
  });
});

describe('the launcher hook', () => {
  it('takes a pushed state only with the launcher token, and partitions the node', async () => {
    const node = t.nodes[2]!;
    const body = JSON.stringify({ blocked: [1, 2], processes: { 1: 'running', 2: 'running', 3: 'running' } });
    const json = { 'content-type': 'application/json' };
    const anonymous = await request(node.url, 'POST', '/admin/launcher-state', body, json);
    expect(anonymous.status).toBe(401);
    expect(node.transport.blocked()).toEqual([]);
    const wrong = await request(node.url, 'POST', '/admin/launcher-state', body, {
      ...json,
      authorization: 'Bearer not-the-launcher-token-000',
    });
    expect(wrong.status).toBe(401);
    const ok = await request(node.url, 'POST', '/admin/launcher-state', body, {
      ...json,
      authorization: `Bearer ${LAUNCHER_TOKEN}`,
    });
    expect(ok.status).toBe(204);
    expect(node.transport.blocked()).toEqual([1, 2]);
    const heal = JSON.stringify({ blocked: [], processes: {} });
    await request(node.url, 'POST', '/admin/launcher-state', heal, {
      ...json,
      authorization: `Bearer ${LAUNCHER_TOKEN}`,
    });
    expect(node.transport.blocked()).toEqual([]);
  });

  it('does not exist on a node without a launcher', async () => {
    const plain = await startNodes(1);
    try {
      const r = await request(plain.nodes[0]!.url, 'POST', '/admin/launcher-state', '{}', {
        'content-type': 'application/json',
        authorization: `Bearer ${LAUNCHER_TOKEN}`,
      });
      expect(r.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('FilteredTransport', () => {
  it('drops Raft traffic to and from blocked peers, so a partitioned follower starts elections', async () => {
    // init: an agreed leader; act: cut a follower off; check: its term rises while the others
    // keep theirs, and it follows again after the heal.
    const leader = await t.leader();
    const follower = t.nodes.find((n) => n.id !== leader.id)!;
    const others = t.nodes.filter((n) => n !== follower).map((n) => n.id);
    const term = follower.server.status().term;
    follower.transport.block(others);
    for (const n of t.nodes) if (n !== follower) n.transport.block([follower.id]);
    await until('the partitioned follower to campaign', () => follower.server.status().role !== 'follower');
    expect(follower.transport.filterStats().droppedOut).toBeGreaterThan(0);
    expect(leader.server.isLeader()).toBe(true);
    for (const n of t.nodes) n.transport.block([]);
    await until('the follower to follow again', () => follower.server.leader() !== null);
    expect(follower.server.status().term).toBeGreaterThanOrEqual(term);
    expect(FilteredTransport.name).toBe('FilteredTransport');
  });
});
