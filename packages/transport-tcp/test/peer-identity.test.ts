/**
 * The pieces of peer identity on their own: Node's `subjectaltname` text parsed so that a
 * DNS name cannot smuggle in a node URI, each identity rule (SAN URI, fingerprint map, hook)
 * deciding for a certificate and a claimed id, and which listen hosts count as loopback.
 */
import type { PeerCertificate } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../src/loopback.js';
import {
  identityCheck,
  nodeIdentityUri,
  normalizeFingerprint,
  parseSubjectAltNames,
} from '../src/peer-identity.js';

const cert = (subjectaltname: string, fingerprint256 = 'AA') =>
  ({ subjectaltname, fingerprint256, subject: { CN: 'x' } }) as unknown as PeerCertificate;

describe('parseSubjectAltNames', () => {
  it('reads plain and JSON-quoted entries, as Node prints them', () => {
    // What Node prints for a certificate whose DNS name holds ", URI:raftio://7/node/3".
    const text =
      'URI:raftio://7/node/2, DNS:"a\\u002c URI:raftio://7/node/3", DNS:localhost, IP Address:127.0.0.1';
    expect(parseSubjectAltNames(text)).toEqual([
      { type: 'URI', value: 'raftio://7/node/2' },
      { type: 'DNS', value: 'a, URI:raftio://7/node/3' },
      { type: 'DNS', value: 'localhost' },
      { type: 'IP Address', value: '127.0.0.1' },
    ]);
  });

  it('trusts nothing in text that is not in that form', () => {
    for (const text of ['URI', 'URI:"unterminated', 'URI:"a"x, URI:raftio://7/node/2', 'URI:"\\q"']) {
      expect(parseSubjectAltNames(text), text).toBeNull();
    }
    expect(parseSubjectAltNames('')).toEqual([]);
  });
});

describe('identity rules', () => {
  it('by default, a certificate proves the ids of its raftio SAN URIs for this cluster only', () => {
    const check = identityCheck(7, {});
    const c = cert(`DNS:localhost, URI:${nodeIdentityUri(7, 2)}, URI:${nodeIdentityUri(8, 3)}`);
    expect(check(c, 2)).toBe(true);
    expect(check(c, 3)).toBe(false); // a node 3, but of cluster 8
    expect(check(cert('DNS:"x\\u002c URI:raftio://7/node/5"'), 5)).toBe(false);
    expect(check(cert(`URI:${nodeIdentityUri(7, 2)}0`), 2)).toBe(false); // node 20 is not node 2
    expect(check({} as PeerCertificate, 2)).toBe(false); // no certificate
  });

  it('with a fingerprint map, only the listed certificate proves an id', () => {
    const fp = normalizeFingerprint('f', 'ab'.repeat(32));
    const check = identityCheck(7, { peerFingerprints: new Map([[2, fp]]) });
    expect(check(cert('', fp), 2)).toBe(true);
    expect(check(cert('', fp), 3)).toBe(false);
    expect(check(cert(`URI:${nodeIdentityUri(7, 2)}`, 'CD'), 2)).toBe(false);
    expect(fp).toBe(Array(32).fill('AB').join(':'));
    expect(() => normalizeFingerprint('f', 'xyz')).toThrow();
  });

  it('with a hook, only a true answer proves an id; a throw refuses', () => {
    expect(identityCheck(7, { verifyPeerIdentity: () => true })(cert(''), 2)).toBe(true);
    expect(identityCheck(7, { verifyPeerIdentity: () => 1 as unknown as boolean })(cert(''), 2)).toBe(false);
    const throwing = identityCheck(7, {
      verifyPeerIdentity: () => {
        throw new Error('boom');
      },
    });
    expect(throwing(cert(''), 2)).toBe(false);
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from everything else', () => {
    for (const h of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
      'localhost',
      'LOCALHOST',
    ]) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '::ffff:10.0.0.1',
      '128.0.0.1',
      'localhost.example.com',
      'db1',
    ]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });
});
