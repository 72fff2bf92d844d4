/**
 * Hostile and broken peers on raw sockets: garbage, an oversized length, another cluster's
 * id, an unknown node, the wrong target, silence (slowloris), a spoofed sender. Each one is
 * disconnected with a logged reason, while the transport keeps serving its good peer; a
 * flood of them costs a few log lines, not one per connection or frame.
 */
import { encodeFrame, encodeHandshakeFrame, FRAME_HEADER_BYTES } from '@raft-io/framing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOG_BURST } from '../src/log-limiter.js';
import { closeAll, heartbeat, type Node, rawConnect, sendHandshake, startNodes, waitFor } from './helpers.js';

const CLUSTER = 7;

describe('TcpTransport against hostile peers', () => {
  let target: Node;
  let good: Node;
  let nodes: Node[];
  let goodCount = 0;

  beforeAll(async () => {
    nodes = await startNodes([1, 2], { handshakeTimeoutMs: 150, maxFrameBytes: 64 * 1024 });
    [target, good] = nodes as [Node, Node];
  });
  afterAll(async () => {
    await closeAll(nodes);
  });

  /** The good peer still gets a message through to the target. */
  async function goodPeerStillServed(): Promise<void> {
    goodCount++;
    const context = 10_000 + goodCount;
    expect(good.transport.send(heartbeat(2, 1, context))).toBe(true);
    await waitFor(
      () => target.inbox.some((m) => m.type === 'heartbeat' && m.context === context),
      'the good peer message',
    );
  }

  function port(): number {
    return target.transport.address()!.port;
  }

  /** Waits for the target to log a refusal with `reason`, and for the raw socket to be closed. */
  async function expectRefused(
    client: Awaited<ReturnType<typeof rawConnect>>,
    reason: string,
  ): Promise<void> {
    await waitFor(() => client.isClosed(), `the connection to be dropped (${reason})`);
    const entry = target.logger.entries.find(
      (e) => e.fields.reason === reason && e.fields.remote === client.local,
    );
    expect(entry, `a log entry with reason ${reason}`).toBeDefined();
    expect(entry!.level).toBe('warn');
  }

  it('drops a connection that sends garbage', async () => {
    const client = await rawConnect(port());
    client.socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'));
    await expectRefused(client, 'invalid-frame');
    expect(target.logger.entries.some((e) => e.fields.frameError === 'bad-magic')).toBe(true);
    await goodPeerStillServed();
  });

  it('drops a connection announcing an oversized frame, from the header alone', async () => {
    const client = await rawConnect(port());
    const header = encodeHandshakeFrame(CLUSTER, { from: 2, to: 1, protocolVersion: 1 }).slice(
      0,
      FRAME_HEADER_BYTES,
    );
    new DataView(header.buffer).setUint32(8, 0x7fffffff);
    client.socket.write(header);
    await expectRefused(client, 'invalid-frame');
    expect(target.logger.entries.some((e) => e.fields.frameError === 'too-large')).toBe(true);
    await goodPeerStillServed();
  });

  it('refuses a handshake from another cluster', async () => {
    const client = await rawConnect(port());
    sendHandshake(client, CLUSTER + 1, 2, 1);
    await expectRefused(client, 'cluster-mismatch');
    expect(client.frames).toEqual([]); // no handshake answer
    await goodPeerStillServed();
  });

  it('refuses a node that is not a known peer', async () => {
    const client = await rawConnect(port());
    sendHandshake(client, CLUSTER, 42, 1);
    await expectRefused(client, 'unknown-peer');
    await goodPeerStillServed();
  });

  it('refuses a handshake addressed to another node', async () => {
    const client = await rawConnect(port());
    sendHandshake(client, CLUSTER, 2, 3);
    await expectRefused(client, 'wrong-node');
    await goodPeerStillServed();
  });

  it('refuses a message before the handshake', async () => {
    const client = await rawConnect(port());
    client.socket.write(encodeFrame(CLUSTER, heartbeat(2, 1, 0)));
    await expectRefused(client, 'expected-handshake');
    await goodPeerStillServed();
  });

  it('drops a connection that never speaks (slowloris) after handshakeTimeoutMs', async () => {
    const started = Date.now();
    const client = await rawConnect(port());
    await expectRefused(client, 'handshake-timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await goodPeerStillServed();
  });

  it('drops a connection that stalls in the middle of its handshake frame', async () => {
    const client = await rawConnect(port());
    client.socket.write(
      encodeHandshakeFrame(CLUSTER, { from: 2, to: 1, protocolVersion: 1 }).subarray(0, 10),
    );
    await expectRefused(client, 'handshake-timeout');
    await goodPeerStillServed();
  });

  it('closes a connection at its first message claiming another sender: one log line for 1.17 MiB of them', async () => {
    const client = await rawConnect(port());
    sendHandshake(client, CLUSTER, 2, 1);
    await waitFor(() => client.frames.length === 1, 'the handshake answer');
    expect(client.frames[0]).toMatchObject({
      kind: 'handshake',
      clusterId: CLUSTER,
      handshake: { from: 1, to: 2 },
    });
    const before = target.inbox.length;
    const rejectedBefore = target.transport.stats().messagesRejected;
    const linesBefore = target.logger.entries.length;
    // The review's flood: 1.17 MiB of heartbeats claiming node 3, then a genuine one.
    const forged = encodeFrame(CLUSTER, heartbeat(3, 1, 1000));
    const count = Math.ceil((1.17 * 1024 * 1024) / forged.length);
    client.socket.write(
      Buffer.concat([
        ...Array.from({ length: count }, () => forged),
        encodeFrame(CLUSTER, heartbeat(2, 1, 1001)),
      ]),
    );
    await expectRefused(client, 'sender-mismatch');
    expect(target.inbox.length).toBe(before); // nothing after the lie is read
    expect(target.transport.stats().messagesRejected).toBe(rejectedBefore + 1);
    const warnings = target.logger.entries.slice(linesBefore).filter((e) => e.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.fields).toMatchObject({ peer: 2, claimedFrom: 3, reason: 'sender-mismatch' });
    await goodPeerStillServed();
  });

  it('closes a connection at its first message addressed to another node', async () => {
    const client = await rawConnect(port());
    sendHandshake(client, CLUSTER, 2, 1);
    await waitFor(() => client.frames.length === 1, 'the handshake answer');
    const before = target.inbox.length;
    client.socket.write(encodeFrame(CLUSTER, heartbeat(2, 5, 1002)));
    client.socket.write(encodeFrame(CLUSTER, heartbeat(2, 1, 1003)));
    await expectRefused(client, 'wrong-addressee');
    expect(target.inbox.length).toBe(before);
    await goodPeerStillServed();
  });

  it('drops a connection that sends a frame of another cluster mid-stream', async () => {
    const client = await rawConnect(port());
    sendHandshake(client, CLUSTER, 2, 1);
    await waitFor(() => client.frames.length === 1, 'the handshake answer');
    client.socket.write(encodeFrame(CLUSTER + 1, heartbeat(2, 1, 1004)));
    await expectRefused(client, 'cluster-mismatch');
    await goodPeerStillServed();
  });

  it('counts every refusal', () => {
    const s = target.transport.stats();
    expect(s.connectionsRefused).toBe(11);
    expect(s.peers.find((p) => p.id === 2)!.messagesReceived).toBe(goodCount);
  });
});

describe('TcpTransport log rate limit', () => {
  it('a flood of bad connections costs at most LOG_BURST warnings per reason, and a count of the rest', async () => {
    const [target] = await startNodes([1]);
    try {
      const port = target!.transport.address()!.port;
      const clients = await Promise.all(Array.from({ length: 3 * LOG_BURST }, () => rawConnect(port)));
      for (const c of clients) c.socket.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
      await Promise.all(clients.map((c) => c.closed));
      await waitFor(() => target!.transport.stats().connectionsRefused === 3 * LOG_BURST, 'every refusal');
      const lines = () => target!.logger.entries.filter((e) => e.fields.reason === 'invalid-frame');
      expect(lines()).toHaveLength(LOG_BURST);
      await target!.transport.close();
      const summary = target!.logger.entries.find((e) => e.message.includes('suppressed'));
      expect(summary?.fields).toMatchObject({ key: 'invalid-frame', suppressed: 2 * LOG_BURST });
    } finally {
      await closeAll([target!]);
    }
  });
});
