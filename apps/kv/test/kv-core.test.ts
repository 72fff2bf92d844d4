/**
 * The kv app's pure parts: the command codec (a property test: every command round-trips),
 * the state machine's results and its snapshot/restore, and the CLI's address parsing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/addresses.js';
import {
  decodeCommand,
  encodeCommand,
  type KvCommand,
  KvStateMachine,
  parseHostPort,
  parsePeers,
} from '../src/index.js';

const bytes = fc.uint8Array({ maxLength: 64 });
// Keys are well-formed strings (the HTTP API decodes them from UTF-8), any unit of them.
const key = fc.string({ minLength: 1, unit: 'grapheme' });
const command: fc.Arbitrary<KvCommand> = fc.oneof(
  fc.record({ op: fc.constant('put' as const), key, value: bytes }),
  fc.record({ op: fc.constant('delete' as const), key }),
  fc.record({
    op: fc.constant('cas' as const),
    key,
    expected: fc.option(bytes, { nil: null }),
    value: fc.option(bytes, { nil: null }),
  }),
);

const enc = (s: string) => new TextEncoder().encode(s);

describe('kv command codec', () => {
  it('every command round-trips', () => {
    fc.assert(
      fc.property(command, (c) => {
        expect(decodeCommand(encodeCommand(c))).toEqual(c);
      }),
    );
  });

  it('refuses truncated bytes', () => {
    const full = encodeCommand({ op: 'put', key: 'k', value: enc('value') });
    expect(() => decodeCommand(full.subarray(0, full.length - 1))).toThrow(RangeError);
  });
});

describe('KvStateMachine', () => {
  it('put, delete and cas give their results', () => {
    const sm = new KvStateMachine();
    const apply = (c: KvCommand, i: number) => sm.apply(encodeCommand(c), i);
    expect(apply({ op: 'put', key: 'a', value: enc('1') }, 1)).toEqual({
      op: 'put',
      index: 1,
      created: true,
    });
    expect(apply({ op: 'put', key: 'a', value: enc('2') }, 2)).toEqual({
      op: 'put',
      index: 2,
      created: false,
    });
    expect(apply({ op: 'cas', key: 'a', expected: enc('1'), value: enc('3') }, 3)).toEqual({
      op: 'cas',
      index: 3,
      ok: false,
      current: enc('2'),
    });
    expect(apply({ op: 'cas', key: 'a', expected: enc('2'), value: null }, 4)).toMatchObject({ ok: true });
    expect(sm.get('a')).toBeUndefined();
    expect(apply({ op: 'cas', key: 'a', expected: null, value: enc('new') }, 5)).toMatchObject({ ok: true });
    expect(apply({ op: 'delete', key: 'a' }, 6)).toEqual({ op: 'delete', index: 6, deleted: true });
    expect(apply({ op: 'delete', key: 'a' }, 7)).toEqual({ op: 'delete', index: 7, deleted: false });
  });

  it('restore(snapshot()) gives the same map', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string({ minLength: 1 }), bytes)), (pairs) => {
        const sm = new KvStateMachine();
        pairs.forEach(([key, value], i) => {
          sm.apply(encodeCommand({ op: 'put', key, value }), i + 1);
        });
        const copy = new KvStateMachine();
        copy.restore(sm.snapshot());
        expect(copy.size).toBe(sm.size);
        for (const [key] of pairs) expect(copy.get(key)).toEqual(sm.get(key));
      }),
    );
  });

  it('restore refuses damaged bytes (cut short, trailing, lengths past the end, any mutation that no longer decodes) and keeps its state', () => {
    const sm = new KvStateMachine();
    sm.apply(encodeCommand({ op: 'put', key: 'a', value: new Uint8Array([1, 2, 3]) }), 1);
    sm.apply(encodeCommand({ op: 'put', key: 'bb', value: new Uint8Array([4]) }), 2);
    const good = sm.snapshot();
    const keeps = new KvStateMachine();
    keeps.apply(encodeCommand({ op: 'put', key: 'mine', value: new Uint8Array([9]) }), 1);
    const damaged = [
      good.subarray(0, good.length - 1),
      good.subarray(0, 3),
      new Uint8Array([...good, 0]),
      new Uint8Array([0xff, 0xff, 0xff, 0xff]),
      (() => {
        const b = new Uint8Array(good);
        b[7] = 0xff; // the first key's length, past the end
        return b;
      })(),
    ];
    for (const bytes of damaged) {
      expect(() => keeps.restore(bytes)).toThrow();
      expect(keeps.size).toBe(1);
    }
    // Random single-byte changes: either a clean refusal or a well-formed state, never a crash
    // that reads past the buffer.
    fc.assert(
      fc.property(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const b = new Uint8Array(good);
        b[at] = value;
        const copy = new KvStateMachine();
        try {
          copy.restore(b);
        } catch {
          expect(copy.size).toBe(0);
        }
      }),
    );
  });
});

describe('CLI addresses', () => {
  it('parses host:port, IPv6 and peer lists', () => {
    expect(parseHostPort('127.0.0.1:0', 'x')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseHostPort('[::1]:7000', 'x')).toEqual({ host: '::1', port: 7000 });
    expect(parsePeers('2=127.0.0.1:7002@http://127.0.0.1:8002/,3=h:7003@http://h:8003')).toEqual([
      { id: 2, raft: { host: '127.0.0.1', port: 7002 }, url: 'http://127.0.0.1:8002' },
      { id: 3, raft: { host: 'h', port: 7003 }, url: 'http://h:8003' },
    ]);
  });

  it('refuses bad input with a UsageError', () => {
    for (const bad of ['nohost', 'h:99999', 'h:x']) expect(() => parseHostPort(bad, 'x')).toThrow(UsageError);
    for (const bad of ['2=h:0@http://h:1', 'x=h:1@http://h:1', '2=h:1@ftp://h', '2=h:1']) {
      expect(() => parsePeers(bad)).toThrow(UsageError);
    }
  });
});
