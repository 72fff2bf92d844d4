/**
 * A protobufjs `Reader` whose 64-bit varints come back as plain JS numbers. protobufjs would
 * hand out `Long` objects; we read the varint ourselves instead, exactly, and refuse any
 * value above `Number.MAX_SAFE_INTEGER` with a `FramingError` (`unsafe-integer`) rather than
 * round it. The generated decoders accept any `Reader`, so they run on this one unchanged.
 */
import protobuf from 'protobufjs/minimal.js';
import { FramingError } from './errors.js';

const MAX_VARINT_BYTES = 10;

/** Reads one unsigned varint of up to 64 bits as a safe integer. */
function readUint64(this: protobuf.Reader): number {
  const buf = this.buf;
  const len = this.len;
  let pos = this.pos;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (pos >= len) throw new RangeError(`index out of range: ${pos} > ${len}`);
    const b = buf[pos++]!;
    // 7 bits times a power of two is exact in a double; the sum is exact while it is
    // <= 2^53 and can only round upward past it, so the bound check below is exact too.
    value += (b & 0x7f) * scale;
    if (b < 0x80) {
      this.pos = pos;
      if (value > Number.MAX_SAFE_INTEGER) {
        throw new FramingError('unsafe-integer', `a 64-bit value above 2^53 - 1 at offset ${pos}`);
      }
      return value;
    }
    scale *= 128;
  }
  throw new RangeError('invalid varint encoding');
}

/** A `Reader` for our decoders: safe-number uint64s, unknown fields skipped, not kept. */
export class NumberReader extends protobuf.Reader {
  constructor(buffer: Uint8Array) {
    super(buffer);
    // Fields from a newer schema are skipped; we build plain objects and never re-encode them.
    this.discardUnknown = true;
  }
}

// protobufjs types uint64() as returning Long; ours returns a number (as --force-number declares).
(NumberReader.prototype as unknown as { uint64: () => number }).uint64 = readUint64;
