/**
 * encodeMessage / decodeMessage: exact round trips for every message type, and validation
 * of everything a peer could send wrong (hand-built protobuf bytes).
 */
import { InvalidArgumentError, MESSAGE_TYPES, type Message, RaftError } from '@raft-io/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, FramingError, type FramingErrorReason } from '../src/index.js';
import { message, messageByType } from './arbitraries.js';
import { lenField, varint, varintField } from './protobuf-bytes.js';

function expectFramingError(fn: () => unknown, reason: FramingErrorReason): FramingError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FramingError);
    expect(error).toBeInstanceOf(RaftError);
    const e = error as FramingError;
    expect(e.code).toBe('INVALID_FRAME');
    expect(e.reason).toBe(reason);
    return e;
  }
  throw new Error(`expected a FramingError (${reason})`);
}

/** An envelope with from=1, to=2, term=3 and the given body bytes. */
function envelope(...body: Uint8Array[]): Uint8Array {
  return Buffer.concat([varintField(1, 1n), varintField(2, 2n), varintField(3, 3n), ...body]);
}

describe('encodeMessage / decodeMessage', () => {
  for (const type of MESSAGE_TYPES) {
    it(`round-trips every ${type} exactly`, () => {
      fc.assert(
        fc.property(messageByType[type] as fc.Arbitrary<Message>, (m) => {
          const decoded = decodeMessage(encodeMessage(m));
          expect(decoded).toStrictEqual(m);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('decodes bytes as plain Uint8Arrays that share no memory with the payload', () => {
    const m: Message = {
      type: 'install-snapshot',
      from: 1,
      to: 2,
      term: 3,
      metadata: { index: 9, term: 2, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
      offset: 0,
      data: new Uint8Array([7, 8, 9]),
      done: false,
    };
    const bytes = encodeMessage(m);
    const decoded = decodeMessage(bytes);
    if (decoded.type !== 'install-snapshot') throw new Error('wrong type');
    expect(Object.getPrototypeOf(decoded.data)).toBe(Uint8Array.prototype);
    bytes.fill(0);
    expect([...decoded.data]).toEqual([7, 8, 9]);
  });

  it('keeps numbers up to 2^53 - 1 exact', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const m: Message = {
      type: 'heartbeat',
      from: max,
      to: max - 1,
      term: max,
      commit: max - 2,
      context: 2 ** 52 + 1,
    };
    expect(decodeMessage(encodeMessage(m))).toStrictEqual(m);
  });

  it('covers all 11 message types', () => {
    expect(Object.keys(messageByType).sort()).toEqual([...MESSAGE_TYPES].sort());
    fc.assert(
      fc.property(message, (m) => {
        expect(decodeMessage(encodeMessage(m))).toStrictEqual(m);
      }),
    );
  });
});

describe('decodeMessage validation', () => {
  it('refuses 64-bit values above 2^53 - 1 (unsafe-integer), however they are spelled', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
        fc.integer({ min: 1, max: 3 }),
        (v, f) => {
          const fields = [varintField(1, 1n), varintField(2, 2n), varintField(3, 3n)];
          fields[f - 1] = varintField(f, v);
          const bytes = Buffer.concat([...fields, lenField(18, new Uint8Array(0))]);
          expectFramingError(() => decodeMessage(bytes), 'unsafe-integer');
        },
      ),
    );
    // 2^53 - 1 itself is fine.
    const ok = Buffer.concat([
      varintField(1, 2n ** 53n - 1n),
      varintField(2, 2n),
      lenField(18, new Uint8Array(0)),
    ]);
    expect(decodeMessage(ok)).toMatchObject({ type: 'timeout-now', from: Number.MAX_SAFE_INTEGER, term: 0 });
  });

  it('refuses unsafe integers deep inside (an entry index, a packed voter id)', () => {
    const entry = Buffer.concat([varintField(1, 2n ** 60n), varintField(2, 1n), varintField(3, 1n)]);
    const append = lenField(12, lenField(3, entry));
    expectFramingError(() => decodeMessage(envelope(append)), 'unsafe-integer');
    const membership = lenField(1, Buffer.concat([varint(1n), varint(2n ** 53n)]));
    const snapshot = lenField(16, lenField(1, lenField(3, membership)));
    expectFramingError(() => decodeMessage(envelope(snapshot)), 'unsafe-integer');
  });

  it('refuses an envelope without a body, or with a body from a newer version', () => {
    expectFramingError(() => decodeMessage(envelope()), 'unknown-message-type');
    expectFramingError(
      () => decodeMessage(envelope(lenField(99, new Uint8Array([8, 1])))),
      'unknown-message-type',
    );
    expectFramingError(() => decodeMessage(new Uint8Array(0)), 'invalid-value');
  });

  it('refuses ids that are not positive (absent ids decode as 0)', () => {
    const noFrom = Buffer.concat([varintField(2, 2n), varintField(3, 3n), lenField(18, new Uint8Array(0))]);
    expect(expectFramingError(() => decodeMessage(noFrom), 'invalid-value').field).toBe('from');
    const zeroTo = Buffer.concat([varintField(1, 1n), varintField(2, 0n), lenField(18, new Uint8Array(0))]);
    expect(expectFramingError(() => decodeMessage(zeroTo), 'invalid-value').field).toBe('to');
    const membership = lenField(2, Buffer.concat([varint(3n), varint(0n)]));
    const snapshot = lenField(16, lenField(1, lenField(3, membership)));
    const e = expectFramingError(() => decodeMessage(envelope(snapshot)), 'invalid-value');
    expect(e.field).toBe('metadata.membership.learners[1]');
  });

  it('refuses an install-snapshot without metadata or membership (missing-field)', () => {
    expect(
      expectFramingError(() => decodeMessage(envelope(lenField(16, new Uint8Array(0)))), 'missing-field')
        .field,
    ).toBe('metadata');
    const noMembership = lenField(16, lenField(1, varintField(1, 5n)));
    expect(expectFramingError(() => decodeMessage(envelope(noMembership)), 'missing-field').field).toBe(
      'metadata.membership',
    );
  });

  it('refuses unknown or unspecified entry types', () => {
    for (const t of [0n, 4n, 77n]) {
      const entry = Buffer.concat([varintField(1, 1n), varintField(2, 1n), varintField(3, t)]);
      const e = expectFramingError(
        () => decodeMessage(envelope(lenField(12, lenField(3, entry)))),
        'invalid-value',
      );
      expect(e.field).toBe('entries[0].type');
    }
  });

  it('refuses bytes that are not protobuf (malformed-payload)', () => {
    expectFramingError(() => decodeMessage(new Uint8Array([0x08])), 'malformed-payload'); // truncated varint
    expectFramingError(() => decodeMessage(new Uint8Array([0x0f])), 'malformed-payload'); // wire type 7
    expectFramingError(
      () => decodeMessage(lenField(12, new Uint8Array([0x1a, 0x05, 1]))),
      'malformed-payload',
    );
    expectFramingError(() => decodeMessage(new Uint8Array(11).fill(0xff)), 'malformed-payload'); // 11-byte varint
  });

  it('skips unknown fields of a newer schema', () => {
    const m = decodeMessage(
      envelope(
        lenField(7, lenField(1, new Uint8Array([1]))),
        varintField(99, 5n),
        lenField(18, new Uint8Array(0)),
      ),
    );
    expect(m).toStrictEqual({ type: 'timeout-now', from: 1, to: 2, term: 3 });
  });

  it('never throws anything but FramingError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeMessage(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(FramingError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeMessage validation', () => {
  const hb: Message = { type: 'heartbeat', from: 1, to: 2, term: 3, commit: 0, context: 0 };
  const cases: [string, unknown][] = [
    ['from 0', { ...hb, from: 0 }],
    ['negative to', { ...hb, to: -1 }],
    ['fractional term', { ...hb, term: 1.5 }],
    ['unsafe commit', { ...hb, commit: 2 ** 53 }],
    ['NaN context', { ...hb, context: Number.NaN }],
    ['unknown type', { ...hb, type: 'gossip' }],
    [
      'string data',
      {
        type: 'install-snapshot-response',
        from: 1,
        to: 2,
        term: 1,
        snapshotIndex: 1,
        offset: 0,
        done: 'yes',
        reject: false,
      },
    ],
    [
      'unknown entry type',
      {
        type: 'append-entries',
        from: 1,
        to: 2,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        commit: 0,
        entries: [{ index: 1, term: 1, type: 'noop', data: new Uint8Array() }],
      },
    ],
    [
      'non-bytes data',
      {
        type: 'append-entries',
        from: 1,
        to: 2,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        commit: 0,
        entries: [{ index: 1, term: 1, type: 'command', data: [1, 2] }],
      },
    ],
  ];
  for (const [name, m] of cases) {
    it(`refuses ${name} with InvalidArgumentError`, () => {
      expect(() => encodeMessage(m as Message)).toThrow(InvalidArgumentError);
    });
  }
});
