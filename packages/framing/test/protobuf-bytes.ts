/** Hand-built protobuf bytes for tests: what a buggy or hostile peer could send. */

export function varint(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = value;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return Uint8Array.from(out);
}

export function field(number: number, wireType: number, body: Uint8Array): Uint8Array {
  return Buffer.concat([varint(BigInt((number << 3) | wireType)), body]);
}

export function varintField(number: number, value: bigint): Uint8Array {
  return field(number, 0, varint(value));
}

export function lenField(number: number, body: Uint8Array): Uint8Array {
  return field(number, 2, Buffer.concat([varint(BigInt(body.length)), body]));
}
