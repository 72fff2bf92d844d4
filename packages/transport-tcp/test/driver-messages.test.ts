/**
 * Driver messages (forwarded proposals and their answers) ride the Raft connections beside
 * the Raft messages but never reach `receive`: they go to the driver's handler, after the
 * same checks (the authenticated sender, addressed to us). A peer that forges the sender of
 * a driver message is cut off like one that forges a Raft message's.
 */
import type { DriverMessage } from '@raft-io/framing';
import { encodeDriverFrame } from '@raft-io/framing';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, type Node, rawConnect, sendHandshake, startNodes, waitFor } from './helpers.js';

const CLUSTER = 7;
let nodes: Node[] = [];

afterEach(async () => {
  await closeAll(nodes);
  nodes = [];
});

function forward(from: number, to: number, id: number): DriverMessage {
  return { type: 'forward-proposal', from, to, id, command: Uint8Array.of(id), timeoutMs: 1000 };
}

describe('TcpTransport driver messages', () => {
  it('delivers driver messages to the driver handler, never to receive, in order with Raft messages', async () => {
    // Init
    nodes = await startNodes([1, 2]);
    const [a, b] = nodes as [Node, Node];
    const got: DriverMessage[] = [];
    b.transport.onDriverMessage((m) => got.push(m));
    await waitFor(() => a.transport.stats().peers[0]!.connected, 'the link to node 2');
    // Act
    for (let i = 1; i <= 3; i++) expect(a.transport.sendDriver(forward(1, 2, i))).toBe(true);
    await waitFor(() => got.length === 3, 'three driver messages');
    // Check
    expect(got.map((m) => m.id)).toEqual([1, 2, 3]);
    expect(got[0]).toStrictEqual(forward(1, 2, 1));
    expect(b.inbox).toEqual([]);
  });

  it('drops a driver message to an unknown peer or one the wire cannot carry, at once', async () => {
    nodes = await startNodes([1, 2]);
    const a = nodes[0]!;
    await waitFor(() => a.transport.stats().peers[0]!.connected, 'the link to node 2');
    expect(a.transport.sendDriver(forward(1, 9, 1))).toBe(false);
    expect(a.transport.sendDriver({ ...forward(1, 2, 1), id: 0 })).toBe(false);
  });

  it('refuses a driver message while the link to its peer is down (nothing is queued for later)', async () => {
    // Init: node 2 is gone, so node 1's link to it is down.
    nodes = await startNodes([1, 2]);
    const [a, b] = nodes as [Node, Node];
    await b.transport.close();
    await waitFor(() => !a.transport.stats().peers[0]!.connected, 'the link to go down');
    // Act / check: a Raft message still queues (Raft resends); a driver message is refused.
    expect(a.transport.send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 0 })).toBe(
      true,
    );
    expect(a.transport.sendDriver(forward(1, 2, 1))).toBe(false);
  });

  it('closes a connection at its first driver message claiming another sender', async () => {
    // Init: node 1 hears node 2 and 3; an attacker holds node 2's place on a raw socket.
    nodes = await startNodes([1, 2, 3]);
    const target = nodes[0]!;
    const got: DriverMessage[] = [];
    target.transport.onDriverMessage((m) => got.push(m));
    const client = await rawConnect(target.transport.address()!.port);
    sendHandshake(client, CLUSTER, 2, 1);
    await waitFor(() => client.frames.length === 1, 'the handshake answer');
    const rejected = target.transport.stats().messagesRejected;
    // Act: a forwarded proposal claiming to come from node 3, then a genuine one.
    client.socket.write(encodeDriverFrame(CLUSTER, forward(3, 1, 1)));
    client.socket.write(encodeDriverFrame(CLUSTER, forward(2, 1, 2)));
    // Check
    await waitFor(() => client.isClosed(), 'the connection to be dropped');
    expect(got).toEqual([]);
    expect(target.transport.stats().messagesRejected).toBe(rejected + 1);
    expect(target.logger.reasons()).toContain('sender-mismatch');
  });

  it('drops driver messages while no handler is set', async () => {
    nodes = await startNodes([1, 2]);
    const [a, b] = nodes as [Node, Node];
    const got: DriverMessage[] = [];
    await waitFor(() => a.transport.stats().peers[0]!.connected, 'the link to node 2');
    expect(a.transport.sendDriver(forward(1, 2, 1))).toBe(true);
    await waitFor(() => b.transport.stats().messagesReceived === 1, 'the message to arrive');
    b.transport.onDriverMessage((m) => got.push(m));
    expect(a.transport.sendDriver(forward(1, 2, 2))).toBe(true);
    await waitFor(() => got.length === 1, 'the second message');
    expect(got[0]!.id).toBe(2);
  });
});
