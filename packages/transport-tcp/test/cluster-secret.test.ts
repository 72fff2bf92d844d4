/**
 * The cluster secret: a challenge-response handshake and authenticated frames. Transports
 * sharing the secret talk; a peer without it, one with another secret, and one that fakes
 * the proof are refused; an attacker on the path (a TCP proxy playing the injector) cannot
 * add, replay or change a frame of an established session; a peer that authenticated and
 * then lies about the sender is closed at once. And secure by default: no listening beyond
 * loopback without authentication unless `insecure: true`.
 */
import net from 'node:net';
import { InvalidConfigError, type Message } from '@raft-io/core';
import {
  type DecodedFrame,
  encodeFrame,
  encodeHandshakeFrame,
  FrameAuthenticator,
  FrameDecoder,
} from '@raft-io/framing';
import { afterEach, describe, expect, it } from 'vitest';
import { createTcpTransport, PROTOCOL_VERSION } from '../src/index.js';
import {
  closeAll,
  HOST,
  heartbeat,
  type Node,
  rawConnect,
  secretHandshake,
  sendHandshake,
  sleep,
  startNodes,
  waitFor,
} from './helpers.js';

const CLUSTER = 7;
const SECRET = 'a cluster secret of at least 32 bytes, for tests';

describe('TcpTransport with a cluster secret', () => {
  let nodes: Node[] = [];
  afterEach(async () => {
    await closeAll(nodes);
    nodes = [];
  });

  it('transports with the same secret exchange messages', async () => {
    nodes = await startNodes([1, 2], { clusterSecret: SECRET });
    const [a, b] = nodes as [Node, Node];
    a.transport.send(heartbeat(1, 2, 1));
    b.transport.send(heartbeat(2, 1, 2));
    await waitFor(() => a.inbox.length === 1 && b.inbox.length === 1, 'both ways');
    expect(a.logger.entries.find((e) => e.message === 'transport listening')?.fields).toMatchObject({
      authentication: 'cluster-secret',
    });
  });

  it('counts the tag against maxFrameBytes: a frame that fits only unsealed is dropped at send', async () => {
    const max = 2048;
    nodes = await startNodes([1, 2], { clusterSecret: SECRET, maxFrameBytes: max });
    const [a, b] = nodes as [Node, Node];
    const chunkOfFrame = (frameBytes: number): Message => {
      for (let n = 0; ; n++) {
        const m: Message = {
          type: 'install-snapshot',
          from: 1,
          to: 2,
          term: 1,
          metadata: { index: 1, term: 1, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
          offset: n,
          data: new Uint8Array(n),
          done: false,
        };
        if (encodeFrame(CLUSTER, m).length === frameBytes) return m;
      }
    };
    expect(a.transport.send(chunkOfFrame(max - 8))).toBe(false); // 2040 plain, 2056 sealed
    expect(a.transport.send(chunkOfFrame(max - 16))).toBe(true); // exactly 2048 sealed
    await waitFor(() => b.inbox.length === 1, 'the frame at the bound');
    expect(b.logger.reasons()).toEqual([]);
  });

  it('refuses a peer without the secret, and a dialler refuses an acceptor without it', async () => {
    nodes = await startNodes([1, 2], (id) => (id === 1 ? { clusterSecret: SECRET } : {}));
    const [a, b] = nodes as [Node, Node];
    b.transport.send(heartbeat(2, 1, 1)); // 2 has no secret: 1 refuses its plain hello
    a.transport.send(heartbeat(1, 2, 2)); // 1 dials 2, which cannot prove the secret
    await waitFor(
      () => a.logger.reasons().filter((r) => r === 'auth-required').length >= 2,
      'refusals on both sides of node 1',
    );
    await sleep(50);
    expect(a.inbox).toEqual([]);
    expect(a.transport.stats().peers[0]!.connected).toBe(false);
  });

  it('refuses a peer with another secret (the dialler catches the acceptor proof)', async () => {
    nodes = await startNodes([1, 2], (id) => ({
      clusterSecret: id === 1 ? SECRET : `${SECRET}, but another`,
    }));
    const [a, b] = nodes as [Node, Node];
    b.transport.send(heartbeat(2, 1, 1));
    await waitFor(() => b.logger.reasons().includes('bad-proof'), 'the refusal');
    await sleep(50);
    expect(a.inbox).toEqual([]);
  });

  it('a dialler refuses a server that cannot prove the secret, and sends it nothing', async () => {
    // A server playing node 2 without the secret: it answers with a nonce and a made-up proof.
    const seen: DecodedFrame[] = [];
    const server = net.createServer((s) => {
      const decoder = new FrameDecoder();
      s.on('data', (d) =>
        decoder.push(d, (f) => {
          seen.push(f);
          if (seen.length === 1) {
            s.write(
              encodeHandshakeFrame(CLUSTER, {
                from: 2,
                to: 1,
                protocolVersion: PROTOCOL_VERSION,
                nonce: new Uint8Array(32).fill(1),
                proof: new Uint8Array(32).fill(2),
              }),
            );
          }
        }),
      );
      s.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    const local = await startNodes([1], {
      clusterSecret: SECRET,
      peers: { 2: { host: HOST, port: (server.address() as net.AddressInfo).port } },
    });
    try {
      const [a] = local as [Node];
      a.transport.send(heartbeat(1, 2, 1));
      await waitFor(() => a.logger.reasons().includes('bad-proof'), 'the refusal');
      expect(a.transport.stats().peers[0]!.connected).toBe(false);
      expect(seen.map((f) => f.kind)).toEqual(['handshake']); // the hello, then nothing
    } finally {
      await closeAll(local);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a client that cannot prove the secret, before any message', async () => {
    nodes = await startNodes([1, 2], { clusterSecret: SECRET });
    const [a] = nodes as [Node];
    const client = await rawConnect(a.transport.address()!.port);
    // It knows the protocol and replays an answer it cannot compute: a proof of zeros.
    const forged = await secretHandshake(client, {
      clusterId: CLUSTER,
      secret: SECRET, // only to read the acceptor's answer; the proof it sends is wrong
      from: 2,
      to: 1,
      proof: new Uint8Array(32),
    });
    client.socket.write(forged.seal(encodeFrame(CLUSTER, heartbeat(2, 1, 9))));
    await client.closed;
    expect(a.logger.reasons()).toContain('bad-proof');
    expect(a.inbox).toEqual([]);
  });

  it('refuses a plain hello (no challenge) from a client that claims a peer', async () => {
    nodes = await startNodes([1, 2], { clusterSecret: SECRET });
    const [a] = nodes as [Node];
    const client = await rawConnect(a.transport.address()!.port);
    sendHandshake(client, CLUSTER, 2, 1);
    client.socket.write(encodeFrame(CLUSTER, heartbeat(2, 1, 9)));
    await client.closed;
    expect(client.frames).toEqual([]);
    expect(a.logger.reasons()).toContain('auth-required');
    expect(a.inbox).toEqual([]);
  });

  it('closes an authenticated connection at its first message claiming another sender', async () => {
    nodes = await startNodes([1, 2, 3], { clusterSecret: SECRET });
    const [a] = nodes as [Node];
    const client = await rawConnect(a.transport.address()!.port);
    const auth = await secretHandshake(client, { clusterId: CLUSTER, secret: SECRET, from: 2, to: 1 });
    client.socket.write(auth.seal(encodeFrame(CLUSTER, heartbeat(2, 1, 1))));
    await waitFor(() => a.inbox.length === 1, 'the genuine message');
    client.socket.write(auth.seal(encodeFrame(CLUSTER, heartbeat(3, 1, 2))));
    client.socket.write(auth.seal(encodeFrame(CLUSTER, heartbeat(2, 1, 3))));
    await client.closed;
    expect(a.logger.reasons()).toContain('sender-mismatch');
    expect(a.inbox.map((m) => (m.type === 'heartbeat' ? m.context : -1))).toEqual([1]);
  });
});

/**
 * A TCP proxy between node 1 (dialling) and node 2 that forwards both ways and can inject
 * bytes into the stream towards node 2: an attacker on the network path.
 */
async function injectingProxy(to: number) {
  const upstreams: net.Socket[] = [];
  const seen: Buffer[] = [];
  const sockets: net.Socket[] = [];
  const server = net.createServer((down) => {
    const up = net.connect({ host: HOST, port: to });
    sockets.push(down, up);
    upstreams.push(up);
    down.on('data', (d) => {
      seen.push(Buffer.from(d));
      up.write(d);
    });
    up.on('data', (d) => down.write(d));
    const end = () => {
      down.destroy();
      up.destroy();
    };
    for (const s of [down, up]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    /** Bytes node 1 sent through the proxy so far, in order. */
    seen: () => Buffer.concat(seen),
    /** Writes `bytes` into the newest connection towards node 2. */
    inject: (bytes: Uint8Array) => upstreams.at(-1)!.write(bytes),
    connections: () => upstreams.length,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('an injector on the path of an authenticated session', () => {
  const forged: Message = {
    type: 'append-entries',
    from: 1,
    to: 2,
    term: 100,
    prevLogIndex: 0,
    prevLogTerm: 0,
    entries: [{ index: 1, term: 100, type: 'command', data: new TextEncoder().encode('forged') }],
    commit: 1,
  };

  /** Nodes 1 and 2 with a secret, 1 dialling 2 through the proxy; one genuine message through. */
  async function setUp() {
    const nodes = await startNodes([1, 2], { clusterSecret: SECRET });
    const [a, b] = nodes as [Node, Node];
    const proxy = await injectingProxy(b.transport.address()!.port);
    a.transport.setPeer(2, { host: HOST, port: proxy.port });
    a.transport.send(heartbeat(1, 2, 1));
    await waitFor(() => b.inbox.length === 1, 'the genuine message through the proxy');
    return { nodes, a, b, proxy };
  }

  /** Injects `bytes`, then checks node 2 dropped the connection for `frameError` and delivered nothing forged. */
  async function expectRefused(bytes: Uint8Array, frameError: string) {
    const { nodes, a, b, proxy } = await setUp();
    try {
      const refusedBefore = b.transport.stats().connectionsRefused;
      proxy.inject(bytes);
      await waitFor(() => b.transport.stats().connectionsRefused > refusedBefore, 'the refusal');
      expect(b.logger.entries.some((e) => e.fields.frameError === frameError)).toBe(true);
      expect(b.inbox.every((m) => m.type === 'heartbeat')).toBe(true);
      // Node 1 redials (through the proxy) and the session goes on under a new key. A
      // message written while the old connection was dying is lost, as Raft allows: resend.
      await waitFor(() => {
        if (b.inbox.length < 2) a.transport.send(heartbeat(1, 2, 2));
        return b.inbox.length >= 2;
      }, 'delivery on the next session');
      expect(proxy.connections()).toBe(2);
    } finally {
      await closeAll(nodes);
      await proxy.close();
    }
  }

  it('a plain frame (what an injector without the key can write) is refused', async () => {
    await expectRefused(encodeFrame(CLUSTER, forged), 'unauthenticated');
  });

  it('an authenticated frame under a key of its own is refused', async () => {
    const mine = new FrameAuthenticator(Buffer.alloc(32, 7));
    await expectRefused(mine.seal(encodeFrame(CLUSTER, forged)), 'bad-tag');
  });

  it('a replayed frame of the session itself is refused', async () => {
    const { nodes, b, proxy } = await setUp();
    try {
      // The last frame node 1 sent is the authenticated heartbeat (magic, version 2): replay it.
      const stream = proxy.seen();
      const frame = stream.subarray(stream.lastIndexOf(Buffer.from([0x52, 0x46, 2])));
      expect(frame.length).toBeGreaterThan(32);
      const refusedBefore = b.transport.stats().connectionsRefused;
      proxy.inject(frame);
      await waitFor(() => b.transport.stats().connectionsRefused > refusedBefore, 'the refusal');
      expect(b.logger.entries.some((e) => e.fields.frameError === 'bad-tag')).toBe(true);
      expect(b.inbox).toHaveLength(1); // the genuine one, once
    } finally {
      await closeAll(nodes);
      await proxy.close();
    }
  });
});

describe('secure by default', () => {
  const base = { id: 1, clusterId: CLUSTER, listen: { host: '0.0.0.0', port: 0 } };

  function configError(options: object): InvalidConfigError | undefined {
    try {
      createTcpTransport(options as never);
    } catch (error) {
      if (error instanceof InvalidConfigError) return error;
      throw error;
    }
    return undefined;
  }

  it('refuses to listen beyond loopback without authentication, naming the option', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'db1.example.internal', '::ffff:10.0.0.1']) {
      const error = configError({ ...base, listen: { host, port: 0 } });
      expect(error?.field, host).toBe('insecure');
      expect(error?.message).toContain('clusterSecret');
    }
  });

  it('allows it with TLS, a cluster secret, or insecure: true', () => {
    expect(configError({ ...base, clusterSecret: SECRET })).toBeUndefined();
    expect(configError({ ...base, insecure: true })).toBeUndefined();
    expect(configError({ ...base, tls: { key: 'k', cert: 'c', ca: 'a' } })).toBeUndefined();
  });

  it('allows loopback without authentication, with one warning at start', async () => {
    for (const host of ['127.0.0.1', '127.0.0.53', 'localhost', '::1']) {
      expect(configError({ ...base, listen: { host, port: 0 } }), host).toBeUndefined();
    }
    const started = await startNodes([1, 2]);
    try {
      const [a, b] = started as [Node, Node];
      a.transport.send(heartbeat(1, 2, 1));
      await waitFor(() => b.inbox.length === 1, 'a message');
      const warnings = a.logger.entries.filter((e) => e.message.startsWith('no peer authentication'));
      expect(warnings).toHaveLength(1);
    } finally {
      await closeAll(started);
    }
  });

  it('checks the secret: at least 32 bytes, a string or bytes', () => {
    expect(configError({ ...base, clusterSecret: 'short' })?.field).toBe('clusterSecret');
    expect(configError({ ...base, clusterSecret: new Uint8Array(31) })?.field).toBe('clusterSecret');
    expect(configError({ ...base, clusterSecret: 42 })?.field).toBe('clusterSecret');
    expect(configError({ ...base, clusterSecret: new Uint8Array(32) })).toBeUndefined();
    expect(configError({ ...base, insecure: 'yes' })?.field).toBe('insecure');
  });
});
