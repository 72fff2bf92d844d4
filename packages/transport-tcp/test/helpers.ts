/** Test helpers: a recording logger, polling, small transport clusters on loopback, raw peers. */
import net from 'node:net';
import type { Message, NodeId } from '@raft-io/core';
import { type DecodedFrame, encodeHandshakeFrame, FrameDecoder } from '@raft-io/framing';
import {
  createTcpTransport,
  type Logger,
  type TcpTransport,
  type TcpTransportOptions,
} from '../src/index.js';

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

/** A raw TCP client, for playing a buggy or hostile peer. */
export interface RawClient {
  readonly socket: net.Socket;
  readonly frames: DecodedFrame[];
  /** `host:port` of our end, as the transport logs it (`remote`). */
  readonly local: string;
  /** Resolves when the socket closes. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
}

export async function rawConnect(port: number): Promise<RawClient> {
  const socket = net.connect({ host: HOST, port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
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

/** Sends a valid handshake as node `from` to node `to` of cluster `clusterId`. */
export function sendHandshake(client: RawClient, clusterId: number, from: NodeId, to: NodeId): void {
  client.socket.write(encodeHandshakeFrame(clusterId, { from, to, protocolVersion: 1 }));
}
