/**
 * TcpTransport on real loopback sockets: three nodes exchange messages; a peer that goes
 * away and comes back on the same port is redialled; close releases every socket, server
 * and timer; membership changes through setPeer / removePeer; option checking.
 */
import { InvalidConfigError, type Message, RaftError } from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import { createTcpTransport, TcpTransport } from '../src/index.js';
import {
  closeAll,
  HOST,
  heartbeat,
  liveHandles,
  type Node,
  recordingLogger,
  sleep,
  startNodes,
  waitFor,
} from './helpers.js';

describe('TcpTransport', () => {
  it('three transports exchange messages both ways, each arriving unchanged at its addressee', async () => {
    const nodes = await startNodes([1, 2, 3]);
    try {
      const sent: Message[] = [];
      for (const a of nodes) {
        for (const b of nodes) {
          if (a === b) continue;
          for (let i = 0; i < 20; i++) {
            const m = heartbeat(a.id, b.id, i, a.id * 100 + b.id);
            sent.push(m);
            expect(a.transport.send(m)).toBe(true);
          }
        }
      }
      await waitFor(() => nodes.every((n) => n.inbox.length === 40), 'all 120 messages');
      for (const n of nodes) {
        expect(n.inbox.every((m) => m.to === n.id)).toBe(true);
        expect(n.inbox).toEqual(expect.arrayContaining(sent.filter((m) => m.to === n.id)));
      }
      const stats = nodes[0]!.transport.stats();
      expect(stats.messagesSent).toBe(40);
      expect(stats.messagesReceived).toBe(40);
      expect(stats.messagesDropped).toBe(0);
      expect(stats.connectionsAccepted).toBe(2);
      expect(stats.peers.map((p) => [p.id, p.connected, p.messagesSent, p.messagesReceived])).toEqual([
        [2, true, 20, 20],
        [3, true, 20, 20],
      ]);
      expect(stats.bytesSent).toBeGreaterThan(40 * 16);
    } finally {
      await closeAll(nodes);
    }
  });

  it('coalesces the frames queued in one tick into one socket write', async () => {
    const nodes = await startNodes([1, 2]);
    try {
      // Wait for the connection so that the next burst is flushed as one batch.
      nodes[0]!.transport.send(heartbeat(1, 2, 0));
      await waitFor(() => nodes[1]!.inbox.length === 1, 'the first message');
      const writes: number[] = [];
      const socketProto = (await import('node:net')).Socket.prototype;
      const original = socketProto.write;
      socketProto.write = function (this: unknown, ...args: unknown[]) {
        writes.push((args[0] as Uint8Array).length);
        return (original as (...a: unknown[]) => boolean).apply(this, args);
      } as typeof original;
      try {
        for (let i = 1; i <= 100; i++) nodes[0]!.transport.send(heartbeat(1, 2, i));
        await waitFor(() => nodes[1]!.inbox.length === 101, 'the burst');
      } finally {
        socketProto.write = original;
      }
      const burstBytes = nodes[0]!.transport.stats().bytesSent;
      expect(writes.length).toBe(1);
      expect(writes[0]).toBeLessThan(burstBytes);
      expect(nodes[1]!.inbox.map((m) => (m.type === 'heartbeat' ? m.context : -1))).toEqual(
        Array.from({ length: 101 }, (_, i) => i),
      );
    } finally {
      await closeAll(nodes);
    }
  });

  it('redials a peer that closed and restarted on the same port; messages flow again', async () => {
    const nodes = await startNodes([1, 2]);
    let restarted: TcpTransport | null = null;
    try {
      const [a, b] = nodes as [Node, Node];
      a.transport.send(heartbeat(1, 2, 1));
      await waitFor(() => b.inbox.length === 1, 'first delivery');
      const port = b.transport.address()!.port;
      await b.transport.close();
      await waitFor(() => !a.transport.stats().peers[0]!.connected, 'node 1 to notice');
      // Messages sent while the peer is down wait in the queue (within its bound).
      expect(a.transport.send(heartbeat(1, 2, 2))).toBe(true);
      await sleep(50);
      const inbox: Message[] = [];
      restarted = createTcpTransport({
        id: 2,
        clusterId: 7,
        listen: { host: HOST, port },
        peers: { 1: a.transport.address()! },
      });
      await restarted.start((m) => inbox.push(m));
      await waitFor(() => inbox.length === 1, 'the queued message after restart');
      expect(a.transport.send(heartbeat(1, 2, 3))).toBe(true);
      expect(restarted.send(heartbeat(2, 1, 4))).toBe(true);
      await waitFor(() => inbox.length === 2 && a.inbox.length === 1, 'messages both ways');
      expect(inbox.map((m) => (m.type === 'heartbeat' ? m.context : 0))).toEqual([2, 3]);
      const peer = a.transport.stats().peers[0]!;
      expect(peer.connects).toBeGreaterThanOrEqual(2);
      expect(peer.reconnects).toBe(peer.connects - 1);
      expect(peer.connectFailures).toBeGreaterThan(0);
      expect(a.logger.entries.some((e) => e.message === 'connection to peer lost')).toBe(true);
    } finally {
      await closeAll(nodes);
      await restarted?.close();
    }
  });

  it('close() releases every server, socket and timer (also with a peer down and redialling)', async () => {
    const before = liveHandles();
    const nodes = await startNodes([1, 2, 3]);
    nodes[0]!.transport.send(heartbeat(1, 2, 1));
    nodes[1]!.transport.send(heartbeat(2, 3, 1));
    await waitFor(() => nodes[1]!.inbox.length === 1 && nodes[2]!.inbox.length === 1, 'traffic');
    // A peer that is not there: its link sits in backoff with a timer pending.
    nodes[0]!.transport.setPeer(9, { host: HOST, port: 1 });
    await waitFor(
      () => nodes[0]!.transport.stats().peers.find((p) => p.id === 9)!.connectFailures > 0,
      'a failed dial',
    );
    expect(liveHandles().TCPServerWrap ?? 0).toBeGreaterThanOrEqual((before.TCPServerWrap ?? 0) + 3);
    await closeAll(nodes);
    await Promise.all(nodes.map((n) => n.transport.close())); // idempotent
    const after = liveHandles();
    expect(after.TCPServerWrap ?? 0).toBe(before.TCPServerWrap ?? 0);
    expect(after.TCPSocketWrap ?? 0).toBe(before.TCPSocketWrap ?? 0);
    // vitest keeps timers of its own, so timers are checked by count and by behaviour: the
    // redial timer (max 100 ms here) must never fire after close.
    expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
    const failures = nodes[0]!.transport.stats().peers.find((p) => p.id === 9)!.connectFailures;
    await sleep(250);
    expect(nodes[0]!.transport.stats().peers.find((p) => p.id === 9)!.connectFailures).toBe(failures);
    expect(nodes[0]!.logger.entries.at(-1)!.message).toBe('transport closed');
    expect(nodes[0]!.transport.address()).toBeNull();
  });

  it('setPeer adds and re-addresses peers, removePeer forgets them', async () => {
    const nodes = await startNodes([1, 2]);
    const extra = await startNodes([3], { peers: {} });
    try {
      const [a, b] = nodes as [Node, Node];
      const c = extra[0]!;
      // 3 does not know 1 yet: 1's connection is refused as from an unknown peer.
      a.transport.setPeer(3, c.transport.address()!);
      a.transport.send(heartbeat(1, 3, 1));
      await waitFor(() => c.logger.reasons().includes('unknown-peer'), 'the refusal');
      expect(c.inbox).toEqual([]);
      c.transport.setPeer(1, a.transport.address()!);
      await waitFor(() => c.inbox.length === 1, 'delivery once 3 knows 1');
      // Re-address 2 to 3's port: the connection to 2 is dropped and 3 refuses (wrong node).
      a.transport.setPeer(2, c.transport.address()!);
      await waitFor(() => c.logger.reasons().includes('wrong-node'), 'the wrong-node refusal');
      a.transport.setPeer(2, b.transport.address()!);
      a.transport.send(heartbeat(1, 2, 5));
      await waitFor(() => b.inbox.length === 1, 'delivery after re-addressing back');
      await a.transport.removePeer(2);
      expect(a.transport.send(heartbeat(1, 2, 6))).toBe(false);
      expect([...a.transport.peers().keys()]).toEqual([3]);
      // 2's inbound connection to 1 is closed as well, and 2 may not connect back in.
      b.transport.send(heartbeat(2, 1, 7));
      await waitFor(() => a.logger.reasons().includes('unknown-peer'), 'refusing the removed peer');
      expect(a.inbox).toEqual([]);
      expect(() => a.transport.setPeer(1, { host: HOST, port: 1 })).toThrow(RaftError);
    } finally {
      await closeAll([...nodes, ...extra]);
    }
  });

  it('send returns false before start, after close, and for unknown or oversized messages', async () => {
    const t = createTcpTransport({
      id: 1,
      clusterId: 7,
      listen: { host: HOST, port: 0 },
      peers: { 2: { host: HOST, port: 1 } },
    });
    expect(t.send(heartbeat(1, 2, 1))).toBe(false);
    await t.start(() => {});
    expect(t.send(heartbeat(1, 3, 1))).toBe(false);
    const big: Message = {
      type: 'install-snapshot',
      from: 1,
      to: 2,
      term: 1,
      metadata: { index: 1, term: 1, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
      offset: 0,
      data: new Uint8Array(t.options.maxFrameBytes),
      done: true,
    };
    expect(t.send(big)).toBe(false);
    expect(t.send({ ...heartbeat(1, 2, 1), term: -1 })).toBe(false);
    expect(t.send(heartbeat(1, 2, 1))).toBe(true);
    await t.close();
    expect(t.send(heartbeat(1, 2, 1))).toBe(false);
    expect(t.stats().messagesDropped).toBe(5);
    await expect(t.start(() => {})).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('rejects a second start and reports a port in use', async () => {
    const [a] = await startNodes([1]);
    try {
      await expect(a!.transport.start(() => {})).rejects.toThrow(RaftError);
      const clash = new TcpTransport({ id: 2, clusterId: 7, listen: a!.transport.address()! });
      await expect(clash.start(() => {})).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await clash.close();
    } finally {
      await closeAll([a!]);
    }
  });

  it('checks its options, naming the field', () => {
    const ok = { id: 1, clusterId: 7, listen: { host: HOST, port: 0 } };
    const bad: [string, object][] = [
      ['id', { ...ok, id: 0 }],
      ['clusterId', { ...ok, clusterId: 2 ** 32 }],
      ['listen.port', { ...ok, listen: { host: HOST, port: 70000 } }],
      ['peers[1]', { ...ok, peers: { 1: { host: HOST, port: 5 } } }],
      ['peers[2].port', { ...ok, peers: new Map([[2, { host: HOST, port: 0 }]]) }],
      ['reconnect.maxDelayMs', { ...ok, reconnect: { initialDelayMs: 100, maxDelayMs: 10 } }],
      ['maxQueueMessages', { ...ok, maxQueueMessages: 0 }],
      ['maxFrameBytes', { ...ok, maxFrameBytes: 10 }],
      ['tls', { ...ok, tls: { key: 'k' } }],
      [
        'tls.peerFingerprints[2]',
        { ...ok, tls: { key: 'k', cert: 'c', ca: 'a', peerFingerprints: { 2: 'AB:CD' } } },
      ],
      [
        'tls.peerFingerprints',
        {
          ...ok,
          tls: { key: 'k', cert: 'c', ca: 'a', peerFingerprints: {}, verifyPeerIdentity: () => true },
        },
      ],
      ['tls.verifyPeerIdentity', { ...ok, tls: { key: 'k', cert: 'c', ca: 'a', verifyPeerIdentity: 'yes' } }],
      ['maxInboundConnections', { ...ok, maxInboundConnections: 0 }],
      ['maxInboundConnectionsPerAddress', { ...ok, maxInboundConnectionsPerAddress: 1.5 }],
      ['maxConnectionsPerPeer', { ...ok, maxConnectionsPerPeer: -1 }],
      ['idleTimeoutMs', { ...ok, idleTimeoutMs: 2 }],
      ['frameTimeoutMs', { ...ok, frameTimeoutMs: 0 }],
      ['maxInboundBufferedBytes', { ...ok, maxFrameBytes: 2048, maxInboundBufferedBytes: 2047 }],
      ['logger', { ...ok, logger: { info() {} } }],
    ];
    for (const [field, options] of bad) {
      let error: unknown;
      try {
        createTcpTransport(options as never);
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(InvalidConfigError);
      expect((error as InvalidConfigError).field).toBe(field);
    }
    const t = createTcpTransport({ ...ok, peers: { 2: { host: HOST, port: 9 } }, logger: recordingLogger() });
    expect(t.options).toMatchObject({
      maxQueueMessages: 4096,
      maxQueueBytes: 16 * 1024 * 1024,
      handshakeTimeoutMs: 5000,
      maxFrameBytes: 4 * 1024 * 1024,
      reconnect: { initialDelayMs: 50, maxDelayMs: 5000 },
      socket: { noDelay: true, keepAlive: true, keepAliveInitialDelayMs: 10000 },
      authenticated: false,
      insecure: false,
      maxInboundConnections: 256,
      maxInboundConnectionsPerAddress: 32,
      maxConnectionsPerPeer: 4,
      idleTimeoutMs: 60_000,
      frameTimeoutMs: 30_000,
      maxInboundBufferedBytes: 64 * 1024 * 1024,
    });
    expect([...t.peers().keys()]).toEqual([2]);
  });
});
