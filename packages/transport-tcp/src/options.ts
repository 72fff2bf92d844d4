/**
 * `TcpTransportOptions`: every knob of the TCP transport with its default and unit, and
 * `resolveTcpTransportOptions`, which checks them (throwing core's `InvalidConfigError` naming the
 * field) and fills in the defaults.
 */
import { InvalidConfigError, type NodeId } from '@raft-io/core';
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES } from '@raft-io/framing';
import { type Logger, NOOP_LOGGER } from './logger.js';

/** Where a node listens or is reached. */
export interface PeerAddress {
  /** Host name or IP address. */
  readonly host: string;
  /** TCP port (0 when listening: any free port; read the bound one from `address()`). */
  readonly port: number;
}

/**
 * Mutual TLS. Both sides present a certificate and verify the other's against `ca`: the
 * server requires a client certificate (`requestCert` + `rejectUnauthorized`), the client
 * verifies the server's certificate, including that it is issued for the host it dials.
 * PEM strings or Buffers, as Node's `tls.createSecureContext` takes them.
 */
export interface TcpTransportTlsOptions {
  /** This node's private key. */
  readonly key: string | Buffer;
  /** This node's certificate (chain), signed by a CA in `ca`. */
  readonly cert: string | Buffer;
  /** The CA certificate(s) that peers' certificates must chain to. Only these are trusted. */
  readonly ca: string | Buffer | readonly (string | Buffer)[];
  /**
   * Overrides the client's check of the server certificate's identity (Node's
   * `checkServerIdentity`). Default: Node's check, the certificate must name the host dialled.
   */
  readonly checkServerIdentity?: (
    host: string,
    cert: import('node:tls').PeerCertificate,
  ) => Error | undefined;
}

/** Reconnect timing: capped exponential backoff with jitter (see `backoff.ts`). */
export interface ReconnectOptions {
  /** The first retry's delay, in ms (jittered to [d/2, d]). Default 50. */
  readonly initialDelayMs?: number;
  /** The longest delay between attempts, in ms. Default 5000. */
  readonly maxDelayMs?: number;
}

/** Socket options passed through to every connection, inbound and outbound. */
export interface SocketOptions {
  /** Disable Nagle's algorithm (`socket.setNoDelay`). Default true: Raft messages are latency-bound. */
  readonly noDelay?: boolean;
  /** TCP keep-alive (`socket.setKeepAlive`). Default true. */
  readonly keepAlive?: boolean;
  /** Idle time before the first keep-alive probe, in ms. Default 10000. */
  readonly keepAliveInitialDelayMs?: number;
}

export interface TcpTransportOptions {
  /** This node's id: a positive safe integer. Required. */
  readonly id: NodeId;
  /**
   * The cluster's id, an unsigned 32-bit integer carried on every frame. Connections from
   * another cluster are refused. Required.
   */
  readonly clusterId: number;
  /** Where to listen for peers. Port 0 binds any free port (see `address()`). Required. */
  readonly listen: PeerAddress;
  /**
   * The other nodes and where they listen: a Map or a record keyed by node id. Default: none.
   * Only known peers may connect in; change them with `setPeer` / `removePeer`.
   */
  readonly peers?: ReadonlyMap<NodeId, PeerAddress> | Readonly<Record<number, PeerAddress>>;
  /** Mutual TLS for every connection. Default: none (plain TCP). */
  readonly tls?: TcpTransportTlsOptions;
  /** Most messages queued per peer while its connection is down or busy. Default 4096. */
  readonly maxQueueMessages?: number;
  /** Most bytes (encoded frames) queued per peer. Default 16 MiB. Beyond either bound `send` drops the message. */
  readonly maxQueueBytes?: number;
  /** Reconnect backoff. Defaults: 50 ms initial, 5000 ms max. */
  readonly reconnect?: ReconnectOptions;
  /**
   * Time allowed from a connection's first byte (outbound: from the dial) to a completed
   * handshake, in ms; slower connections are dropped (slowloris). Default 5000.
   */
  readonly handshakeTimeoutMs?: number;
  /**
   * The largest frame sent or accepted, header included, in bytes. Default 4 MiB. Must
   * exceed your largest message (a snapshot chunk plus about 1 KiB).
   */
  readonly maxFrameBytes?: number;
  /** Socket options. Defaults: noDelay true, keepAlive true after 10000 ms. */
  readonly socket?: SocketOptions;
  /** A pino-compatible logger. Default: discard. */
  readonly logger?: Logger;
}

/** Options after `resolveTcpTransportOptions`: every default filled in. */
export interface ResolvedTcpTransportOptions {
  readonly id: NodeId;
  readonly clusterId: number;
  readonly listen: PeerAddress;
  readonly peers: ReadonlyMap<NodeId, PeerAddress>;
  readonly tls: TcpTransportTlsOptions | undefined;
  readonly maxQueueMessages: number;
  readonly maxQueueBytes: number;
  readonly reconnect: Required<ReconnectOptions>;
  readonly handshakeTimeoutMs: number;
  readonly maxFrameBytes: number;
  readonly socket: Required<SocketOptions>;
  readonly logger: Logger;
}

export const TCP_TRANSPORT_DEFAULTS = Object.freeze({
  maxQueueMessages: 4096,
  maxQueueBytes: 16 * 1024 * 1024,
  reconnect: Object.freeze({ initialDelayMs: 50, maxDelayMs: 5000 }),
  handshakeTimeoutMs: 5000,
  maxFrameBytes: DEFAULT_MAX_FRAME_BYTES,
  socket: Object.freeze({ noDelay: true, keepAlive: true, keepAliveInitialDelayMs: 10_000 }),
});

function positiveInt(field: string, value: unknown, min = 1): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidConfigError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

/** Checks a node id. */
export function checkNodeId(field: string, id: unknown): NodeId {
  return positiveInt(field, id);
}

/** Checks an address; `allowZeroPort` for a listen address. */
export function checkAddress(field: string, address: unknown, allowZeroPort: boolean): PeerAddress {
  const a = address as PeerAddress | undefined;
  if (a === null || typeof a !== 'object' || typeof a.host !== 'string' || a.host === '') {
    throw new InvalidConfigError(field, 'must be { host, port } with a non-empty host');
  }
  const min = allowZeroPort ? 0 : 1;
  if (!Number.isInteger(a.port) || a.port < min || a.port > 65535) {
    throw new InvalidConfigError(
      `${field}.port`,
      `must be an integer in [${min}, 65535], got ${String(a.port)}`,
    );
  }
  return { host: a.host, port: a.port };
}

function peerEntries(peers: TcpTransportOptions['peers']): [unknown, unknown][] {
  if (peers === undefined) return [];
  if (peers instanceof Map) return [...peers.entries()];
  return Object.entries(peers).map(([k, v]) => [Number(k), v]);
}

/** Checks `options` and fills in the defaults. Throws `InvalidConfigError`. */
export function resolveTcpTransportOptions(options: TcpTransportOptions): ResolvedTcpTransportOptions {
  if (options === null || typeof options !== 'object')
    throw new InvalidConfigError('options', 'must be an object');
  const id = checkNodeId('id', options.id);
  const clusterId = options.clusterId;
  if (
    typeof clusterId !== 'number' ||
    !Number.isInteger(clusterId) ||
    clusterId < 0 ||
    clusterId > 0xffffffff
  ) {
    throw new InvalidConfigError(
      'clusterId',
      `must be an integer in [0, 2^32 - 1], got ${String(clusterId)}`,
    );
  }
  const listen = checkAddress('listen', options.listen, true);
  const peers = new Map<NodeId, PeerAddress>();
  for (const [k, v] of peerEntries(options.peers)) {
    const peerId = checkNodeId(`peers[${String(k)}]`, k);
    if (peerId === id) throw new InvalidConfigError(`peers[${peerId}]`, 'must not list the node itself');
    peers.set(peerId, checkAddress(`peers[${peerId}]`, v, false));
  }
  const tls = options.tls;
  if (tls !== undefined && (tls.key == null || tls.cert == null || tls.ca == null)) {
    throw new InvalidConfigError('tls', 'needs key, cert and ca (mutual TLS)');
  }
  const reconnect = {
    initialDelayMs: positiveInt(
      'reconnect.initialDelayMs',
      options.reconnect?.initialDelayMs ?? TCP_TRANSPORT_DEFAULTS.reconnect.initialDelayMs,
    ),
    maxDelayMs: positiveInt(
      'reconnect.maxDelayMs',
      options.reconnect?.maxDelayMs ?? TCP_TRANSPORT_DEFAULTS.reconnect.maxDelayMs,
    ),
  };
  if (reconnect.maxDelayMs < reconnect.initialDelayMs) {
    throw new InvalidConfigError('reconnect.maxDelayMs', 'must be >= reconnect.initialDelayMs');
  }
  const maxFrameBytes = positiveInt(
    'maxFrameBytes',
    options.maxFrameBytes ?? TCP_TRANSPORT_DEFAULTS.maxFrameBytes,
    1024,
  );
  const maxQueueBytes = positiveInt(
    'maxQueueBytes',
    options.maxQueueBytes ?? TCP_TRANSPORT_DEFAULTS.maxQueueBytes,
    FRAME_HEADER_BYTES,
  );
  const socket = { ...TCP_TRANSPORT_DEFAULTS.socket, ...options.socket };
  if (typeof socket.noDelay !== 'boolean' || typeof socket.keepAlive !== 'boolean') {
    throw new InvalidConfigError('socket', 'noDelay and keepAlive must be booleans');
  }
  positiveInt('socket.keepAliveInitialDelayMs', socket.keepAliveInitialDelayMs, 0);
  const logger = options.logger ?? NOOP_LOGGER;
  for (const level of ['debug', 'info', 'warn', 'error'] as const) {
    if (typeof logger[level] !== 'function')
      throw new InvalidConfigError('logger', `must have a ${level}(fields, message) method`);
  }
  return {
    id,
    clusterId,
    listen,
    peers,
    tls,
    maxQueueMessages: positiveInt(
      'maxQueueMessages',
      options.maxQueueMessages ?? TCP_TRANSPORT_DEFAULTS.maxQueueMessages,
    ),
    maxQueueBytes,
    reconnect,
    handshakeTimeoutMs: positiveInt(
      'handshakeTimeoutMs',
      options.handshakeTimeoutMs ?? TCP_TRANSPORT_DEFAULTS.handshakeTimeoutMs,
    ),
    maxFrameBytes,
    socket,
    logger,
  };
}
