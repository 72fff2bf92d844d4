/**
 * Test helpers: a recording logger, polling, small transport clusters on loopback, and raw
 * peers built from the project's own codec (plain TCP or TLS, able to run the secret
 * handshake) for playing buggy or hostile peers.
 */
import { createSecretKey, randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import type { Message, NodeId } from '@raft-io/core';
import { type DecodedFrame, encodeHandshakeFrame, FrameAuthenticator, FrameDecoder } from '@raft-io/framing';
import {
  createTcpTransport,
  type Logger,
  PROTOCOL_VERSION,
  type TcpTransport,
  type TcpTransportOptions,
} from '../src/index.js';
import { acceptorProof, dialerProof, sessionKey, type Transcript } from '../src/secret-handshake.js';

export const HOST = '127.0.0.1';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A logger that keeps every entry (set DEBUG_TRANSPORT=1 to also print them). */
export function recordingLogger(name = ''): Logger & { entries: LogEntry[]; reasons(): unknown[] } {
  const entries: LogEntry[] = [];
  const at =
    (level: LogEntry['level']) =>
    (fields: Record<string, unknown>, message: string): void => {
      entries.push({ level, fields, message });
      if (process.env.DEBUG_TRANSPORT) console.log(name, level, message, JSON.stringify(fields));
    };
  return {
    entries,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    reasons: () => entries.map((e) => e.fields.reason).filter((r) => r !== undefined),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `predicate` every few ms; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

export function heartbeat(from: NodeId, to: NodeId, context: number, term = 1): Message {
  return { type: 'heartbeat', from, to, term, commit: 0, context };
}

export interface Node {
  readonly id: NodeId;
  readonly transport: TcpTransport;
  readonly inbox: Message[];
  readonly logger: ReturnType<typeof recordingLogger>;
}

/** Creates, starts and wires transports for `ids` on 127.0.0.1, ports chosen by the OS. */
export async function startNodes(
  ids: readonly NodeId[],
  extra: Partial<TcpTransportOptions> | ((id: NodeId) => Partial<TcpTransportOptions>) = {},
): Promise<Node[]> {
  const nodes: Node[] = ids.map((id) => {
    const logger = recordingLogger(`node${id}`);
    const more = typeof extra === 'function' ? extra(id) : extra;
    const transport = createTcpTransport({
      id,
      clusterId: 7,
      listen: { host: HOST, port: 0 },
      reconnect: { initialDelayMs: 10, maxDelayMs: 100 },
      logger,
      ...more,
    });
    return { id, transport, inbox: [], logger };
  });
  await Promise.all(nodes.map((n) => n.transport.start((m) => n.inbox.push(m))));
  for (const a of nodes) {
    for (const b of nodes) if (a !== b) a.transport.setPeer(b.id, b.transport.address()!);
  }
  return nodes;
}

export async function closeAll(nodes: readonly { transport: TcpTransport }[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.transport.close()));
}

/** Counts of the live handle types a transport can leak (sockets, servers, timers). */
export function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) {
    if (r === 'TCPSocketWrap' || r === 'TCPServerWrap' || r === 'Timeout') counts[r] = (counts[r] ?? 0) + 1;
  }
  return counts;
}

/** A raw TCP or TLS client, for playing a buggy or hostile peer. */
export interface RawClient {
  readonly socket: net.Socket;
  readonly frames: DecodedFrame[];
  /** `host:port` of our end, as the transport logs it (`remote`). */
  readonly local: string;
  /** Resolves when the socket closes. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

export interface RawConnectOptions {
  /** Connect over TLS with this key pair, trusting `ca`. */
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
  /** The local address to connect from (another loopback address, for per-address caps). */
  readonly localAddress?: string;
}

export async function rawConnect(port: number, options: RawConnectOptions = {}): Promise<RawClient> {
  const socket: net.Socket = options.tls
    ? tls.connect({ host: HOST, port, ...options.tls })
    : net.connect({
        host: HOST,
        port,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
      });
  await new Promise<void>((resolve, reject) => {
    socket.once(options.tls ? 'secureConnect' : 'connect', resolve);
    socket.once('error', reject);
  });
  const frames: DecodedFrame[] = [];
  const decoder = new FrameDecoder();
  let closed = false;
  socket.on('data', (chunk) => {
    try {
      decoder.push(chunk, (f) => frames.push(f));
    } catch {
      socket.destroy();
    }
  });
  socket.on('error', () => {});
  const closedPromise = new Promise<void>((resolve) =>
    socket.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  return {
    socket,
    frames,
    local: `${socket.localAddress}:${socket.localPort}`,
    closed: closedPromise,
    isClosed: () => closed,
  };
}

/** Sends a valid (plain) hello as node `from` to node `to` of cluster `clusterId`. */
export function sendHandshake(client: RawClient, clusterId: number, from: NodeId, to: NodeId): void {
  client.socket.write(encodeHandshakeFrame(clusterId, { from, to, protocolVersion: PROTOCOL_VERSION }));
}

/**
 * Runs the cluster-secret handshake as node `from` to node `to` from a raw client, and
 * returns the authenticator for the frames it may then send. With `proof` given, sends it
 * instead of the real one (an attacker without the secret).
 */
export async function secretHandshake(
  client: RawClient,
  args: { clusterId: number; secret: string; from: NodeId; to: NodeId; proof?: Uint8Array },
): Promise<FrameAuthenticator> {
  const key = createSecretKey(Buffer.from(args.secret));
  const nonce = randomBytes(32);
  const { clusterId, from, to } = args;
  client.socket.write(
    encodeHandshakeFrame(clusterId, { from, to, protocolVersion: PROTOCOL_VERSION, nonce }),
  );
  await waitFor(() => client.frames.length >= 1 || client.isClosed(), 'the handshake answer');
  const answer = client.frames[0];
  if (answer?.kind !== 'handshake' || !answer.handshake.nonce) throw new Error('no secret handshake answer');
  const t: Transcript = {
    clusterId,
    dialer: from,
    acceptor: to,
    dialerVersion: PROTOCOL_VERSION,
    acceptorVersion: answer.handshake.protocolVersion,
    dialerNonce: nonce,
    acceptorNonce: answer.handshake.nonce,
  };
  if (!acceptorProof(key, t).equals(answer.handshake.proof ?? new Uint8Array())) {
    throw new Error('the acceptor did not prove the secret');
  }
  client.socket.write(
    encodeHandshakeFrame(clusterId, {
      from,
      to,
      protocolVersion: PROTOCOL_VERSION,
      proof: args.proof ?? dialerProof(key, t),
    }),
  );
  return new FrameAuthenticator(sessionKey(key, t));
}
