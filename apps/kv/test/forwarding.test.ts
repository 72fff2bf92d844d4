/**
 * A follower forwards the key it parsed, not the raw request target: the same request
 * writes the same key whether it reaches the leader or a follower. The attack this stops:
 * `PUT /kv/tenantA-x\..\admin` on a follower used to be resolved as a URL on its way to the
 * leader (`\` to `/`, then the `..` segment), and wrote `admin`; a `#` cut the key short.
 * Writes now travel to the leader as the encoded command, over the Raft transport (raft-io's
 * forwarding), so the parsed key is what arrives. Three in-process nodes over real TCP;
 * requests are sent with their raw target, byte for byte.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvNode, kvPath, parseTarget } from '../src/index.js';
import { request, startNodes, type TestNodes, until } from './helpers/nodes.js';

/** Raw request target → the key it names. */
const CASES: [string, string][] = [
  ['/kv/tenantA-x\\..\\admin', 'tenantA-x\\..\\admin'],
  ['/kv/tenantA-x%5C..%5Cadmin', 'tenantA-x\\..\\admin'],
  ['/kv/..', '..'],
  ['/kv/%2e%2E', '..'],
  ['/kv/.', '.'],
  ['/kv/x%2F..%2Fadmin', 'x/../admin'],
  ['/kv/a%2Fb', 'a/b'],
  ['/kv/a#b', 'a#b'],
  ['/kv/b%23c', 'b#c'],
  ['/kv/a%3Fb?ignored=1', 'a?b'],
  ['/kv/%25', '%'],
  ['/kv/%E2%9C%93%20%F0%9F%94%91', '✓ 🔑'],
];

const bytes = (text: string) => new TextEncoder().encode(text);

let cluster: TestNodes;
let leader: KvNode;
let follower: KvNode;

beforeAll(async () => {
  cluster = await startNodes(3);
  leader = await cluster.leader();
  follower = cluster.nodes.find((n) => n !== leader)!;
}, 30_000);

afterAll(async () => {
  await cluster?.close();
});

/** Wait until every node applied what the leader committed. */
async function settled(): Promise<void> {
  const commit = leader.server.status().commitIndex;
  await until('every node applies the commit', () =>
    cluster.nodes.every((n) => n.server.appliedIndex() >= commit),
  );
}

describe('forwarding keeps the key', () => {
  it('a write through a follower and through the leader lands on the same key', async () => {
    // init: the keys the cases name, counted once each.
    const expectedKeys = new Set(CASES.map(([, key]) => key));
    for (const [i, [path, key]] of CASES.entries()) {
      // act: the same raw request, first through a follower, then through the leader.
      const viaFollower = await request(follower.url, 'PUT', path, `follower ${i}`);
      expect(viaFollower.status, path).toBe(200);
      await settled();
      // check: every node holds the value under the parsed key.
      for (const n of cluster.nodes)
        expect(n.stateMachine.get(key), `${path} on ${n.id}`).toEqual(bytes(`follower ${i}`));
      const viaLeader = await request(leader.url, 'PUT', path, `leader ${i}`);
      expect(viaLeader.status, path).toBe(200);
      await settled();
      for (const n of cluster.nodes)
        expect(n.stateMachine.get(key), `${path} on ${n.id}`).toEqual(bytes(`leader ${i}`));
    }
    // check: no other key was written (no `admin`, no truncated `a`).
    for (const n of cluster.nodes) expect(n.stateMachine.size).toBe(expectedKeys.size);
    expect(leader.stateMachine.get('admin')).toBeUndefined();
    expect(leader.stateMachine.get('a')).toBeUndefined();
  });

  it('compare-and-set and delete through a follower use the parsed key too', async () => {
    // init
    const path = '/kv/cas%2F..%2Fadmin';
    expect((await request(leader.url, 'PUT', path, 'one')).status).toBe(200);
    // act
    const cas = await request(
      `${follower.url}`,
      'POST',
      `${path}/cas`,
      JSON.stringify({ expected: 'one', value: 'two' }),
    );
    // check
    expect(cas.status, cas.text).toBe(200);
    await settled();
    expect(leader.stateMachine.get('cas/../admin')).toEqual(bytes('two'));
    // act
    const del = await request(follower.url, 'DELETE', '/kv/..');
    // check
    expect(del.json()).toMatchObject({ deleted: true });
    await settled();
    expect(leader.stateMachine.get('..')).toBeUndefined();
  });
});

describe('kvPath and parseTarget', () => {
  // Keys built from the characters that URL handling treats specially, and any unicode.
  const tricky = fc.constantFrom(
    '.',
    '..',
    '\\',
    '/',
    '%',
    '#',
    '?',
    ' ',
    '+',
    '&',
    ';',
    '=',
    'a',
    '✓',
    '🔑',
    '%2F',
  );
  const key = fc.oneof(
    fc.array(tricky, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }),
  );

  it('every key round-trips through its canonical path', () => {
    fc.assert(
      fc.property(key, fc.boolean(), (k, cas) => {
        expect(parseTarget(kvPath(k, cas))).toEqual({
          route: cas ? 'cas' : 'kv',
          path: kvPath(k, cas),
          key: k,
        });
      }),
    );
  });

  // A key of only `.` or `..` is a dot segment to a WHATWG URL parser however it is encoded
  // (`%2E%2E` too), which is why a follower never passes the path through `new URL`.
  it('a URL parser leaves a canonical path as it is, dot-segment keys aside', () => {
    fc.assert(
      fc.property(
        key.filter((k) => k !== '.' && k !== '..'),
        (k) => {
          expect(new URL(kvPath(k), 'http://leader:8000').pathname).toBe(kvPath(k));
        },
      ),
    );
  });
});

describe('the forward deadline', () => {
  it('writes through a follower cut off from the leader are answered 504 at the request deadline, holding no body', async () => {
    // init: node 1 a follower with a short deadline, then cut off from every peer (it still
    // believes in its leader for a while, and cannot forward to it).
    const nodes = await startNodes(3, { httpLimits: { requestTimeoutMs: 400 } });
    try {
      const first = await nodes.leader();
      if (first.id === 1) await first.server.transferLeadership(2);
      expect((await nodes.leader()).id).not.toBe(1);
      const follower = nodes.nodes[0]!;
      follower.transport.block([2, 3]);
      // act
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => request(follower.url, 'PUT', `/kv/cut-${i}`, 'v')),
      );
      // check: each one answered 504 by the deadline, none hangs, no body left held.
      for (const a of answers) {
        expect(a.status, a.text).toBe(504);
        expect(a.json()).toMatchObject({ error: { code: 'TIMEOUT' } });
      }
      await until('the budget is free', () => follower.httpStats().bodies.bytesInFlight === 0);
    } finally {
      await nodes.close();
    }
  });

  it('writes through a follower travel to the leader over Raft, not HTTP', async () => {
    const leader = await cluster.leader();
    const follower = cluster.nodes.find((n) => n !== leader)!;
    const before = follower.server.stats().proposalsForwarded;
    const served = leader.server.stats().forwardedProposalsServed;
    const put = await request(follower.url, 'PUT', '/kv/over-raft', 'v');
    expect(put.status, put.text).toBe(200);
    expect(follower.server.stats().proposalsForwarded).toBe(before + 1);
    expect(leader.server.stats().forwardedProposalsServed).toBe(served + 1);
  });
});
