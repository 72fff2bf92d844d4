/**
 * The commands of the replicated KV store and their binary encoding (the bytes proposed to
 * Raft): `put`, `delete` and compare-and-set. Layout, big-endian:
 *
 *   u8 op (1 put, 2 delete, 3 cas) | u32 keyLength | key (UTF-8)
 *   put:    u32 valueLength | value
 *   cas:    i32 expectedLength (-1: the key must be absent) | expected
 *           i32 valueLength (-1: delete the key) | value
 */

export type KvCommand =
  | { readonly op: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly op: 'delete'; readonly key: string }
  | {
      readonly op: 'cas';
      readonly key: string;
      readonly expected: Uint8Array | null;
      readonly value: Uint8Array | null;
    };

const OPS = { put: 1, delete: 2, cas: 3 } as const;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeCommand(command: KvCommand): Uint8Array {
  const key = encoder.encode(command.key);
  const parts: (Uint8Array | null)[] =
    command.op === 'put' ? [command.value] : command.op === 'cas' ? [command.expected, command.value] : [];
  let size = 1 + 4 + key.length;
  for (const p of parts) size += 4 + (p?.length ?? 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = OPS[command.op];
  view.setUint32(1, key.length);
  out.set(key, 5);
  let at = 5 + key.length;
  for (const p of parts) {
    view.setInt32(at, p === null ? -1 : p.length);
    at += 4;
    if (p) {
      out.set(p, at);
      at += p.length;
    }
  }
  return out;
}

/** Decode a command; throws on bytes that are not one (never happens for bytes we encoded). */
export function decodeCommand(bytes: Uint8Array): KvCommand {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new RangeError('truncated kv command');
  };
  need(5);
  const op = bytes[0];
  const keyLength = view.getUint32(1);
  at = 5;
  need(keyLength);
  const key = decoder.decode(bytes.subarray(at, at + keyLength));
  at += keyLength;
  const part = (nullable: boolean): Uint8Array | null => {
    need(4);
    const n = view.getInt32(at);
    at += 4;
    if (n === -1 && nullable) return null;
    if (n < 0) throw new RangeError('bad length in kv command');
    need(n);
    const out = bytes.slice(at, at + n);
    at += n;
    return out;
  };
  switch (op) {
    case OPS.put:
      return { op: 'put', key, value: part(false)! };
    case OPS.delete:
      return { op: 'delete', key };
    case OPS.cas: {
      const expected = part(true);
      return { op: 'cas', key, expected, value: part(true) };
    }
    default:
      throw new RangeError(`unknown kv op ${String(op)}`);
  }
}
