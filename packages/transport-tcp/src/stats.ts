/**
 * The counters `TcpTransport.stats()` reports: per peer, and totals for the transport
 * (totals keep counting what peers that were since removed did).
 */
import type { NodeId } from '@raft-io/core';

/** What the transport did with one peer. */
export interface TcpPeerStats {
  readonly id: NodeId;
  readonly host: string;
  readonly port: number;
  /** Whether the outbound connection is up (handshake done). */
  readonly connected: boolean;
  /** Messages waiting in the peer's queue. */
  readonly queuedMessages: number;
  /** Bytes (encoded frames) waiting in the peer's queue. */
  readonly queuedBytes: number;
  /** Messages written to the outbound socket. */
  readonly messagesSent: number;
  /** Frame bytes written to the outbound socket. */
  readonly bytesSent: number;
  /** Messages to this peer that `send` dropped (queue full, frame too large, unencodable). */
  readonly messagesDropped: number;
  /** Messages received from this peer and handed to `receive`. */
  readonly messagesReceived: number;
  /** Frame bytes received from this peer (handshakes included). */
  readonly bytesReceived: number;
  /** Outbound connections established (handshake done). */
  readonly connects: number;
  /** Outbound connections re-established after the first: `max(0, connects - 1)`. */
  readonly reconnects: number;
  /** Outbound attempts that failed before completing the handshake. */
  readonly connectFailures: number;
}

/** Totals for the transport, and each current peer's stats. */
export interface TcpTransportStats {
  readonly messagesSent: number;
  readonly bytesSent: number;
  /** Every message `send` dropped, including those to unknown peers and after close. */
  readonly messagesDropped: number;
  readonly messagesReceived: number;
  readonly bytesReceived: number;
  readonly reconnects: number;
  /** Inbound connections that completed the handshake. */
  readonly connectionsAccepted: number;
  /**
   * Inbound connections refused or closed for cause: bad frames, wrong cluster, unknown
   * node, failed authentication, deadlines, connection caps, TLS failures, forged senders.
   */
  readonly connectionsRefused: number;
  /**
   * Messages refused on receipt because `from` is not the connection's authenticated peer or
   * `to` is not this node (each one also closed its connection).
   */
  readonly messagesRejected: number;
  /** Inbound connections open now, handshakes included (see `maxInboundConnections`). */
  readonly inboundConnections: number;
  /** Inbound connections open now that have not finished their handshake. */
  readonly inboundHandshaking: number;
  /** Bytes held now in partly received inbound frames (see `maxInboundBufferedBytes`). */
  readonly inboundBufferedBytes: number;
  /** Inbound connections paused now because the inbound budget is spent. */
  readonly inboundPaused: number;
  readonly peers: readonly TcpPeerStats[];
}

/** The mutable counters behind `TcpPeerStats`. */
export interface PeerCounters {
  messagesSent: number;
  bytesSent: number;
  messagesDropped: number;
  messagesReceived: number;
  bytesReceived: number;
  connects: number;
  connectFailures: number;
}

export function newPeerCounters(): PeerCounters {
  return {
    messagesSent: 0,
    bytesSent: 0,
    messagesDropped: 0,
    messagesReceived: 0,
    bytesReceived: 0,
    connects: 0,
    connectFailures: 0,
  };
}
