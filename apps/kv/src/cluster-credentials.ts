/**
 * The credentials `kv cluster` gives its nodes: a random cluster id and a random 32-byte
 * cluster secret, made on the first start and kept in `<dir>/cluster.json` (owner-only), so a
 * later start on the same data finds the same cluster (each node's log records its cluster
 * id and refuses another).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterCredentials {
  /** The cluster id on every frame, an unsigned 32-bit integer (never the default 1). */
  readonly clusterId: number;
  /** The cluster secret: 32 random bytes, base64url (43 characters). */
  readonly clusterSecret: string;
}

export const CREDENTIALS_FILE = 'cluster.json';

/** The credentials stored under `dir`, made (and stored) if there are none yet. */
export function clusterCredentials(dir: string): ClusterCredentials {
  const path = join(dir, CREDENTIALS_FILE);
  if (existsSync(path)) {
    const raw = JSON.parse(readFileSync(path, 'utf8')) as Partial<ClusterCredentials>;
    const { clusterId, clusterSecret } = raw;
    if (
      typeof clusterId !== 'number' ||
      !Number.isInteger(clusterId) ||
      clusterId < 0 ||
      clusterId > 0xffffffff ||
      typeof clusterSecret !== 'string' ||
      clusterSecret.length < 43
    ) {
      throw new Error(`${path} is damaged: remove it together with the data directory it belongs to`);
    }
    return { clusterId, clusterSecret };
  }
  mkdirSync(dir, { recursive: true });
  const credentials = {
    clusterId: randomInt(2, 0xffffffff),
    clusterSecret: randomBytes(32).toString('base64url'),
  };
  writeFileSync(path, `${JSON.stringify(credentials)}\n`, { mode: 0o600, flag: 'wx' });
  return credentials;
}
