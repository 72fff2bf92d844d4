/**
 * Mutual TLS: messages round-trip over TLS; a peer whose certificate comes from another CA
 * is refused in both directions (as client and as server); a client without a certificate,
 * or speaking plain TCP, is refused with a logged reason. The certificate is bound to the
 * node id in both directions: a certificate of the cluster CA without a node identity, or
 * another node's, cannot claim a node id, and a server must prove the node id dialled.
 */
import net from 'node:net';
import tls from 'node:tls';
import { type DecodedFrame, encodeFrame, encodeHandshakeFrame, FrameDecoder } from '@raft-io/framing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTcpTransport, PROTOCOL_VERSION } from '../src/index.js';
import { type KeyPair, makePki, type TestPki } from './certs.js';
import {
  closeAll,
  HOST,
  heartbeat,
  type Node,
  rawConnect,
  recordingLogger,
  sendHandshake,
  sleep,
  startNodes,
  waitFor,
} from './helpers.js';

const CLUSTER = 7;

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

  /** A raw TLS client with `pair` says it is node `claimed` to node 1, then sends a message as it. */
  async function claimToNode1(pair: KeyPair, claimed: number, context: number) {
    const [a] = nodes as [Node];
    const client = await rawConnect(a.transport.address()!.port, { tls: { ...pair, ca: pki.ca } });
    sendHandshake(client, CLUSTER, claimed, 1);
    client.socket.write(encodeFrame(CLUSTER, heartbeat(claimed, 1, context)));
    await waitFor(() => client.isClosed() || client.frames.length > 0, 'an answer or the close');
    return client;
  }

  it("accepts a node's own certificate for its own id (the raw client works)", async () => {
    const [a] = nodes as [Node];
    const client = await claimToNode1(pki.node(2), 2, 501);
    try {
      expect(client.frames[0]).toMatchObject({ kind: 'handshake', handshake: { from: 1, to: 2 } });
      await waitFor(() => a.inbox.some((m) => m.type === 'heartbeat' && m.context === 501), 'the message');
    } finally {
      client.socket.destroy();
    }
  });

  it('refuses a certificate of the cluster CA without a node identity (a metrics agent) claiming node 2', async () => {
    const [a] = nodes as [Node];
    const client = await claimToNode1(pki.metricsAgent, 2, 502);
    await client.closed;
    expect(client.frames).toEqual([]); // no handshake answer
    const entry = a.logger.entries.find(
      (e) => e.fields.reason === 'identity-mismatch' && e.fields.remote === client.local,
    );
    expect(entry).toMatchObject({
      level: 'warn',
      fields: { claimedFrom: 2, certificateSubject: 'metrics-agent' },
    });
    await sleep(50);
    expect(a.inbox.some((m) => m.type === 'heartbeat' && m.context === 502)).toBe(false);
  });

  it("refuses node 3's certificate claiming to be node 2", async () => {
    const [a] = nodes as [Node];
    const client = await claimToNode1(pki.node(3), 2, 503);
    await client.closed;
    expect(client.frames).toEqual([]);
    const entry = a.logger.entries.find(
      (e) => e.fields.reason === 'identity-mismatch' && e.fields.remote === client.local,
    );
    expect(entry?.fields).toMatchObject({ claimedFrom: 2, certificateUris: [`raftio://${CLUSTER}/node/3`] });
    await sleep(50);
    expect(a.inbox.some((m) => m.type === 'heartbeat' && m.context === 503)).toBe(false);
  });

  it("refuses a server that presents node 3's certificate when node 2 was dialled", async () => {
    const [a, b] = nodes as [Node, Node];
    // A server with node 3's (valid, cluster-CA) certificate that answers as node 2.
    const seen: DecodedFrame[] = [];
    const impostor = tls.createServer({ ...pki.node(3), ca: pki.ca, requestCert: true });
    impostor.on('secureConnection', (s) => {
      const decoder = new FrameDecoder();
      s.on('data', (chunk) =>
        decoder.push(chunk, (f) => {
          seen.push(f);
          s.write(encodeHandshakeFrame(CLUSTER, { from: 2, to: 1, protocolVersion: PROTOCOL_VERSION }));
        }),
      );
      s.on('error', () => {});
    });
    impostor.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => impostor.listen(0, HOST, resolve));
    const port = (impostor.address() as net.AddressInfo).port;
    const before = a.logger.entries.length;
    try {
      a.transport.setPeer(2, { host: HOST, port });
      expect(a.transport.send(heartbeat(1, 2, 504))).toBe(true);
      await waitFor(
        () =>
          a.logger.entries
            .slice(before)
            .some((e) => e.fields.reason === 'identity-mismatch' && e.fields.peer === 2),
        'the dialler to refuse the server',
      );
      const peer = a.transport.stats().peers.find((p) => p.id === 2)!;
      expect(peer.connected).toBe(false);
      expect(seen).toEqual([]); // not even the hello went out
    } finally {
      a.transport.setPeer(2, b.transport.address()!);
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
    await waitFor(() => b.inbox.some((m) => m.type === 'heartbeat' && m.context === 504), 'the real node 2');
  });
});

describe('TcpTransport TLS identity rules', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makePki([1, 2, 3]);
  }, 30_000);

  /** Node 1 with `rules` and node 2; then node 3's and the metrics agent's certificates claim 2. */
  async function check(rules: { peerFingerprints?: Record<number, string>; verifyPeerIdentity?: never }) {
    const nodes = await startNodes([1, 2], (id) => ({ tls: { ...pki.node(id), ca: pki.ca, ...rules } }));
    const [a, b] = nodes as [Node, Node];
    try {
      b.transport.send(heartbeat(2, 1, 1));
      await waitFor(() => a.inbox.length === 1, 'node 2 accepted under the rule');
      for (const pair of [pki.node(3), pki.metricsAgent]) {
        const client = await rawConnect(a.transport.address()!.port, { tls: { ...pair, ca: pki.ca } });
        sendHandshake(client, CLUSTER, 2, 1);
        await client.closed;
        expect(client.frames).toEqual([]);
      }
      expect(a.logger.reasons().filter((r) => r === 'identity-mismatch')).toHaveLength(2);
    } finally {
      await closeAll(nodes);
    }
  }

  it('binds ids to certificate fingerprints', async () => {
    await check({ peerFingerprints: { 1: pki.fingerprint(pki.node(1)), 2: pki.fingerprint(pki.node(2)) } });
  });

  it('binds ids with a hook of your own', async () => {
    const verifyPeerIdentity = ((cert: tls.PeerCertificate, id: number) =>
      cert.subject.CN === `node${id}`) as never;
    await check({ verifyPeerIdentity });
  });
});
