/**
 * Bounded resources on the Raft port, each against a hostile peer built from the project's
 * own codec: half-open connections beyond the global cap, too many from one address or as
 * one peer, an oversized handshake, silence after the handshake, a dribbled frame, and
 * partial frames beyond the inbound byte budget. The checks are on connection counts,
 * closures and buffered bytes, never on timings.
 */
import net from 'node:net';
import type { Message } from '@raft-io/core';
import {
  type DecodedFrame,
  encodeFrame,
  encodeHandshakeFrame,
  FRAME_HEADER_BYTES,
  FrameDecoder,
} from '@raft-io/framing';
import { afterEach, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type TcpTransportOptions } from '../src/index.js';
import {
  closeAll,
  HOST,
  heartbeat,
  type Node,
  type RawClient,
  rawConnect,
  secretHandshake,
  sendHandshake,
  startNodes,
  waitFor,
} from './helpers.js';

const CLUSTER = 7;
const SECRET = 'a cluster secret of at least 32 bytes, for tests';

let nodes: Node[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy();
  await closeAll(nodes);
  nodes = [];
});

/** Node 1 alone, knowing peer 2 (at a dead address until `setPeer`). */
async function target(options: Partial<TcpTransportOptions>): Promise<Node> {
  nodes = await startNodes([1], { peers: { 2: { host: HOST, port: 1 } }, ...options });
  return nodes[0]!;
}

async function connect(node: Node, options?: Parameters<typeof rawConnect>[1]): Promise<RawClient> {
  const c = await rawConnect(node.transport.address()!.port, options);
  clients.push(c);
  return c;
}

/** A raw client that completed a plain handshake as node 2. */
async function peer2(node: Node): Promise<RawClient> {
  const c = await connect(node);
  sendHandshake(c, CLUSTER, 2, 1);
  await waitFor(() => c.frames.length === 1 || c.isClosed(), 'the handshake answer');
  return c;
}

function snapshotChunk(offset: number, bytes: number): Message {
  return {
    type: 'install-snapshot',
    from: 2,
    to: 1,
    term: 1,
    metadata: { index: 1, term: 1, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
    offset,
    data: new Uint8Array(bytes).fill(offset & 0xff),
    done: false,
  };
}

const refusals = (node: Node, reason: string) => node.logger.reasons().filter((r) => r === reason).length;

describe('connection caps', () => {
  it('never holds more than maxInboundConnections half-open connections, and a real peer still gets in', async () => {
    const max = 8;
    const node = await target({ maxInboundConnections: max, handshakeTimeoutMs: 60_000 });
    const flood: RawClient[] = [];
    for (let i = 0; i < 30; i++) {
      flood.push(await connect(node));
      expect(node.transport.stats().inboundConnections).toBeLessThanOrEqual(max);
    }
    // The oldest handshakes are evicted for the newest: 22 closed, 8 held.
    await waitFor(() => flood.filter((c) => c.isClosed()).length === 30 - max, 'the evictions');
    expect(node.transport.stats()).toMatchObject({ inboundConnections: max, inboundHandshaking: max });
    expect(refusals(node, 'connection-limit')).toBeGreaterThan(0);
    // A real peer that dials now gets in (it evicts one more half-open connection).
    const [real] = await startNodes([2], { peers: { 1: node.transport.address()! } });
    nodes.push(real!);
    node.transport.setPeer(2, real!.transport.address()!);
    real!.transport.send(heartbeat(2, 1, 1));
    await waitFor(() => node.inbox.length === 1, 'the real peer message');
    expect(node.transport.stats().inboundConnections).toBeLessThanOrEqual(max);
  });

  it('refuses more than maxInboundConnectionsPerAddress from one address, not from another', async () => {
    const node = await target({ maxInboundConnectionsPerAddress: 3, handshakeTimeoutMs: 60_000 });
    const same = [await connect(node), await connect(node), await connect(node)];
    const fourth = await connect(node);
    await fourth.closed;
    expect(refusals(node, 'address-limit')).toBe(1);
    const other = await connect(node, { localAddress: '127.0.0.2' });
    sendHandshake(other, CLUSTER, 2, 1);
    await waitFor(() => other.frames.length === 1, 'the other address served');
    expect(same.some((c) => c.isClosed())).toBe(false);
  });

  it('without authentication, refuses a connection as a peer beyond maxConnectionsPerPeer', async () => {
    const node = await target({ maxConnectionsPerPeer: 2 });
    const [a, b, c] = [await peer2(node), await peer2(node), await peer2(node)];
    await c.closed;
    expect(c.frames).toEqual([]); // no answer
    expect(refusals(node, 'peer-limit')).toBe(1);
    expect(a.isClosed() || b.isClosed()).toBe(false);
  });

  it('with authentication, the newest connection of a peer replaces its oldest beyond maxConnectionsPerPeer', async () => {
    const node = await target({ maxConnectionsPerPeer: 2, clusterSecret: SECRET });
    const session = async () => {
      const c = await connect(node);
      await secretHandshake(c, { clusterId: CLUSTER, secret: SECRET, from: 2, to: 1 });
      await waitFor(() => node.transport.stats().connectionsAccepted >= 1, 'accepted');
      return c;
    };
    const first = await session();
    const second = await session();
    await waitFor(() => node.transport.stats().connectionsAccepted === 2, 'two accepted');
    const third = await session();
    await first.closed;
    await waitFor(() => node.transport.stats().connectionsAccepted === 3, 'the third accepted');
    expect(second.isClosed() || third.isClosed()).toBe(false);
    expect(node.logger.entries.some((e) => e.fields.reason === 'replaced')).toBe(true);
  });
});

describe('deadlines and frame limits', () => {
  it('refuses an oversized handshake from its header alone, far below maxFrameBytes', async () => {
    const node = await target({ handshakeTimeoutMs: 60_000 });
    const c = await connect(node);
    const header = encodeHandshakeFrame(CLUSTER, { from: 2, to: 1, protocolVersion: PROTOCOL_VERSION }).slice(
      0,
      FRAME_HEADER_BYTES,
    );
    new DataView(header.buffer).setUint32(8, 2048); // a 2 KiB handshake; maxFrameBytes is 4 MiB
    c.socket.write(header);
    await c.closed;
    expect(node.logger.entries.some((e) => e.fields.frameError === 'too-large')).toBe(true);
  });

  it('closes an established connection on which nothing arrives for idleTimeoutMs', async () => {
    const node = await target({ idleTimeoutMs: 200 });
    const c = await peer2(node);
    expect(c.frames).toHaveLength(1);
    await c.closed;
    const entry = node.logger.entries.find((e) => e.fields.reason === 'idle-timeout');
    expect(entry).toMatchObject({ level: 'info', fields: { peer: 2 } });
  });

  it('an outbound connection sends keep-alives when it has nothing to send', async () => {
    // Node 1 dials a raw server playing node 2, which records what arrives.
    const frames: string[] = [];
    const server = net.createServer((s) => {
      const decoder = new FrameDecoder();
      s.on('data', (d) =>
        decoder.push(d, (f: DecodedFrame) => {
          frames.push(f.kind);
          if (f.kind === 'handshake') {
            s.write(encodeHandshakeFrame(CLUSTER, { from: 2, to: 1, protocolVersion: PROTOCOL_VERSION }));
          }
        }),
      );
      s.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    try {
      const node = await target({ idleTimeoutMs: 150 });
      node.transport.setPeer(2, { host: HOST, port: (server.address() as net.AddressInfo).port });
      await waitFor(() => frames.filter((k) => k === 'keepalive').length >= 3, 'keep-alives');
      expect(frames[0]).toBe('handshake');
    } finally {
      await closeAll(nodes);
      nodes = [];
      server.close();
    }
  });

  it('drops a frame dribbled past frameTimeoutMs; meanwhile it holds the bytes received, no more', async () => {
    const node = await target({ frameTimeoutMs: 300, idleTimeoutMs: 60_000 });
    const c = await peer2(node);
    const frame = encodeFrame(CLUSTER, snapshotChunk(0, 10_000));
    let sent = 100;
    c.socket.write(frame.subarray(0, sent));
    await waitFor(() => node.transport.stats().inboundBufferedBytes === sent, 'the partial frame');
    const dribble = setInterval(() => {
      if (sent < frame.length - 1) c.socket.write(frame.subarray(sent, ++sent));
    }, 5);
    try {
      await c.closed;
    } finally {
      clearInterval(dribble);
    }
    expect(node.logger.entries.find((e) => e.fields.reason === 'frame-timeout')).toBeDefined();
    expect(node.inbox).toEqual([]);
    await waitFor(() => node.transport.stats().inboundBufferedBytes === 0, 'the bytes released');
  });
});

describe('the inbound byte budget', () => {
  const budget = { maxFrameBytes: 48 * 1024, maxInboundBufferedBytes: 64 * 1024, frameTimeoutMs: 60_000 };
  const part = 40 * 1024;

  it('pauses connections that bring bytes beyond maxInboundBufferedBytes, bounded by budget + one frame + one read', async () => {
    const node = await target(budget);
    const frames = [1, 2, 3].map((i) => encodeFrame(CLUSTER, snapshotChunk(i, 45 * 1024)));
    const [a, b, c] = [await peer2(node), await peer2(node), await peer2(node)];
    const stats = () => node.transport.stats();
    a.socket.write(frames[0]!.subarray(0, part));
    await waitFor(() => stats().inboundBufferedBytes === part, 'A buffered');
    b.socket.write(frames[1]!.subarray(0, part));
    await waitFor(() => stats().inboundBufferedBytes === 2 * part, 'B buffered (it may finish its frame)');
    c.socket.write(frames[2]!.subarray(0, part));
    await waitFor(() => stats().inboundPaused === 1, 'C paused');
    expect(stats().inboundBufferedBytes).toBeLessThanOrEqual(
      budget.maxInboundBufferedBytes + budget.maxFrameBytes + 64 * 1024,
    );
    // Everyone sends the rest: all three frames arrive, and nothing is held or paused after.
    for (const [i, client] of [a, b, c].entries()) client.socket.write(frames[i]!.subarray(part));
    await waitFor(() => node.inbox.length === 3, 'all three frames');
    expect(stats()).toMatchObject({ inboundBufferedBytes: 0, inboundPaused: 0 });
  });

  it('paused connections never wait for each other forever: the one holding the most finishes its frame', async () => {
    const node = await target(budget);
    const frames = [1, 2].map((i) => encodeFrame(CLUSTER, snapshotChunk(i, 45 * 1024)));
    const [a, b] = [await peer2(node), await peer2(node)];
    const stats = () => node.transport.stats();
    a.socket.write(frames[0]!.subarray(0, part));
    await waitFor(() => stats().inboundBufferedBytes === part, 'A buffered');
    b.socket.write(frames[1]!.subarray(0, part + 1));
    await waitFor(() => stats().inboundBufferedBytes === 2 * part + 1, 'B buffered');
    // Over budget: A brings one more byte and is paused; B, holding the most, may finish.
    a.socket.write(frames[0]!.subarray(part, part + 1));
    await waitFor(() => stats().inboundPaused === 1, 'A paused');
    b.socket.write(frames[1]!.subarray(part + 1));
    a.socket.write(frames[0]!.subarray(part + 1));
    await waitFor(() => node.inbox.length === 2, 'both frames');
    expect(stats()).toMatchObject({ inboundBufferedBytes: 0, inboundPaused: 0 });
  });
});
