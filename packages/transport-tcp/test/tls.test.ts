/**
 * Mutual TLS: messages round-trip over TLS; a peer whose certificate comes from another CA
 * is refused in both directions (as client and as server); a client without a certificate,
 * or speaking plain TCP, is refused with a logged reason.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpTransport } from '../src/index.js';
import { makePki, type TestPki } from './certs.js';
import {
  closeAll,
  HOST,
  heartbeat,
  type Node,
  recordingLogger,
  sleep,
  startNodes,
  waitFor,
} from './helpers.js';

describe('TcpTransport over mutual TLS', () => {
  let pki: TestPki;
  let nodes: Node[];

  beforeAll(async () => {
    pki = makePki([1, 2, 3]);
    nodes = await startNodes([1, 2, 3], (id) => ({
      tls: { ...pki.node(id), ca: pki.ca },
      handshakeTimeoutMs: 1000,
    }));
  }, 30_000);
  afterAll(async () => {
    await closeAll(nodes);
  });

  it('round-trips messages of every size between three nodes', async () => {
    const [a, b, c] = nodes as [Node, Node, Node];
    const big = {
      type: 'install-snapshot' as const,
      from: 1,
      to: 2,
      term: 2,
      metadata: { index: 9, term: 2, membership: { voters: [1, 2, 3], learners: [], outgoingVoters: [] } },
      offset: 0,
      data: Uint8Array.from({ length: 200_000 }, (_, i) => i & 0xff),
      done: true,
    };
    expect(a.transport.send(big)).toBe(true);
    expect(b.transport.send(heartbeat(2, 3, 1))).toBe(true);
    expect(c.transport.send(heartbeat(3, 1, 2))).toBe(true);
    await waitFor(
      () => a.inbox.length === 1 && b.inbox.length === 1 && c.inbox.length === 1,
      'TLS deliveries',
    );
    expect(b.inbox[0]).toStrictEqual(big);
    expect(c.inbox[0]).toEqual(heartbeat(2, 3, 1));
    expect(a.inbox[0]).toEqual(heartbeat(3, 1, 2));
  });

  it('refuses a peer whose client certificate comes from another CA', async () => {
    const [a] = nodes as [Node];
    // Node 4 trusts the cluster CA (so it accepts node 1's server certificate) but presents
    // a certificate of the rogue CA. Node 1 knows a peer 4, so only TLS can stop it.
    a.transport.setPeer(4, { host: HOST, port: 1 });
    const rogueLog = recordingLogger('rogue');
    const rogue = createTcpTransport({
      id: 4,
      clusterId: 7,
      listen: { host: HOST, port: 0 },
      peers: { 1: a.transport.address()! },
      tls: { ...pki.rogue, ca: pki.ca },
      reconnect: { initialDelayMs: 20, maxDelayMs: 50 },
      logger: rogueLog,
    });
    try {
      await rogue.start(() => {});
      const refusedBefore = a.transport.stats().connectionsRefused;
      rogue.send(heartbeat(4, 1, 99));
      await waitFor(() => a.transport.stats().connectionsRefused > refusedBefore, 'the TLS refusal');
      const entry = a.logger.entries.find((e) => e.fields.reason === 'tls');
      expect(entry?.level).toBe('warn');
      await sleep(100);
      expect(a.inbox.some((m) => m.from === 4)).toBe(false);
      expect(rogue.stats().peers[0]!.connected).toBe(false);
    } finally {
      await rogue.close();
      await a.transport.removePeer(4);
    }
  });

  it('refuses to talk to a server whose certificate comes from another CA', async () => {
    const [a] = nodes as [Node];
    const rogueServer = tls.createServer({ ...pki.rogue, ca: pki.rogueCa, requestCert: false });
    await new Promise<void>((resolve) => rogueServer.listen(0, HOST, resolve));
    let secured = 0;
    rogueServer.on('secureConnection', (s) => {
      secured++;
      s.destroy();
    });
    rogueServer.on('tlsClientError', () => {});
    try {
      a.transport.setPeer(5, { host: HOST, port: (rogueServer.address() as net.AddressInfo).port });
      expect(a.transport.send(heartbeat(1, 5, 1))).toBe(true);
      await waitFor(
        () => a.transport.stats().peers.find((p) => p.id === 5)!.connectFailures >= 2,
        'failed dials',
      );
      const peer = a.transport.stats().peers.find((p) => p.id === 5)!;
      expect(peer.connected).toBe(false);
      expect(peer.messagesSent).toBe(0);
      expect(secured).toBe(0);
      expect(
        a.logger.entries.some((e) => e.fields.peer === 5 && String(e.fields.error).includes('certificate')),
      ).toBe(true);
    } finally {
      await a.transport.removePeer(5);
      await new Promise<void>((resolve) => rogueServer.close(() => resolve()));
    }
  });

  it('refuses a TLS client without a certificate, and a plain TCP client', async () => {
    const [, b] = nodes as [Node, Node];
    const port = b.transport.address()!.port;
    const refused = () => b.logger.entries.filter((e) => e.fields.reason === 'tls').length;
    const before = refused();
    const noCert = tls.connect({ host: HOST, port, ca: pki.ca });
    noCert.on('error', () => {});
    noCert.on('secureConnect', () => noCert.write('hello'));
    await new Promise<void>((resolve) => noCert.once('close', () => resolve()));
    const plain = net.connect({ host: HOST, port });
    plain.on('error', () => {});
    plain.on('connect', () => plain.write('not TLS at all\r\n\r\n'));
    await new Promise<void>((resolve) => plain.once('close', () => resolve()));
    await waitFor(() => refused() >= before + 2, 'two TLS refusals');
  });
});
