/** CRC32C against published check values and a deliberately naive bitwise version. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c, crc32cByte, crc32cU64 } from '../src/index.js';

/** One bit at a time, straight from the definition (reflected polynomial 0x82F63B78). */
function naiveCrc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the published check values (RFC 3720 B.4)', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('agrees with the bitwise definition on any input and offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(7), (data, skip) => {
        const view = data.subarray(Math.min(skip, data.length));
        expect(crc32c(view)).toBe(naiveCrc32c(view));
      }),
    );
  });

  it('continues across pieces: crc32c(b, crc32c(a)) === crc32c(a ++ b)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 100 }), (a, b) => {
        const ab = new Uint8Array(a.length + b.length);
        ab.set(a);
        ab.set(b, a.length);
        expect(crc32c(b, crc32c(a))).toBe(crc32c(ab));
      }),
    );
  });
});

describe('crc32cByte and crc32cU64 (the durable log checksums numbers without a buffer)', () => {
  it('continue a checksum exactly as crc32c over the same bytes', () => {
    fc.assert(
      fc.property(fc.nat(), fc.maxSafeNat(), fc.integer({ min: 0, max: 255 }), (start, value, byte) => {
        const crc = crc32c(new Uint8Array([start & 0xff]));
        const be = new Uint8Array(8);
        new DataView(be.buffer).setBigUint64(0, BigInt(value));
        expect(crc32cU64(crc, value)).toBe(crc32c(be, crc));
        expect(crc32cByte(crc, byte)).toBe(crc32c(new Uint8Array([byte]), crc));
      }),
    );
  });
});
