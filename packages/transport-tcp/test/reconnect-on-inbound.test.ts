/**
 * A restarted node learns the leader at once (issue 13): when a peer connects to us, our
 * own link to it stops waiting out its reconnect backoff and dials now. Before, a member
 * restarted after a long outage stayed unreachable from the leader for up to the backoff's
 * cap (5 s by default): the leader's link to it was asleep, and requests to it timed out.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTcpTransport, type TcpTransport } from '../src/index.js';
import { HOST, recordingLogger, waitFor } from './helpers.js';

const transports: TcpTransport[] = [];

afterEach(async () => {
  await Promise.all(transports.map((t) => t.close()));
  transports.length = 0;
});

/** A port nobody listens on (bound, then released). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function transport(id: number, port: number, peers: Record<number, number>, backoffMs: number): TcpTransport {
  const t = createTcpTransport({
    id,
    clusterId: 7,
    listen: { host: HOST, port },
    peers: Object.fromEntries(Object.entries(peers).map(([p, pp]) => [p, { host: HOST, port: pp }])),
    reconnect: { initialDelayMs: backoffMs, maxDelayMs: backoffMs },
    logger: recordingLogger(`n${id}`),
  });
  transports.push(t);
  return t;
}

describe('an inbound connection from a peer resets the backoff of the link to it', () => {
  it('dials the peer at once when it connects to us, not after the backoff', async () => {
    // Init: node 1 runs; node 2 is down, so 1's link to 2 fails and sleeps a 60 s backoff.
    const [port1, port2] = [await freePort(), await freePort()];
    const one = transport(1, port1, { 2: port2 }, 60_000);
    await one.start(() => {});
    await waitFor(() => one.stats().peers[0]!.connectFailures >= 1, 'the first failed dial');
    // Act: node 2 starts (a restart) and dials node 1.
    const received: number[] = [];
    const two = transport(2, port2, { 1: port1 }, 60_000);
    await two.start((m) => received.push(m.from));
    // Check: node 1's link to 2 is up long before its backoff would have ended, and 2 hears 1.
    await waitFor(() => one.stats().peers[0]!.connected, "node 1's link to node 2", 5_000);
    expect(one.send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 1 })).toBe(true);
    await waitFor(() => received.includes(1), 'node 2 to hear node 1', 5_000);
  });
});
