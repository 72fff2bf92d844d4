/**
 * Throwaway certificates for the TLS tests, made with the openssl CLI in a temp dir (never
 * committed): a cluster CA, one certificate per node (for 127.0.0.1 and localhost, usable
 * as server and client), and a rogue CA with a node certificate of its own.
 */
import { execFileSync } from 'node:child_process';
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
  readonly rogueCa: string;
  readonly rogue: KeyPair;
  cleanup(): void;
}

export function makePki(nodeIds: readonly number[]): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'raft-io-tls-'));
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ext = join(dir, 'node.ext');
  writeFileSync(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
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
  const newCert = (name: string, ca: string) => {
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
      ext,
    );
  };
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  newCa('cluster-ca');
  newCa('rogue-ca');
  for (const id of nodeIds) newCert(`node${id}`, 'cluster-ca');
  newCert('rogue', 'rogue-ca');
  const nodes = new Map(
    nodeIds.map((id) => [id, { key: read(`node${id}.key`), cert: read(`node${id}.crt`) }]),
  );
  const pki: TestPki = {
    ca: read('cluster-ca.crt'),
    node: (id) => nodes.get(id)!,
    rogueCa: read('rogue-ca.crt'),
    rogue: { key: read('rogue.key'), cert: read('rogue.crt') },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
  // Keys live in memory from here on; the directory goes at once.
  pki.cleanup();
  return pki;
}
