/**
 * Group batches (multi-Raft, frame kind 5): exact round trips, a frame kind of their own,
 * and a peer that plays the attacker with hand-built protobuf bytes: another batch version,
 * a group id of 0 or past 2^53 - 1, an item without a body, a malformed message inside an
 * item. Every one is refused with a `FramingError` (the transport then drops the connection).
 */
import { crc32c, InvalidArgumentError } from '@raft-io/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeGroupBatch,
  encodeFrame,
  encodeGroupBatch,
  encodeGroupFrame,
  FrameDecoder,
  FramingError,
  type FramingErrorReason,
  GROUP_BATCH_VERSION,
  type GroupBatch,
  type GroupItem,
} from '../src/index.js';
import { driverMessage, id, message } from './arbitraries.js';
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

const item: fc.Arbitrary<GroupItem> = fc.oneof(
  fc.record({ group: id, message }, { noNullPrototype: true }),
  fc.record({ group: id, driver: driverMessage }, { noNullPrototype: true }),
) as fc.Arbitrary<GroupItem>;

/** A heartbeat envelope from 1 to 2 in term 3: fields from, to, term, heartbeat{commit 4}. */
const HEARTBEAT = Buffer.concat([
  varintField(1, 1n),
  varintField(2, 2n),
  varintField(3, 3n),
  lenField(14, varintField(1, 4n)),
]);

/** A batch of the given version with the given item bodies (raw GroupItem bytes). */
function rawBatch(version: bigint | null, ...items: Uint8Array[]): Uint8Array {
  return Buffer.concat([
    ...(version === null ? [] : [varintField(1, version)]),
    ...items.map((i) => lenField(2, i)),
  ]);
}

describe('encodeGroupBatch / decodeGroupBatch', () => {
  it('round-trips every batch of Raft and driver messages of any groups exactly', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        expect(decodeGroupBatch(encodeGroupBatch({ items }))).toStrictEqual({ items });
      }),
      { numRuns: 300 },
    );
  });

  it('an empty batch (a host heartbeat) round-trips and costs a few bytes', () => {
    const bytes = encodeGroupBatch({ items: [] });
    expect(bytes.length).toBeLessThanOrEqual(2);
    expect(decodeGroupBatch(bytes)).toStrictEqual({ items: [] });
  });

  it('travels in a group frame (kind 5) that the decoder tells apart from the other kinds', () => {
    // init: a plain heartbeat frame, then a group frame with two groups' messages.
    const batch: GroupBatch = {
      items: [
        {
          group: 7,
          message: { type: 'heartbeat', from: 1, to: 2, term: 3, commit: 4, context: 0, quiesce: true },
        },
        { group: 9, message: { type: 'heartbeat-response', from: 1, to: 2, term: 5, context: 6 } },
      ],
    };
    const stream = Buffer.concat([
      encodeFrame(77, { type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 0 }),
      encodeGroupFrame(77, batch),
    ]);
    // act
    const frames: unknown[] = [];
    new FrameDecoder().push(stream, (f) => frames.push(f));
    // check
    expect(frames.map((f) => (f as { kind: string }).kind)).toEqual(['message', 'group']);
    expect((frames[1] as { batch: GroupBatch }).batch).toStrictEqual(batch);
  });

  it('a hand-built batch decodes like an encoded one (the wire layout is what the proto says)', () => {
    const raw = rawBatch(1n, Buffer.concat([varintField(1, 42n), lenField(2, HEARTBEAT)]));
    expect(decodeGroupBatch(raw)).toStrictEqual({
      items: [{ group: 42, message: { type: 'heartbeat', from: 1, to: 2, term: 3, commit: 4, context: 0 } }],
    });
  });
});

describe('a peer that sends a bad group batch is refused', () => {
  const good = Buffer.concat([varintField(1, 42n), lenField(2, HEARTBEAT)]);

  it('another batch version, or none, is refused', () => {
    expect(GROUP_BATCH_VERSION).toBe(1);
    expect(reasonOf(() => decodeGroupBatch(rawBatch(2n, good)))).toBe('unsupported-version');
    expect(reasonOf(() => decodeGroupBatch(rawBatch(null, good)))).toBe('unsupported-version');
  });

  it('a group id of 0, or one past 2^53 - 1, is refused', () => {
    const zero = Buffer.concat([varintField(1, 0n), lenField(2, HEARTBEAT)]);
    expect(reasonOf(() => decodeGroupBatch(rawBatch(1n, good, zero)))).toBe('invalid-value');
    const huge = Buffer.concat([varintField(1, 2n ** 53n), lenField(2, HEARTBEAT)]);
    expect(reasonOf(() => decodeGroupBatch(rawBatch(1n, huge)))).toBe('unsafe-integer');
  });

  it('an item without a body is refused', () => {
    expect(reasonOf(() => decodeGroupBatch(rawBatch(1n, varintField(1, 5n))))).toBe('unknown-message-type');
  });

  it('a malformed message inside an item is refused (the same checks as a plain frame)', () => {
    // from 0 is not a node id.
    const badFrom = Buffer.concat([varintField(1, 0n), varintField(2, 2n), lenField(14, varintField(1, 4n))]);
    const bad = Buffer.concat([varintField(1, 5n), lenField(2, badFrom)]);
    expect(reasonOf(() => decodeGroupBatch(rawBatch(1n, good, bad)))).toBe('invalid-value');
    // An envelope with no body.
    const empty = Buffer.concat([
      varintField(1, 5n),
      lenField(2, Buffer.concat([varintField(1, 1n), varintField(2, 2n)])),
    ]);
    expect(reasonOf(() => decodeGroupBatch(rawBatch(1n, empty)))).toBe('unknown-message-type');
    // A driver envelope with a forward-error whose code is not SCREAMING_SNAKE_CASE.
    const driver = Buffer.concat([
      varintField(1, 1n),
      varintField(2, 2n),
      lenField(12, Buffer.concat([varintField(1, 1n), lenField(2, Buffer.from('oops'))])),
    ]);
    const badDriver = Buffer.concat([varintField(1, 5n), lenField(3, driver)]);
    expect(reasonOf(() => decodeGroupBatch(rawBatch(1n, badDriver)))).toBe('invalid-value');
  });

  it('bytes that are not a batch are refused, and random bytes only ever raise a FramingError', () => {
    expect(reasonOf(() => decodeGroupBatch(Uint8Array.of(0x12, 0x7f, 1)))).toBe('malformed-payload');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeGroupBatch(bytes);
        } catch (error) {
          expect(error).toBeInstanceOf(FramingError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a malformed group frame poisons the decoder', () => {
    const frame = encodeGroupFrame(1, { items: [] });
    // A valid header around a payload that is not a batch (the CRC recomputed to match).
    const payload = rawBatch(3n);
    const forged = encodeGroupFrame(1, { items: [] }).slice(0, 16);
    const bytes = Buffer.concat([forged, payload]);
    bytes.writeUInt32BE(payload.length, 8);
    bytes.writeUInt32BE(crc32c(payload), 12);
    const decoder = new FrameDecoder();
    expect(() => decoder.push(Buffer.concat([bytes, frame]), () => {})).toThrow(FramingError);
    expect(() => decoder.push(frame, () => {})).toThrow(FramingError);
  });
});

describe('encoding refuses what the wire cannot carry', () => {
  it('a group id that is not a positive safe integer, or an item with both or neither body', () => {
    const m = { type: 'heartbeat-response' as const, from: 1, to: 2, term: 1, context: 0 };
    expect(() => encodeGroupBatch({ items: [{ group: 0, message: m }] })).toThrow(InvalidArgumentError);
    expect(() => encodeGroupBatch({ items: [{ group: 1.5, message: m }] })).toThrow(InvalidArgumentError);
    expect(() => encodeGroupBatch({ items: [{ group: 1 } as GroupItem] })).toThrow(InvalidArgumentError);
    expect(() => encodeGroupBatch({ items: 'x' } as unknown as GroupBatch)).toThrow(InvalidArgumentError);
  });
});
