/**
 * Driver messages (forwarded proposals and their answers): exact round trips, a frame kind
 * of their own, and validation of everything a peer could send wrong (hand-built protobuf
 * bytes), so that a transport hands its driver only well-formed messages.
 */
import { InvalidArgumentError } from '@raft-io/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DRIVER_MESSAGE_TYPES,
  type DriverMessage,
  decodeDriverMessage,
  encodeDriverFrame,
  encodeDriverMessage,
  encodeFrame,
  FrameDecoder,
  FramingError,
  type FramingErrorReason,
} from '../src/index.js';
import { driverMessageByType } from './arbitraries.js';
import { lenField, varintField } from './protobuf-bytes.js';

function reasonOf(fn: () => unknown): FramingErrorReason {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FramingError);
    return (error as FramingError).reason;
  }
  throw new Error('expected a FramingError');
}

/** A driver envelope from 1 to 2 with the given body bytes. */
function envelope(...body: Uint8Array[]): Uint8Array {
  return Buffer.concat([varintField(1, 1n), varintField(2, 2n), ...body]);
}

describe('encodeDriverMessage / decodeDriverMessage', () => {
  for (const type of DRIVER_MESSAGE_TYPES) {
    it(`round-trips every ${type} exactly`, () => {
      fc.assert(
        fc.property(driverMessageByType[type] as fc.Arbitrary<DriverMessage>, (m) => {
          expect(decodeDriverMessage(encodeDriverMessage(m))).toStrictEqual(m);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('travels in a driver frame (kind 4) that the decoder tells apart from a Raft message', () => {
    // Init: a Raft heartbeat and a forwarded proposal on one stream.
    const forward: DriverMessage = {
      type: 'forward-proposal',
      from: 2,
      to: 1,
      id: 9,
      command: Uint8Array.of(1, 2, 3),
      timeoutMs: 5000,
    };
    const stream = Buffer.concat([
      encodeFrame(7, { type: 'heartbeat', from: 1, to: 2, term: 3, commit: 4, context: 0 }),
      encodeDriverFrame(7, forward),
    ]);
    // Act
    const kinds: string[] = [];
    let decoded: DriverMessage | undefined;
    new FrameDecoder().push(stream, (frame) => {
      kinds.push(frame.kind);
      if (frame.kind === 'driver') decoded = frame.message;
    });
    // Check
    expect(kinds).toEqual(['message', 'driver']);
    expect(decoded).toStrictEqual(forward);
  });

  it('refuses on decode what a hostile peer could send', () => {
    const cases: [string, Uint8Array, FramingErrorReason][] = [
      ['no body', envelope(), 'unknown-message-type'],
      ['a body of a later version', envelope(lenField(99, new Uint8Array(0))), 'unknown-message-type'],
      ['from 0', Buffer.concat([varintField(2, 2n), lenField(10, varintField(1, 1n))]), 'invalid-value'],
      ['request id 0', envelope(lenField(10, varintField(3, 5n))), 'invalid-value'],
      [
        'a result at index 0',
        envelope(lenField(11, Buffer.concat([varintField(1, 1n), varintField(3, 1n)]))),
        'invalid-value',
      ],
      ['an error without a code', envelope(lenField(12, varintField(1, 1n))), 'invalid-value'],
      [
        'an error code that is not SCREAMING_SNAKE_CASE',
        envelope(lenField(12, Buffer.concat([varintField(1, 1n), lenField(2, Buffer.from('<script>'))]))),
        'invalid-value',
      ],
      [
        'an error message over 1024 characters',
        envelope(
          lenField(
            12,
            Buffer.concat([
              varintField(1, 1n),
              lenField(2, Buffer.from('X')),
              lenField(3, Buffer.alloc(1025, 97)),
            ]),
          ),
        ),
        'invalid-value',
      ],
      ['an unsafe request id', envelope(lenField(10, varintField(1, 2n ** 60n))), 'unsafe-integer'],
      ['garbage', Uint8Array.of(0xff, 0xff, 0xff), 'malformed-payload'],
    ];
    for (const [what, bytes, reason] of cases) {
      expect(
        reasonOf(() => decodeDriverMessage(bytes)),
        what,
      ).toBe(reason);
    }
  });

  it('refuses on encode what the wire cannot carry', () => {
    const base = { from: 1, to: 2, id: 1 };
    const bad: unknown[] = [
      { ...base, type: 'forward-proposal', command: 'text', timeoutMs: 0 },
      { ...base, type: 'forward-proposal', command: new Uint8Array(0), timeoutMs: 2 ** 32 },
      { ...base, type: 'forward-result', index: 0, term: 1, result: new Uint8Array(0), duplicate: false },
      { ...base, type: 'forward-error', code: 'lower', message: '', leader: null, name: '' },
      { ...base, type: 'forward-error', code: 'X', message: 'm'.repeat(1025), leader: null, name: '' },
      { ...base, id: 0, type: 'forward-error', code: 'X', message: '', leader: null, name: '' },
      { ...base, type: 'nope' },
    ];
    for (const m of bad) expect(() => encodeDriverMessage(m as DriverMessage)).toThrow(InvalidArgumentError);
  });
});
