/**
 * `TcpTransportOptions`: every knob of the TCP transport with its default and unit, and
 * `resolveTcpTransportOptions`, which checks them (throwing core's `InvalidConfigError` naming the
 * field) and fills in the defaults. It also enforces "secure by default": no listening on
 * a non-loopback address without authentication (TLS or a cluster secret) unless `insecure`.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { InvalidConfigError, type NodeId } from '@raft-io/core';
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES } from '@raft-io/framing';
import { type Logger, NOOP_LOGGER } from './logger.js';
import { isLoopbackHost } from './loopback.js';
import { identityCheck, normalizeFingerprint, type PeerIdentityCheck } from './peer-identity.js';

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
 *
 * The certificate is bound to the node id: the accepting side requires the client
 * certificate to prove the handshake's `from`, the dialling side requires the server
 * certificate to prove the `to` it dialled. One rule proves it, the first that is set:
 * `verifyPeerIdentity`, else `peerFingerprints`, else (the default) a SAN URI
 * `raftio://<clusterId>/node/<id>` in the certificate.
 */
export interface TcpTransportTlsOptions {
  /** This node's private key. */
  readonly key: string | Buffer;
  /** This node's certificate (chain), signed by a CA in `ca`. */
  readonly cert: string | Buffer;
  /** The CA certificate(s) that peers' certificates must chain to. Only these are trusted. */
  readonly ca: string | Buffer | readonly (string | Buffer)[];
  /**
   * Overrides the client's check of the server certificate's host name (Node's
   * `checkServerIdentity`). Default: Node's check, the certificate must name the host
   * dialled. The node-id check below runs in any case.
   */
  readonly checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined;
  /**
   * Node id -> SHA-256 fingerprint of that node's certificate (64 hex digits, colons
   * allowed, any case; `openssl x509 -noout -fingerprint -sha256`). A peer whose
   * certificate is not the one listed for the id it claims (or is dialled as) is refused,
   * and so is a peer missing from the map. Copied at construction. Default: none.
   */
  readonly peerFingerprints?: ReadonlyMap<NodeId, string> | Readonly<Record<number, string>>;
  /**
   * Your own rule: whether `cert` (already verified against `ca`) proves node `claimedId`.
   * Anything but `true`, or a throw, refuses. Default: none. Not together with
   * `peerFingerprints`.
   */
  readonly verifyPeerIdentity?: PeerIdentityCheck;
}

/** `tls` after `resolveTcpTransportOptions`: the identity rule is one function. */
export interface ResolvedTlsOptions {
  readonly key: string | Buffer;
  readonly cert: string | Buffer;
  readonly ca: string | Buffer | readonly (string | Buffer)[];
  readonly checkServerIdentity: TcpTransportTlsOptions['checkServerIdentity'];
  /** Whether a certificate proves a node id (the rule chosen by the options). */
  readonly verifyIdentity: PeerIdentityCheck;
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
  /**
   * Mutual TLS for every connection, certificates bound to node ids. Default: none (plain
   * TCP). Either `tls` or `clusterSecret` (or both) is needed to listen on a non-loopback
   * address, unless `insecure`.
   */
  readonly tls?: TcpTransportTlsOptions;
  /**
   * A secret shared by every node of the cluster, at least 32 bytes (a string counts its
   * UTF-8 bytes; `openssl rand -base64 32` makes a good one). With it, each connection
   * opens with a challenge-response handshake (HMAC-SHA256 over fresh nonces from both
   * sides), and every frame after it carries a tag under a key of that session, so nobody
   * without the secret can connect, or inject, replay or change a frame. It does not
   * encrypt (use TLS for that) and does not tell nodes apart (any holder may claim any id).
   * Default: none.
   */
  readonly clusterSecret?: string | Uint8Array;
  /**
   * Allows listening on a non-loopback address without authentication: then anyone who can
   * reach the port can act as any peer and rewrite the cluster's state. Default false: such
   * a configuration throws `InvalidConfigError` (field `insecure`). On loopback no
   * authentication is needed (a warning is logged once at start).
   */
  readonly insecure?: boolean;
  /**
   * Most inbound connections open at once, handshakes included. When full, a new connection
   * evicts the oldest one still in its handshake, or is refused if none is. Default 256.
   */
  readonly maxInboundConnections?: number;
  /** Most inbound connections from one remote address (IP). Default 32. */
  readonly maxInboundConnectionsPerAddress?: number;
  /**
   * Most established inbound connections per peer id. Beyond it an authenticated newcomer
   * (TLS or cluster secret) replaces the peer's oldest connection, an unauthenticated one
   * is refused. Default 4.
   */
  readonly maxConnectionsPerPeer?: number;
  /**
   * An established inbound connection on which no byte arrives for this long, in ms, is
   * closed. Each outbound connection sends a keep-alive frame after a third of it without
   * traffic, so live peers are never idle: use the same value on every node. Default 60000.
   */
  readonly idleTimeoutMs?: number;
  /**
   * Time allowed from the first byte of an inbound frame to its last, in ms; a slower frame
   * (a peer dribbling bytes) drops the connection. Time a connection spends paused by
   * `maxInboundBufferedBytes` does not count. Default 30000.
   */
  readonly frameTimeoutMs?: number;
  /**
   * The budget of bytes held in partly received frames over all inbound connections.
   * Beyond it, connections that bring more are paused (the kernel then pushes back on the
   * sender) until it is under again; one connection at a time may finish its frame, so the
   * real bound is this plus one frame (plus one socket read per connection). At least
   * `maxFrameBytes`. Default 64 MiB.
   */
  readonly maxInboundBufferedBytes?: number;
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
  readonly tls: ResolvedTlsOptions | undefined;
  /** The cluster secret as a key, or undefined. */
  readonly clusterSecret: KeyObject | undefined;
  /** Whether peers must authenticate (TLS or a cluster secret). */
  readonly authenticated: boolean;
  readonly insecure: boolean;
  readonly maxInboundConnections: number;
  readonly maxInboundConnectionsPerAddress: number;
  readonly maxConnectionsPerPeer: number;
  readonly idleTimeoutMs: number;
  readonly frameTimeoutMs: number;
  readonly maxInboundBufferedBytes: number;
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
  maxInboundConnections: 256,
  maxInboundConnectionsPerAddress: 32,
  maxConnectionsPerPeer: 4,
  idleTimeoutMs: 60_000,
  frameTimeoutMs: 30_000,
  maxInboundBufferedBytes: 64 * 1024 * 1024,
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

function peerEntries(
  peers: ReadonlyMap<NodeId, unknown> | Readonly<Record<number, unknown>> | undefined,
): [unknown, unknown][] {
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
  const tls = resolveTls(clusterId, options.tls);
  const clusterSecret = resolveSecret(options.clusterSecret);
  const authenticated = tls !== undefined || clusterSecret !== undefined;
  if (options.insecure !== undefined && typeof options.insecure !== 'boolean') {
    throw new InvalidConfigError('insecure', 'must be a boolean');
  }
  const insecure = options.insecure === true;
  if (!authenticated && !insecure && !isLoopbackHost(listen.host)) throw insecureListen(listen.host);
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
  const maxInboundBufferedBytes = positiveInt(
    'maxInboundBufferedBytes',
    options.maxInboundBufferedBytes ?? TCP_TRANSPORT_DEFAULTS.maxInboundBufferedBytes,
    maxFrameBytes,
  );
  const d = TCP_TRANSPORT_DEFAULTS;
  return {
    id,
    clusterId,
    listen,
    peers,
    tls,
    clusterSecret,
    authenticated,
    insecure,
    maxInboundConnections: positiveInt(
      'maxInboundConnections',
      options.maxInboundConnections ?? d.maxInboundConnections,
    ),
    maxInboundConnectionsPerAddress: positiveInt(
      'maxInboundConnectionsPerAddress',
      options.maxInboundConnectionsPerAddress ?? d.maxInboundConnectionsPerAddress,
    ),
    maxConnectionsPerPeer: positiveInt(
      'maxConnectionsPerPeer',
      options.maxConnectionsPerPeer ?? d.maxConnectionsPerPeer,
    ),
    idleTimeoutMs: positiveInt('idleTimeoutMs', options.idleTimeoutMs ?? d.idleTimeoutMs, 3),
    frameTimeoutMs: positiveInt('frameTimeoutMs', options.frameTimeoutMs ?? d.frameTimeoutMs),
    maxInboundBufferedBytes,
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

/** The error for an unauthenticated transport listening beyond loopback. */
export function insecureListen(host: string): InvalidConfigError {
  return new InvalidConfigError(
    'insecure',
    `listening on ${host}, which is not a loopback address, without authentication would let anyone who ` +
      'can reach the port act as any peer: set tls (mutual TLS, certificates bound to node ids) or ' +
      'clusterSecret, or insecure: true to accept that risk',
  );
}

/** The minimum length of a cluster secret, in bytes. */
export const MIN_CLUSTER_SECRET_BYTES = 32;

function resolveSecret(secret: unknown): KeyObject | undefined {
  if (secret === undefined) return undefined;
  let bytes: Buffer;
  if (typeof secret === 'string') bytes = Buffer.from(secret, 'utf8');
  else if (secret instanceof Uint8Array) bytes = Buffer.from(secret);
  else throw new InvalidConfigError('clusterSecret', 'must be a string or a Uint8Array');
  if (bytes.length < MIN_CLUSTER_SECRET_BYTES) {
    throw new InvalidConfigError(
      'clusterSecret',
      `must be at least ${MIN_CLUSTER_SECRET_BYTES} bytes, got ${bytes.length} (try: openssl rand -base64 32)`,
    );
  }
  return createSecretKey(bytes);
}

function resolveTls(
  clusterId: number,
  tls: TcpTransportTlsOptions | undefined,
): ResolvedTlsOptions | undefined {
  if (tls === undefined) return undefined;
  if (tls === null || typeof tls !== 'object' || tls.key == null || tls.cert == null || tls.ca == null) {
    throw new InvalidConfigError('tls', 'needs key, cert and ca (mutual TLS)');
  }
  if (tls.verifyPeerIdentity !== undefined && typeof tls.verifyPeerIdentity !== 'function') {
    throw new InvalidConfigError('tls.verifyPeerIdentity', 'must be a function (cert, claimedId) => boolean');
  }
  if (tls.verifyPeerIdentity !== undefined && tls.peerFingerprints !== undefined) {
    throw new InvalidConfigError(
      'tls.peerFingerprints',
      'give either peerFingerprints or verifyPeerIdentity, not both',
    );
  }
  let fingerprints: Map<NodeId, string> | undefined;
  if (tls.peerFingerprints !== undefined) {
    fingerprints = new Map();
    for (const [k, v] of peerEntries(tls.peerFingerprints)) {
      const peerId = checkNodeId(`tls.peerFingerprints[${String(k)}]`, k);
      fingerprints.set(peerId, normalizeFingerprint(`tls.peerFingerprints[${peerId}]`, v));
    }
  }
  return {
    key: tls.key,
    cert: tls.cert,
    ca: tls.ca,
    checkServerIdentity: tls.checkServerIdentity,
    verifyIdentity: identityCheck(clusterId, {
      peerFingerprints: fingerprints,
      verifyPeerIdentity: tls.verifyPeerIdentity,
    }),
  };
}
