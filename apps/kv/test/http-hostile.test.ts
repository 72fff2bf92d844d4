/**
 * The kv HTTP server against a hostile client on raw sockets (`net.connect`): stalled
 * uploads, slowloris headers, silent and idle connections, too many connections, too large
 * bodies. Each attack is bounded by one limit of `HttpLimits`, measured through the node's
 * own counters (`httpStats()`), never by timing; and a normal client is served while the
 * attack runs. One in-process node per limit set (real RaftServer, SQLite, TCP).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KvNode, SMALL_BODY_BYTES } from '../src/index.js';
import { chunk, HostileSocket, putHead } from './helpers/hostile.js';
import { request, startNodes, type TestNodes, until } from './helpers/nodes.js';

const KiB = 1024;
const port = (node: KvNode) => Number(new URL(node.url).port);

/** Every socket a test opened, destroyed after it. */
const sockets: HostileSocket[] = [];
async function hostile(node: KvNode): Promise<HostileSocket> {
  const s = await HostileSocket.connect(port(node));
  sockets.push(s);
  return s;
}
function destroyAll(): Promise<void> {
  for (const s of sockets) s.destroy();
  const all = Promise.all(sockets.map((s) => s.closed)).then(() => {});
  sockets.length = 0;
  return all;
}

/** A normal client: one write and one read, both answered 200. */
async function normalClientServed(node: KvNode, key: string): Promise<void> {
  const put = await request(node.url, 'PUT', `/kv/${key}`, 'hello');
  expect(put.status, put.text).toBe(200);
  const get = await request(node.url, 'GET', `/kv/${key}`);
  expect(get.status).toBe(200);
  expect(get.text).toBe('hello');
}

describe('the body budget', () => {
  // 32 connections of at most 16 KiB each: a 512 KiB reserve for small bodies; large bodies
  // share the other 256 KiB (four largest bodies).
  const limits = {
    maxConnections: 32,
    maxBodyBytes: 64 * KiB,
    maxBodyBytesInFlight: 4 * 64 * KiB + 32 * SMALL_BODY_BYTES,
    requestTimeoutMs: 60_000,
  };
  let cluster: TestNodes;
  let node: KvNode;

  beforeAll(async () => {
    cluster = await startNodes(1, { httpLimits: limits });
    node = await cluster.leader();
  });
  afterAll(async () => {
    await destroyAll();
    await cluster?.close();
  });

  it('stalled uploads never hold more body bytes than the budget, and a normal client is served meanwhile', async () => {
    // init: 12 uploads that declare a largest body and send all of it but the last byte, 6
    // chunked uploads that send one 60 KiB chunk, and 4 small (16 KiB) uploads one byte
    // short; none ever finishes.
    const attackers: { socket: HostileSocket; holds: number }[] = [];
    for (let i = 0; i < 22; i++) {
      const kind = i >= 18 ? 'small' : i % 3 === 2 ? 'chunked' : 'large';
      const before = node.httpStats().bodies.bytesInFlight;
      const socket = await hostile(node);
      const holds = { small: SMALL_BODY_BYTES, chunked: 60 * KiB, large: 64 * KiB }[kind];
      // act: one attacker at a time, so each is either refused or holding before the next.
      socket.write(putHead(`/kv/stall-${i}`, kind === 'chunked' ? 'chunked' : holds));
      socket.write(kind === 'chunked' ? chunk(holds) : 'x'.repeat(holds - 1));
      await until(
        `attacker ${i} refused or holding`,
        () => socket.status !== null || node.httpStats().bodies.bytesInFlight === before + holds,
      );
      attackers.push({ socket, holds });
    }
    // check: the server never held more than the budget; the rest were refused with 503 BUSY.
    const stats = node.httpStats().bodies;
    expect(stats.reserveBytes).toBe(32 * SMALL_BODY_BYTES);
    expect(stats.peakBytesInFlight).toBeLessThanOrEqual(limits.maxBodyBytesInFlight);
    const held = attackers.filter((a) => a.socket.status === null);
    const refused = attackers.filter((a) => a.socket.status !== null);
    expect(stats.bytesInFlight).toBe(held.reduce((sum, a) => sum + a.holds, 0));
    // Large bodies stayed out of the reserve; the small stalled ones got in.
    const large = held.filter((a) => a.holds > SMALL_BODY_BYTES);
    expect(large.reduce((sum, a) => sum + a.holds, 0)).toBeLessThanOrEqual(4 * 64 * KiB);
    expect(large.length).toBeGreaterThanOrEqual(4);
    expect(held.length - large.length).toBe(4);
    expect(refused.length).toBe(stats.refused);
    for (const a of refused) {
      expect(a.socket.status).toBe(503);
      expect(a.socket.errorCode).toBe('BUSY');
      expect(a.socket.received).toMatch(/retry-after: 1/i);
    }
    // A refused upload's connection is closed: the rest of its body is never read.
    await Promise.all(refused.map((a) => a.socket.closed));
    // check: a normal client (a small write) is served while the attack holds the budget.
    await normalClientServed(node, 'during-upload-attack');
    // act: the attackers leave.
    await destroyAll();
    // check: their bytes are released.
    await until('the budget is free', () => node.httpStats().bodies.bytesInFlight === 0);
    expect(node.httpStats().bodies.peakBytesInFlight).toBeLessThanOrEqual(limits.maxBodyBytesInFlight);
  });

  it('a body over the size limit is answered 413 whether declared or streamed, and its connection closed', async () => {
    // act: a declared body one byte over the limit (nothing sent), and a chunked one that grows over it.
    const declared = await hostile(node);
    declared.write(putHead('/kv/big', 64 * KiB + 1));
    const streamed = await hostile(node);
    streamed.write(putHead('/kv/big', 'chunked'));
    streamed.write(chunk(40 * KiB));
    streamed.write(chunk(40 * KiB));
    // check
    await Promise.all([declared.closed, streamed.closed]);
    for (const s of [declared, streamed]) {
      expect(s.status).toBe(413);
      expect(s.errorCode).toBe('PAYLOAD_TOO_LARGE');
    }
    await until('the budget is free', () => node.httpStats().bodies.bytesInFlight === 0);
  });
});

describe('the request deadline', () => {
  let cluster: TestNodes;
  let node: KvNode;

  beforeAll(async () => {
    cluster = await startNodes(1, { httpLimits: { requestTimeoutMs: 1000 } });
    node = await cluster.leader();
  });
  afterAll(async () => {
    await destroyAll();
    await cluster?.close();
  });

  it('a body that has not arrived by the deadline is answered 408, its connection closed and its bytes released', async () => {
    // init: a declared body and a chunked one, both stalled.
    const declared = await hostile(node);
    declared.write(putHead('/kv/slow', 1000));
    declared.write('x'.repeat(10));
    const streamed = await hostile(node);
    streamed.write(putHead('/kv/slow', 'chunked'));
    streamed.write(chunk(10));
    // act: wait for the server to close both.
    await Promise.all([declared.closed, streamed.closed]);
    // check: the API's own 408 (JSON), and nothing held.
    for (const s of [declared, streamed]) {
      expect(s.status).toBe(408);
      expect(s.errorCode).toBe('REQUEST_TIMEOUT');
    }
    expect(node.httpStats().bodies.bytesInFlight).toBe(0);
    await normalClientServed(node, 'after-deadline');
  });
});

describe('header and idle deadlines', () => {
  let cluster: TestNodes;
  let node: KvNode;

  beforeAll(async () => {
    cluster = await startNodes(1, { httpLimits: { headersTimeoutMs: 300, keepAliveTimeoutMs: 200 } });
    node = await cluster.leader();
  });
  afterAll(async () => {
    await destroyAll();
    await cluster?.close();
  });

  it('slowloris headers and silent connections are closed with 408, and a normal client is served meanwhile', async () => {
    // init: 8 connections that send a header byte every 20 ms forever, and 4 that send nothing.
    const slow: HostileSocket[] = [];
    for (let i = 0; i < 8; i++) {
      const s = await hostile(node);
      s.dribbleForever(`GET /kv/k HTTP/1.1\r\nHost: kv\r\nX-Pad-${i}: ${'a'.repeat(1000)}`, 20);
      slow.push(s);
    }
    const silent = await Promise.all([1, 2, 3, 4].map(() => hostile(node)));
    // check: a normal client is served while they are open.
    await until('all of them open', () => node.httpStats().connections >= 12);
    await normalClientServed(node, 'during-slowloris');
    // act: wait for the server to close them (a 5 s test timeout means they were not).
    await Promise.all([...slow, ...silent].map((s) => s.closed));
    // check
    for (const s of [...slow, ...silent]) expect(s.status).toBe(408);
  });

  it('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
    // init: one request on a keep-alive connection, answered.
    const s = await hostile(node);
    s.write('GET /status HTTP/1.1\r\nHost: kv\r\n\r\n');
    await until('the answer', () => s.status !== null);
    expect(s.status).toBe(200);
    // act + check: the server closes it (Node adds a 1 s grace to the keep-alive timeout; its
    // default, 5 s, would outlast this test's 3 s timeout).
    await s.closed;
  }, 3000);
});

describe('the connection cap', () => {
  const maxConnections = 8;
  let cluster: TestNodes;
  let node: KvNode;

  beforeAll(async () => {
    cluster = await startNodes(1, { httpLimits: { maxConnections, headersTimeoutMs: 60_000 } });
    node = await cluster.leader();
  });
  afterAll(async () => {
    await destroyAll();
    await cluster?.close();
  });

  it('a connection over the cap is closed at once, and a normal client is served once one frees up', async () => {
    // init: the cap's worth of silent connections.
    const held = await Promise.all(Array.from({ length: maxConnections }, () => hostile(node)));
    await until('all connections open', () => node.httpStats().connections === maxConnections);
    // act: one more.
    const extra = await hostile(node);
    await until(
      'the extra connection closed or open',
      () => extra.isClosed || node.httpStats().connections > maxConnections,
    );
    // check: it was closed without an answer, and counted.
    expect(extra.isClosed).toBe(true);
    expect(extra.received).toBe('');
    expect(node.httpStats().droppedConnections).toBe(1);
    expect(node.httpStats().peakConnections).toBe(maxConnections);
    // act: one attacker leaves.
    held[0]!.destroy();
    await until('a free connection slot', () => node.httpStats().connections < maxConnections);
    // check: a normal client gets in (one connection per request).
    await normalClientServed(node, 'under-the-cap');
    expect(node.httpStats().peakConnections).toBe(maxConnections);
  });
});

describe('pipelining', () => {
  let cluster: TestNodes;
  let node: KvNode;

  beforeAll(async () => {
    cluster = await startNodes(1, { httpLimits: { maxPipelinedRequests: 4 } });
    node = await cluster.leader();
  });
  afterAll(async () => {
    await destroyAll();
    await cluster?.close();
  });

  it('a connection that pipelines more requests than allowed without reading is closed, and at most that many run', async () => {
    // init: 1000 pipelined reads in one write, answers never read.
    const s = await hostile(node);
    // act
    s.write('GET /kv/missing HTTP/1.1\r\nHost: kv\r\n\r\n'.repeat(1000));
    await s.closed;
    // check: closed, counted, and the server never ran more than 4 of its requests at once.
    expect(node.httpStats().pipeliningClosed).toBe(1);
    expect(node.httpStats().peakRequestsInFlight).toBeLessThanOrEqual(4);
    await normalClientServed(node, 'after-pipelining');
  });
});
