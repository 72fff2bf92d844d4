/**
 * The challenge-response handshake with a cluster secret, for transports without TLS. The
 * dialler D sends a fresh nonce Nd; the acceptor A answers with its own nonce Na and
 * proves it knows the secret; D checks that and proves it too; each proof is an
 * HMAC-SHA256 under the secret over the whole exchange (the transcript: cluster id, both
 * protocol versions, both node ids, both nonces), under a label of its own so that one
 * side's proof is never the other's. Both then derive the session key from the same
 * transcript, and every later frame carries a tag under it (@raft-io/framing's format 2).
 * Fresh nonces on both sides mean a recorded handshake or frame is worth nothing later.
 *
 * A shared secret proves membership of the cluster, not which node: any holder can claim
 * any id. Bind ids to keys with TLS certificates when that matters.
 */
import { createHmac, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NodeId } from '@raft-io/core';
import { HANDSHAKE_NONCE_BYTES } from '@raft-io/framing';

/** Everything both sides said, as the proofs and the session key cover it. */
export interface Transcript {
  readonly clusterId: number;
  readonly dialer: NodeId;
  readonly acceptor: NodeId;
  readonly dialerVersion: number;
  readonly acceptorVersion: number;
  readonly dialerNonce: Uint8Array;
  readonly acceptorNonce: Uint8Array;
}

const ACCEPTOR_PROOF = 'raft-io/2 acceptor proof';
const DIALER_PROOF = 'raft-io/2 dialer proof';
const SESSION_KEY = 'raft-io/2 session key, dialer to acceptor';

/** A fresh random nonce. */
export function newNonce(): Buffer {
  return randomBytes(HANDSHAKE_NONCE_BYTES);
}

/** The transcript in a fixed layout (every field has a fixed size, so no two transcripts collide). */
function transcriptBytes(t: Transcript): Buffer {
  const b = Buffer.alloc(4 + 4 + 4 + 8 + 8 + 2 * HANDSHAKE_NONCE_BYTES);
  b.writeUInt32BE(t.clusterId, 0);
  b.writeUInt32BE(t.dialerVersion, 4);
  b.writeUInt32BE(t.acceptorVersion, 8);
  b.writeBigUInt64BE(BigInt(t.dialer), 12);
  b.writeBigUInt64BE(BigInt(t.acceptor), 20);
  b.set(t.dialerNonce, 28);
  b.set(t.acceptorNonce, 28 + HANDSHAKE_NONCE_BYTES);
  return b;
}

function mac(secret: KeyObject, label: string, t: Transcript): Buffer {
  return createHmac('sha256', secret).update(label).update(Buffer.of(0)).update(transcriptBytes(t)).digest();
}

/** The acceptor's proof of the secret. */
export function acceptorProof(secret: KeyObject, t: Transcript): Buffer {
  return mac(secret, ACCEPTOR_PROOF, t);
}

/** The dialler's proof of the secret. */
export function dialerProof(secret: KeyObject, t: Transcript): Buffer {
  return mac(secret, DIALER_PROOF, t);
}

/** The key of the frames the dialler sends on this connection (32 bytes). */
export function sessionKey(secret: KeyObject, t: Transcript): Buffer {
  return mac(secret, SESSION_KEY, t);
}

/** Compares a received proof with the expected one in constant time. */
export function proofMatches(received: Uint8Array | undefined, expected: Buffer): boolean {
  return received !== undefined && received.length === expected.length && timingSafeEqual(received, expected);
}
