/**
 * Throwaway certificates for the TLS tests, made with the openssl CLI in a temp dir (never
 * committed): a cluster CA; one certificate per node (for 127.0.0.1 and localhost, usable
 * as server and client) carrying the node's identity, the SAN URI
 * `raftio://<clusterId>/node/<id>`; a "metrics-agent" certificate from the same CA with no
 * node identity; and a rogue CA with a node certificate of its own (claiming node 4).
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestPki {
  readonly ca: string;
  node(id: number): KeyPair;
  /** A certificate of the cluster CA without a node identity (any other service's). */
  readonly metricsAgent: KeyPair;
  readonly rogueCa: string;
  readonly rogue: KeyPair;
  /** The SHA-256 fingerprint of a certificate, as Node prints it. */
  fingerprint(pair: KeyPair): string;
}

export function makePki(nodeIds: readonly number[], clusterId = 7): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'raft-io-tls-'));
  try {
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    const extFile = (name: string, uri: string | null) => {
      const file = join(dir, `${name}.ext`);
      const san = ['IP:127.0.0.1', 'DNS:localhost', ...(uri === null ? [] : [`URI:${uri}`])].join(',');
      writeFileSync(file, `subjectAltName=${san}\nextendedKeyUsage=serverAuth,clientAuth\n`);
      return file;
    };
    const newCa = (name: string) =>
      ssl(
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.crt`,
        '-subj',
        `/CN=${name}`,
      );
    const newCert = (name: string, ca: string, uri: string | null) => {
      ssl(
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${name}`,
      );
      ssl(
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        `${ca}.crt`,
        '-CAkey',
        `${ca}.key`,
        '-CAcreateserial',
        '-days',
        '1',
        '-out',
        `${name}.crt`,
        '-extfile',
        extFile(name, uri),
      );
    };
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    const pair = (name: string) => ({ key: read(`${name}.key`), cert: read(`${name}.crt`) });
    newCa('cluster-ca');
    newCa('rogue-ca');
    for (const id of nodeIds) newCert(`node${id}`, 'cluster-ca', `raftio://${clusterId}/node/${id}`);
    newCert('metrics-agent', 'cluster-ca', null);
    newCert('rogue', 'rogue-ca', `raftio://${clusterId}/node/4`);
    const nodes = new Map(nodeIds.map((id) => [id, pair(`node${id}`)]));
    return {
      ca: read('cluster-ca.crt'),
      node: (id) => nodes.get(id)!,
      metricsAgent: pair('metrics-agent'),
      rogueCa: read('rogue-ca.crt'),
      rogue: pair('rogue'),
      fingerprint: (p) => new X509Certificate(p.cert).fingerprint256,
    };
  } finally {
    // Keys live in memory from here on; the directory goes at once.
    rmSync(dir, { recursive: true, force: true });
  }
}
