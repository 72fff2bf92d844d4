/**
 * `ResultCodec`: how a state machine's result travels as bytes. A result crosses the wire
 * when a follower forwards a proposal (the leader applies it and answers with the encoded
 * result), and it is stored in the replicated session table so that a retried proposal can
 * answer with the first result. Pass your own codec for results this one cannot carry.
 *
 * The default, `valueCodec`, carries what a JSON-minded state machine returns, exactly:
 * `undefined`, `null`, booleans, numbers (all of them: NaN, -0, infinities), strings,
 * bigints, `Uint8Array`s (a `Buffer` comes back as a plain `Uint8Array`), arrays and plain
 * objects, nested up to 64 deep. Anything else (a `Map`, a class instance, a function) is
 * refused at encode time with `InvalidArgumentError`. Decoding checks every length and tag
 * and refuses anything else with `InvalidArgumentError`, so bytes from a peer cannot make it
 * allocate more than they hold.
 *
 * Layout: one tag byte per value, then its body, big-endian: 0 undefined, 1 null, 2 false,
 * 3 true, 4 number (f64), 5 string (u32 length, UTF-8), 6 bytes (u32 length, raw), 7 array
 * (u32 count, values), 8 object (u32 count, then key string and value pairs), 9 bigint
 * (u32 length, decimal ASCII).
 */
import { ByteWriter, InvalidArgumentError } from '@raft-io/core';

export interface ResultCodec<R> {
  /** The result as bytes; throw if it cannot be carried. Must be deterministic. */
  encode(result: R): Uint8Array;
  /** The result from `encode`'s bytes; throw on bytes that are not one. */
  decode(bytes: Uint8Array): R;
}

const MAX_DEPTH = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `bytes` with its length in front. */
function sized(out: ByteWriter, b: Uint8Array): void {
  out.u32(b.length);
  out.bytes(b);
}

function encodeValue(out: ByteWriter, value: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new InvalidArgumentError(`result nested deeper than ${MAX_DEPTH}`);
  if (value === undefined) out.u8(0);
  else if (value === null) out.u8(1);
  else if (typeof value === 'boolean') out.u8(value ? 3 : 2);
  else if (typeof value === 'number') {
    out.u8(4);
    out.f64(value);
  } else if (typeof value === 'string') {
    out.u8(5);
    sized(out, encoder.encode(value));
  } else if (typeof value === 'bigint') {
    out.u8(9);
    sized(out, encoder.encode(value.toString()));
  } else if (typeof value !== 'object') {
    throw new InvalidArgumentError(`a ${typeof value} result cannot be encoded; give a resultCodec`);
  } else if (value instanceof Uint8Array) {
    out.u8(6);
    sized(out, value);
  } else if (Array.isArray(value)) {
    out.u8(7);
    out.u32(value.length);
    for (const item of value) encodeValue(out, item, depth + 1);
  } else if (!isPlainObject(value)) {
    throw new InvalidArgumentError(
      `a ${value.constructor?.name ?? 'non-plain'} result cannot be encoded; give a resultCodec`,
    );
  } else {
    const keys = Object.keys(value);
    out.u8(8);
    out.u32(keys.length);
    for (const key of keys) {
      sized(out, encoder.encode(key));
      encodeValue(out, (value as Record<string, unknown>)[key], depth + 1);
    }
  }
}

class In {
  at = 0;
  private readonly view: DataView;

  constructor(readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  need(n: number): void {
    if (this.at + n > this.buf.length) throw new InvalidArgumentError(`result bytes cut short at ${this.at}`);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.at);
    this.at += 8;
    return v;
  }

  bytes(): Uint8Array {
    const n = this.u32();
    this.need(n);
    const out = this.buf.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  text(): string {
    try {
      return decoder.decode(this.bytes());
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw error;
      throw new InvalidArgumentError('a result string that is not UTF-8');
    }
  }

  /** A count of items that each take at least one byte: more than the bytes left is a lie. */
  count(): number {
    const n = this.u32();
    if (n > this.buf.length - this.at) throw new InvalidArgumentError(`a count of ${n} cannot fit`);
    return n;
  }
}

function decodeValue(input: In, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new InvalidArgumentError(`result nested deeper than ${MAX_DEPTH}`);
  const tag = input.u8();
  switch (tag) {
    case 0:
      return undefined;
    case 1:
      return null;
    case 2:
      return false;
    case 3:
      return true;
    case 4:
      return input.f64();
    case 5:
      return input.text();
    case 6:
      return input.bytes();
    case 7: {
      const n = input.count();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(decodeValue(input, depth + 1));
      return out;
    }
    case 8: {
      const n = input.count();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = input.text();
        // defineProperty: a "__proto__" key is data, never the prototype.
        Object.defineProperty(out, key, {
          value: decodeValue(input, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 9: {
      const text = input.text();
      if (!/^-?\d{1,4096}$/.test(text)) throw new InvalidArgumentError('a bigint that is not decimal');
      return BigInt(text);
    }
    default:
      throw new InvalidArgumentError(`unknown result tag ${tag}`);
  }
}

/** The default result codec (see the module comment). */
export const valueCodec: ResultCodec<unknown> = Object.freeze({
  encode(result: unknown): Uint8Array {
    const out = new ByteWriter();
    encodeValue(out, result, 0);
    return out.finish();
  },
  decode(bytes: Uint8Array): unknown {
    if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('result bytes must be a Uint8Array');
    const input = new In(bytes);
    const value = decodeValue(input, 0);
    if (input.at !== bytes.length) throw new InvalidArgumentError('bytes after the result');
    return value;
  },
});
