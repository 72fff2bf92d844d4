/**
 * Backpressure: a peer that stops reading must not make the sender's memory grow. The
 * per-peer queue stays within maxQueueBytes / maxQueueMessages and `send` drops (returning
 * false, counted) beyond it; the socket is written only while it accepts data.
 */
import net from 'node:net';
import type { Message } from '@raft-io/core';
import { type DecodedFrame, encodeHandshakeFrame, FrameDecoder } from '@raft-io/framing';
import { describe, expect, it } from 'vitest';
import { createTcpTransport, PROTOCOL_VERSION, type TcpTransport } from '../src/index.js';
import { HOST, recordingLogger, waitFor } from './helpers.js';

const CLUSTER = 7;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function chunk(context: number, size: number): Message {
  return {
    type: 'install-snapshot',
    from: 1,
    to: 2,
    term: 1,
    metadata: { index: 1, term: 1, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
    offset: context,
    data: new Uint8Array(size),
    done: false,
  };
}

/** A server playing node 2 that never reads anything (not even the handshake). */
async function deafServer(): Promise<{ server: net.Server; sockets: net.Socket[] }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer({ pauseOnConnect: true }, (s) => sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return { server, sockets };
}

/** A server playing node 2 that answers the handshake, then stops reading until resumed. */
async function stallingServer(): Promise<{
  server: net.Server;
  sockets: net.Socket[];
  frames: DecodedFrame[];
  resume(): void;
}> {
  const sockets: net.Socket[] = [];
  const frames: DecodedFrame[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    const decoder = new FrameDecoder();
    let answered = false;
    s.on('data', (data) => {
      decoder.push(data, (f) => {
        frames.push(f);
        if (!answered && f.kind === 'handshake') {
          answered = true;
          s.write(encodeHandshakeFrame(CLUSTER, { from: 2, to: 1, protocolVersion: PROTOCOL_VERSION }));
          s.pause();
        }
      });
    });
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return {
    server,
    sockets,
    frames,
    resume: () => {
      for (const s of sockets) s.resume();
    },
  };
}

async function shutdown(transport: TcpTransport, server: net.Server, sockets: net.Socket[]): Promise<void> {
  await transport.close();
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

describe('TcpTransport backpressure', () => {
  it('a peer that never reads: the queue stops at maxQueueMessages / maxQueueBytes and send drops', async () => {
    const { server, sockets } = await deafServer();
    const port = (server.address() as net.AddressInfo).port;
    const transport = createTcpTransport({
      id: 1,
      clusterId: CLUSTER,
      listen: { host: HOST, port: 0 },
      peers: { 2: { host: HOST, port } },
      maxQueueMessages: 100,
      maxQueueBytes: 1024 * 1024,
      logger: recordingLogger(),
    });
    try {
      await transport.start(() => {});
      let accepted = 0;
      for (let i = 0; i < 300; i++) if (transport.send(chunk(i, 100))) accepted++;
      expect(accepted).toBe(100); // the message bound
      let peer = transport.stats().peers[0]!;
      expect(peer.queuedMessages).toBe(100);
      expect(peer.messagesDropped).toBe(200);
      // Bigger messages hit the byte bound first.
      const more = createTcpTransport({
        id: 1,
        clusterId: CLUSTER,
        listen: { host: HOST, port: 0 },
        peers: { 2: { host: HOST, port } },
        maxQueueBytes: 1024 * 1024,
      });
      await more.start(() => {});
      let sent = 0;
      for (let i = 0; i < 100; i++) if (more.send(chunk(i, 64 * 1024))) sent++;
      peer = more.stats().peers[0]!;
      expect(peer.queuedBytes).toBeLessThanOrEqual(1024 * 1024);
      expect(sent).toBe(peer.queuedMessages);
      expect(sent).toBeLessThan(16);
      expect(peer.messagesSent).toBe(0); // no handshake answer: nothing was written
      await more.close();
    } finally {
      await shutdown(transport, server, sockets);
    }
  });

  it('a peer that stops reading after the handshake: writes wait for drain, the queue stays bounded', async () => {
    const peer = await stallingServer();
    const port = (peer.server.address() as net.AddressInfo).port;
    const maxQueueBytes = 512 * 1024;
    const transport = createTcpTransport({
      id: 1,
      clusterId: CLUSTER,
      listen: { host: HOST, port: 0 },
      peers: { 2: { host: HOST, port } },
      maxQueueBytes,
    });
    try {
      await transport.start(() => {});
      await waitFor(() => transport.stats().peers[0]!.connected, 'the handshake');
      const size = 32 * 1024;
      const total = 1000; // ~32 MiB offered
      let maxQueued = 0;
      for (let i = 0; i < total; i++) {
        transport.send(chunk(i, size));
        maxQueued = Math.max(maxQueued, transport.stats().peers[0]!.queuedBytes);
        if (i % 10 === 9) await tick();
      }
      const stats = transport.stats().peers[0]!;
      expect(maxQueued).toBeLessThanOrEqual(maxQueueBytes);
      expect(stats.messagesDropped).toBeGreaterThan(0);
      // Only what the kernel buffers took (plus one batch) was written; without backpressure
      // every message would have gone into the socket and none would have been dropped.
      expect(stats.bytesSent).toBeLessThan((total * size) / 2);
      // The reader wakes up: the queue drains, and what arrives is in order with no gaps
      // other than dropped messages.
      peer.resume();
      await waitFor(() => transport.stats().peers[0]!.queuedBytes === 0, 'the queue to drain');
      const received = transport.stats().peers[0]!.messagesSent;
      await waitFor(() => peer.frames.length === received + 1, 'every written frame to arrive');
      const offsets = peer.frames.flatMap((f) =>
        f.kind === 'message' && f.message.type === 'install-snapshot' ? [f.message.offset] : [],
      );
      expect(offsets.length).toBe(received);
      for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThan(offsets[i - 1]!);
      // every message was either written or dropped at send
      expect(received + transport.stats().peers[0]!.messagesDropped).toBe(total);
    } finally {
      await shutdown(transport, peer.server, peer.sockets);
    }
  });
});
