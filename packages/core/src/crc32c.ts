/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of iSCSI, ext4 and
 * etcd's WAL: table-driven, slicing by 8 bytes per step. In the core (which has no
 * dependencies) because snapshot transfers are checked with it, and shared from here with
 * the frame format and the durable log.
 */

const POLY = 0x82f63b78;

/** Eight 256-entry tables: table k advances the CRC over a byte followed by k zero bytes. */
const TABLE: Int32Array = (() => {
  const t = new Int32Array(256 * 8);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t[n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = t[n]!;
    for (let k = 1; k < 8; k++) {
      c = t[c & 0xff]! ^ (c >>> 8);
      t[k * 256 + n] = c;
    }
  }
  return t;
})();

/**
 * The CRC32C of `data`, as an unsigned 32-bit number. Pass a previous result as `crc` to
 * continue a checksum over several pieces: `crc32c(b, crc32c(a)) === crc32c(a ++ b)`.
 */
export function crc32c(data: Uint8Array, crc = 0): number {
  const t = TABLE;
  let c = ~crc;
  let i = 0;
  const n = data.length;
  const end8 = n - (n & 7);
  while (i < end8) {
    const lo = c ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    c =
      t[1792 + (lo & 0xff)]! ^
      t[1536 + ((lo >>> 8) & 0xff)]! ^
      t[1280 + ((lo >>> 16) & 0xff)]! ^
      t[1024 + (lo >>> 24)]! ^
      t[768 + data[i + 4]!]! ^
      t[512 + data[i + 5]!]! ^
      t[256 + data[i + 6]!]! ^
      t[data[i + 7]!]!;
    i += 8;
  }
  while (i < n) c = t[(c ^ data[i++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Continue `crc` over one byte. */
export function crc32cByte(crc: number, byte: number): number {
  const x = ~crc;
  return ~(TABLE[(x ^ byte) & 0xff]! ^ (x >>> 8)) >>> 0;
}

/**
 * Continue `crc` over the 8 big-endian bytes of `value` (a safe integer >= 0): the numbers
 * of a row, without building a buffer for them.
 */
export function crc32cU64(crc: number, value: number): number {
  const t = TABLE;
  const hi = Math.floor(value / 0x1_0000_0000);
  const lo = value >>> 0;
  let x = ~crc;
  x = t[(x ^ (hi >>> 24)) & 0xff]! ^ (x >>> 8);
  x = t[(x ^ (hi >>> 16)) & 0xff]! ^ (x >>> 8);
  x = t[(x ^ (hi >>> 8)) & 0xff]! ^ (x >>> 8);
  x = t[(x ^ hi) & 0xff]! ^ (x >>> 8);
  x = t[(x ^ (lo >>> 24)) & 0xff]! ^ (x >>> 8);
  x = t[(x ^ (lo >>> 16)) & 0xff]! ^ (x >>> 8);
  x = t[(x ^ (lo >>> 8)) & 0xff]! ^ (x >>> 8);
  x = t[(x ^ lo) & 0xff]! ^ (x >>> 8);
  return ~x >>> 0;
}
