/**
 * Group batches (multi-Raft, framing kind 5) on the Raft connections: one connection per peer
 * host carries the messages of every group, a batch reaches the group handler (never
 * `receive` or the driver handler) after the checks of a plain frame, and a peer that forges
 * a sender inside a batch, or sends a malformed batch, is cut off before any of it is
 * delivered.
 */

import { crc32c } from '@raft-io/core';
import { encodeGroupBatch, encodeGroupFrame, type GroupBatch, type GroupItem } from '@raft-io/framing';
import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, heartbeat, type Node, rawConnect, sendHandshake, startNodes, waitFor } from './helpers.js';

const CLUSTER = 7;
let nodes: Node[] = [];

afterEach(async () => {
  await closeAll(nodes);
  nodes = [];
});

/** Heartbeats of `groups` groups from `from` to `to`. */
function heartbeats(from: number, to: number, groups: number): GroupItem[] {
  return Array.from({ length: groups }, (_, g) => ({ group: g + 1, message: heartbeat(from, to, g) }));
}

describe('TcpTransport group batches', () => {
  it('delivers a batch of a thousand groups as one frame to the group handler, with the peer id', async () => {
    // init
    nodes = await startNodes([1, 2]);
    const [a, b] = nodes as [Node, Node];
    const got: [number, GroupBatch][] = [];
    b.transport.onGroupBatch((from, batch) => got.push([from, batch]));
    await waitFor(() => a.transport.connected(2), 'the link to node 2');
    // act
    expect(a.transport.sendGroupBatch(2, { items: heartbeats(1, 2, 1000) })).toBe(true);
    expect(a.transport.sendGroupBatch(2, { items: [] })).toBe(true);
    await waitFor(() => got.length === 2, 'two batches');
    // check: in order, whole, from node 1, over the one inbound connection; nothing to receive.
    expect(got[0]![0]).toBe(1);
    expect(got[0]![1].items).toHaveLength(1000);
    expect(got[0]![1].items[999]).toStrictEqual({ group: 1000, message: heartbeat(1, 2, 999) });
    expect(got[1]).toEqual([1, { items: [] }]);
    expect(b.inbox).toEqual([]);
    expect(b.transport.stats().inboundConnections).toBe(1);
  });

  it('drops a batch to an unknown peer, or one over maxFrameBytes, at once', async () => {
    nodes = await startNodes([1, 2], { maxFrameBytes: 4096 });
    const a = nodes[0]!;
    await waitFor(() => a.transport.connected(2), 'the link to node 2');
    expect(a.transport.sendGroupBatch(9, { items: [] })).toBe(false);
    expect(a.transport.sendGroupBatch(2, { items: heartbeats(1, 2, 1000) })).toBe(false);
    expect(a.transport.sendGroupBatch(2, { items: [{ group: 0, message: heartbeat(1, 2, 0) }] })).toBe(false);
  });

  it('closes a connection whose batch has one message claiming another sender, and delivers none of it', async () => {
    // init: node 1 hears nodes 2 and 3; an attacker holds node 2's place on a raw socket.
    nodes = await startNodes([1, 2, 3]);
    const target = nodes[0]!;
    const got: GroupBatch[] = [];
    target.transport.onGroupBatch((_from, batch) => got.push(batch));
    const client = await rawConnect(target.transport.address()!.port);
    sendHandshake(client, CLUSTER, 2, 1);
    await waitFor(() => client.frames.length === 1, 'the handshake answer');
    const rejected = target.transport.stats().messagesRejected;
    // act: a batch whose third item claims to come from node 3.
    const items = heartbeats(2, 1, 2);
    items.push({ group: 3, message: heartbeat(3, 1, 0) });
    client.socket.write(encodeGroupFrame(CLUSTER, { items }));
    // check
    await waitFor(() => client.isClosed(), 'the connection to be dropped');
    expect(got).toEqual([]);
    expect(target.transport.stats().messagesRejected).toBe(rejected + 1);
    expect(target.logger.reasons()).toContain('sender-mismatch');
  });

  it('closes a connection whose batch addresses another node', async () => {
    nodes = await startNodes([1, 2, 3]);
    const target = nodes[0]!;
    const got: GroupBatch[] = [];
    target.transport.onGroupBatch((_from, batch) => got.push(batch));
    const client = await rawConnect(target.transport.address()!.port);
    sendHandshake(client, CLUSTER, 2, 1);
    await waitFor(() => client.frames.length === 1, 'the handshake answer');
    client.socket.write(
      encodeGroupFrame(CLUSTER, {
        items: [
          {
            group: 1,
            driver: {
              type: 'forward-proposal',
              from: 2,
              to: 3,
              id: 1,
              command: Uint8Array.of(1),
              timeoutMs: 0,
            },
          },
        ],
      }),
    );
    await waitFor(() => client.isClosed(), 'the connection to be dropped');
    expect(got).toEqual([]);
    expect(target.logger.reasons()).toContain('wrong-addressee');
  });

  it('closes a connection that sends a malformed group frame (a batch of another version)', async () => {
    nodes = await startNodes([1, 2]);
    const target = nodes[0]!;
    const got: GroupBatch[] = [];
    target.transport.onGroupBatch((_from, batch) => got.push(batch));
    const client = await rawConnect(target.transport.address()!.port);
    sendHandshake(client, CLUSTER, 2, 1);
    await waitFor(() => client.frames.length === 1, 'the handshake answer');
    // A batch re-labelled version 2 (its first byte is the version field's value), CRC fixed.
    const payload = Buffer.from(encodeGroupBatch({ items: heartbeats(2, 1, 1) }));
    expect(payload[0]).toBe(0x08);
    payload[1] = 2;
    const frame = Buffer.from(encodeGroupFrame(CLUSTER, { items: heartbeats(2, 1, 1) }));
    payload.copy(frame, 16);
    frame.writeUInt32BE(crc32c(payload), 12);
    client.socket.write(frame);
    await waitFor(() => client.isClosed(), 'the connection to be dropped');
    expect(got).toEqual([]);
    expect(target.logger.reasons()).toContain('invalid-frame');
  });
});
