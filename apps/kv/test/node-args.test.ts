/**
 * `kv node` flags to options: the documented defaults, every HTTP limit flag, the status
 * token from the flag or the environment, and a `UsageError` for anything out of range.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_LIMITS, parseNodeArgs, resolveHttpLimits, UsageError } from '../src/index.js';

const BASE = ['--id', '1', '--http', '127.0.0.1:0', '--raft', '127.0.0.1:0', '--data', '/tmp/kv-args'];

describe('kv node flags', () => {
  it('without HTTP flags the limits are the documented defaults and there is no status token', () => {
    const { node } = parseNodeArgs(BASE, {});
    expect(resolveHttpLimits(node.httpLimits)).toEqual({
      maxConnections: 512,
      maxPipelinedRequests: 8,
      maxBodyBytes: 1048576,
      maxBodyBytesInFlight: 33554432,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 5000,
      keepAliveTimeoutMs: 5000,
    });
    expect(resolveHttpLimits(node.httpLimits)).toEqual(DEFAULT_HTTP_LIMITS);
    expect(node.statusToken).toBeUndefined();
  });

  it('each HTTP limit flag sets its limit', () => {
    const { node } = parseNodeArgs(
      [
        ...BASE,
        ...[
          '--max-connections',
          '10',
          '--max-pipelined',
          '2',
          '--max-body',
          '2000',
          '--max-body-in-flight',
          '8000',
        ],
        ...['--headers-timeout-ms', '100', '--request-timeout-ms', '200', '--keep-alive-timeout-ms', '300'],
      ],
      {},
    );
    expect(node.httpLimits).toEqual({
      maxConnections: 10,
      maxPipelinedRequests: 2,
      maxBodyBytes: 2000,
      maxBodyBytesInFlight: 8000,
      headersTimeoutMs: 100,
      requestTimeoutMs: 200,
      keepAliveTimeoutMs: 300,
    });
  });

  it('the status token comes from --status-token, else from KV_STATUS_TOKEN', () => {
    const token = 'a-token-of-twenty-chars';
    expect(
      parseNodeArgs([...BASE, '--status-token', token], { KV_STATUS_TOKEN: 'ignored-env-token-xyz' }).node
        .statusToken,
    ).toBe(token);
    expect(parseNodeArgs(BASE, { KV_STATUS_TOKEN: token }).node.statusToken).toBe(token);
    expect(parseNodeArgs(BASE, { KV_STATUS_TOKEN: '' }).node.statusToken).toBeUndefined();
  });

  it('refuses out-of-range values with a UsageError', () => {
    const bad = [
      ['--max-connections', '0'],
      ['--max-pipelined', '0'],
      ['--max-body=-1'],
      ['--max-body', ''],
      ['--headers-timeout-ms', '1.5'],
      ['--request-timeout-ms', 'soon'],
      ['--max-body', '4096', '--max-body-in-flight', '4095'],
      ['--max-body-in-flight', '1000'],
      ['--status-token', 'short'],
      ['--status-token', 'a token with spaces in it'],
    ];
    for (const flags of bad)
      expect(() => parseNodeArgs([...BASE, ...flags], {}), flags.join(' ')).toThrow(UsageError);
    expect(() => parseNodeArgs(BASE, { KV_STATUS_TOKEN: 'short' })).toThrow(UsageError);
    expect(() => parseNodeArgs([...BASE, '--no-such-flag'], {})).toThrow();
  });

  it('Raft security: the secret from a file or KV_CLUSTER_SECRET, TLS from three files, --insecure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kv-args-'));
    try {
      const secretFile = join(dir, 'secret');
      writeFileSync(secretFile, `${'s'.repeat(40)}\n`);
      for (const name of ['key', 'cert', 'ca']) writeFileSync(join(dir, name), `PEM ${name}`);
      expect(parseNodeArgs(BASE, {}).node.security).toEqual({});
      expect(parseNodeArgs(BASE, { KV_CLUSTER_SECRET: 'e'.repeat(40) }).node.security).toEqual({
        clusterSecret: 'e'.repeat(40),
      });
      // The file wins over the environment, and is trimmed.
      expect(
        parseNodeArgs([...BASE, '--cluster-secret-file', secretFile], { KV_CLUSTER_SECRET: 'env' }).node
          .security,
      ).toEqual({ clusterSecret: 's'.repeat(40) });
      const tls = [
        '--tls-key',
        join(dir, 'key'),
        '--tls-cert',
        join(dir, 'cert'),
        '--tls-ca',
        join(dir, 'ca'),
      ];
      expect(parseNodeArgs([...BASE, ...tls, '--insecure'], {}).node.security).toEqual({
        tls: { key: 'PEM key', cert: 'PEM cert', ca: 'PEM ca' },
        insecure: true,
      });
      expect(() => parseNodeArgs([...BASE, '--tls-key', join(dir, 'key')], {})).toThrow(UsageError);
      expect(() => parseNodeArgs([...BASE, '--cluster-secret-file', join(dir, 'missing')], {})).toThrow(
        UsageError,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--join takes the URL of a member (and starts with no voters); --new-member starts empty without asking', () => {
    const joined = parseNodeArgs([...BASE, '--join', 'http://127.0.0.1:8001/'], {});
    expect(joined.joinUrl).toBe('http://127.0.0.1:8001');
    expect(joined.node.join).toBe(true);
    const waiting = parseNodeArgs([...BASE, '--new-member'], {});
    expect(waiting.joinUrl).toBeUndefined();
    expect(waiting.node.join).toBe(true);
    expect(parseNodeArgs(BASE, {}).node.join).toBe(false);
    expect(() => parseNodeArgs([...BASE, '--join', 'ftp://x'], {})).toThrow(UsageError);
    expect(() => parseNodeArgs([...BASE, '--join', 'nope'], {})).toThrow(UsageError);
  });
});
