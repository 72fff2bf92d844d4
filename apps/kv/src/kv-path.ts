/**
 * The kv API's request targets: which route a raw request target names, the key it carries,
 * and the canonical path of a key. One parser serves the node that answers and the follower
 * that forwards: a follower forwards `kvPath(key)` of the key it parsed, never the raw
 * target, so a URL library's normalization (`\` to `/`, `..` segments, `#` fragments) can
 * never turn one key into another on its way to the leader.
 *
 * Rules for the raw target (as Node's HTTP parser hands it over, `req.url`):
 * - everything from the first `?` on is a query and ignored;
 * - `/kv/<key>` and `/kv/<key>/cas`, where `<key>` holds no raw `/`; it is percent-decoded
 *   once (UTF-8), and every other character is taken literally (`\`, `#`, `.`, `..`);
 * - the decoded key is 1 to `maxKeyBytes` UTF-8 bytes.
 */
import { HttpError } from './http-errors.js';

/** Longest key, in UTF-8 bytes after percent-decoding, unless configured. */
export const DEFAULT_MAX_KEY_BYTES = 1024;

export type KvTarget =
  | { readonly route: 'status' | 'metrics' | 'unknown'; readonly path: string }
  | { readonly route: 'kv' | 'cas'; readonly path: string; readonly key: string };

const KV_PATH = /^\/kv\/([^/]*)(\/cas)?$/;
const encoder = new TextEncoder();

/** Parse a raw request target; throws `HttpError` 400 `BAD_KEY` for a bad key on a kv route. */
export function parseTarget(rawTarget: string, maxKeyBytes = DEFAULT_MAX_KEY_BYTES): KvTarget {
  const q = rawTarget.indexOf('?');
  const path = q < 0 ? rawTarget : rawTarget.slice(0, q);
  if (path === '/status') return { route: 'status', path };
  if (path === '/metrics') return { route: 'metrics', path };
  const match = KV_PATH.exec(path);
  if (!match) return { route: 'unknown', path };
  return { route: match[2] ? 'cas' : 'kv', path, key: decodeKey(match[1]!, maxKeyBytes) };
}

/** Percent-decode one key segment and check its length. */
export function decodeKey(segment: string, maxKeyBytes = DEFAULT_MAX_KEY_BYTES): string {
  let key: string;
  try {
    key = decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'BAD_KEY', 'the key is not valid percent-encoded UTF-8');
  }
  if (key.length === 0) throw new HttpError(400, 'BAD_KEY', 'the key is empty');
  if (encoder.encode(key).length > maxKeyBytes) {
    throw new HttpError(400, 'BAD_KEY', `the key is over ${maxKeyBytes} bytes`);
  }
  return key;
}

/**
 * The canonical path of `key` (with `/cas` for compare-and-set): `encodeURIComponent` of the
 * key, so `/`, `\`, `?`, `#`, `%` and non-ASCII travel percent-encoded. A key that is exactly
 * `.` or `..` is also a dot segment that URL resolvers and proxies collapse, so its dots are
 * encoded as `%2E`. `parseTarget(kvPath(k)).key === k` for every well-formed key.
 */
export function kvPath(key: string, cas = false): string {
  const segment = key === '.' || key === '..' ? key.replace(/\./g, '%2E') : encodeURIComponent(key);
  return `/kv/${segment}${cas ? '/cas' : ''}`;
}
