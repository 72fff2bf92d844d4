/**
 * Binding a TLS certificate to a node id. The CA only says "a member of this cluster"; these
 * rules say which member. The default: the certificate carries the SAN URI
 * `raftio://<clusterId>/node/<id>`. Alternatives: a map node id -> SHA-256 fingerprint of
 * that node's certificate, or a hook of your own. The accepting side checks the client
 * certificate against the handshake's `from`; the dialling side checks the server
 * certificate against the `to` it dialled.
 */
import type { PeerCertificate } from 'node:tls';
import { InvalidConfigError, type NodeId } from '@raft-io/core';

/** Whether `cert` proves the identity of node `claimedId`. */
export type PeerIdentityCheck = (cert: PeerCertificate, claimedId: NodeId) => boolean;

/** The SAN URI that names node `id` of cluster `clusterId` in the default identity rule. */
export function nodeIdentityUri(clusterId: number, id: NodeId): string {
  return `raftio://${clusterId}/node/${id}`;
}

/**
 * The entries of a certificate's `subjectaltname` as Node prints it: `TYPE:value` joined
 * by `, `, a value that holds special characters written as a JSON string (Node escapes
 * commas inside it, so a DNS name cannot smuggle in a URI entry). Null when the text is
 * not in that form: no entry is trusted then.
 */
export function parseSubjectAltNames(text: string): { type: string; value: string }[] | null {
  const out: { type: string; value: string }[] = [];
  let i = 0;
  while (i < text.length) {
    const colon = text.indexOf(':', i);
    if (colon < 0) return null;
    const type = text.slice(i, colon);
    let j = colon + 1;
    let value: string;
    if (text[j] === '"') {
      let k = j + 1;
      while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
      if (k >= text.length) return null;
      try {
        value = JSON.parse(text.slice(j, k + 1)) as string;
      } catch {
        return null;
      }
      j = k + 1;
    } else {
      const end = text.indexOf(', ', j);
      j = end < 0 ? text.length : end;
      value = text.slice(colon + 1, j);
    }
    out.push({ type, value });
    if (j < text.length) {
      if (!text.startsWith(', ', j)) return null;
      j += 2;
    }
    i = j;
  }
  return out;
}

/** The SAN URIs of `cert`, or none. */
export function certificateUris(cert: PeerCertificate): string[] {
  const san = typeof cert?.subjectaltname === 'string' ? parseSubjectAltNames(cert.subjectaltname) : null;
  return (san ?? []).filter((e) => e.type === 'URI').map((e) => e.value);
}

/** A fingerprint as `AB:CD:...` (Node's `fingerprint256` form), from hex with or without colons. */
export function normalizeFingerprint(field: string, fingerprint: unknown): string {
  const hex = typeof fingerprint === 'string' ? fingerprint.replace(/:/g, '').toUpperCase() : '';
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new InvalidConfigError(field, 'must be a SHA-256 fingerprint: 64 hex digits, colons allowed');
  }
  return hex.match(/../g)!.join(':');
}

/** What a certificate shows, for a log line about a refused identity. */
export function describeCertificate(cert: PeerCertificate | undefined): Record<string, unknown> {
  if (cert == null || Object.keys(cert).length === 0) return { certificate: null };
  return {
    certificateSubject: cert.subject?.CN,
    certificateUris: certificateUris(cert),
    certificateFingerprint256: cert.fingerprint256,
  };
}

/** The identity rule for `clusterId`: the hook, else the fingerprint map, else the SAN URI. */
export function identityCheck(
  clusterId: number,
  rules: {
    readonly peerFingerprints?: ReadonlyMap<NodeId, string> | undefined;
    readonly verifyPeerIdentity?: PeerIdentityCheck | undefined;
  },
): PeerIdentityCheck {
  const empty = (cert: PeerCertificate | undefined) => cert == null || Object.keys(cert).length === 0;
  const hook = rules.verifyPeerIdentity;
  if (hook !== undefined) {
    return (cert, id) => {
      if (empty(cert)) return false;
      try {
        return hook(cert, id) === true;
      } catch {
        return false; // a throwing hook proves nothing
      }
    };
  }
  const fingerprints = rules.peerFingerprints;
  if (fingerprints !== undefined) {
    return (cert, id) => !empty(cert) && fingerprints.get(id) === cert.fingerprint256;
  }
  return (cert, id) => !empty(cert) && certificateUris(cert).includes(nodeIdentityUri(clusterId, id));
}
