/**
 * Parsing of the CLI's addresses: `host:port` (IPv6 in brackets), and the peer list
 * `id=host:port@http://host:port,...` that tells a node where each peer's Raft transport and
 * HTTP API listen.
 */
import type { NodeId, PeerAddress } from 'raft-io';

export interface PeerSpec {
  readonly id: NodeId;
  /** Where the peer's Raft transport listens. */
  readonly raft: PeerAddress;
  /** The peer's HTTP base URL, e.g. `http://127.0.0.1:8002`. */
  readonly url: string;
}

export class UsageError extends Error {}

/** `host:port` or `[v6]:port`; `allowZero` for listen addresses. */
export function parseHostPort(text: string, what: string, allowZero = true): PeerAddress {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`${what}: expected host:port, got ${JSON.stringify(text)}`);
  const port = Number(m[3]);
  if (!Number.isInteger(port) || port > 65535 || (port === 0 && !allowZero)) {
    throw new UsageError(`${what}: bad port in ${JSON.stringify(text)}`);
  }
  return { host: (m[1] ?? m[2])!, port };
}

export function parseNodeId(text: string, what: string): NodeId {
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new UsageError(`${what}: a node id is a positive integer, got ${JSON.stringify(text)}`);
  return id;
}

/** `2=127.0.0.1:7002@http://127.0.0.1:8002,3=...` */
export function parsePeers(text: string): PeerSpec[] {
  if (text.trim() === '') return [];
  return text.split(',').map((item) => {
    const m = /^(\d+)=([^@]+)@(.+)$/.exec(item.trim());
    if (!m)
      throw new UsageError(`--peers: expected id=host:port@http://host:port, got ${JSON.stringify(item)}`);
    const url = m[3]!.replace(/\/+$/, '');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--peers: bad URL ${JSON.stringify(url)}`);
    }
    if (parsed.protocol !== 'http:')
      throw new UsageError(`--peers: the HTTP URL must be http://, got ${url}`);
    return { id: parseNodeId(m[1]!, '--peers'), raft: parseHostPort(m[2]!, '--peers', false), url };
  });
}

export function formatPeers(peers: readonly PeerSpec[]): string {
  return peers.map((p) => `${p.id}=${p.raft.host}:${p.raft.port}@${p.url}`).join(',');
}
