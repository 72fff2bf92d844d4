/**
 * `kv node` flags to options: the documented defaults, every HTTP limit flag, the status
 * token from the flag or the environment, and a `UsageError` for anything out of range.
 */
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
});
