/**
 * How a kv node authenticates its Raft peers (the transport's modes, see
 * packages/transport-tcp/README.md, "Running securely"): a cluster secret, mutual TLS with
 * certificates bound to node ids, or neither, which the transport allows only on loopback
 * unless `insecure`. Flags name files and the secret comes preferably from the environment:
 * another local user can read a process's argv (`ps`), not its environment or a 0600 file.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from './addresses.js';

/** The environment variable `kv node` reads the cluster secret from. */
export const CLUSTER_SECRET_ENV = 'KV_CLUSTER_SECRET';

export interface RaftSecurity {
  /** The cluster secret (at least 32 bytes): challenge-response and a tag on every frame. */
  readonly clusterSecret?: string;
  /** Mutual TLS: this node's key and certificate, and the cluster CA, as PEM. */
  readonly tls?: { readonly key: string; readonly cert: string; readonly ca: string };
  /** Listen on a non-loopback address without authentication. Default false. */
  readonly insecure?: boolean;
}

/** The flags of `kv node` that fill a `RaftSecurity`. */
export interface RaftSecurityFlags {
  readonly 'cluster-secret-file'?: string | undefined;
  readonly 'tls-key'?: string | undefined;
  readonly 'tls-cert'?: string | undefined;
  readonly 'tls-ca'?: string | undefined;
  readonly insecure?: boolean | undefined;
}

function readText(path: string, flag: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag}: cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * The Raft security of `kv node`: the secret from `--cluster-secret-file` (trimmed), else from
 * `KV_CLUSTER_SECRET`; TLS from `--tls-key`, `--tls-cert` and `--tls-ca` (all three or none).
 * The transport checks the secret's length and the certificates when the node starts.
 */
export function raftSecurityFrom(flags: RaftSecurityFlags, env: NodeJS.ProcessEnv): RaftSecurity {
  const file = flags['cluster-secret-file'];
  const secret =
    file !== undefined ? readText(file, '--cluster-secret-file').trim() : env[CLUSTER_SECRET_ENV];
  const tlsFlags = [flags['tls-key'], flags['tls-cert'], flags['tls-ca']];
  const given = tlsFlags.filter((f) => f !== undefined).length;
  if (given !== 0 && given !== 3) throw new UsageError('--tls-key, --tls-cert and --tls-ca go together');
  const [key, cert, ca] = tlsFlags as [string | undefined, string | undefined, string | undefined];
  return {
    ...(secret !== undefined && secret !== '' ? { clusterSecret: secret } : {}),
    ...(key && cert && ca
      ? {
          tls: {
            key: readText(key, '--tls-key'),
            cert: readText(cert, '--tls-cert'),
            ca: readText(ca, '--tls-ca'),
          },
        }
      : {}),
    ...(flags.insecure ? { insecure: true } : {}),
  };
}
