/**
 * The commands of the simulator's key-value state machine, encoded as short text so that
 * traces show them as they are: `put <key> <value>`, `cas <key> <expected|-> <value>` and
 * `noop <tag>` (the liveness probe; it changes nothing). Keys and values never hold spaces.
 */

export type KvCommand =
  | { readonly kind: 'put'; readonly key: string; readonly value: string }
  | { readonly kind: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string }
  | { readonly kind: 'noop'; readonly tag: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encode a command as UTF-8 text. */
export function encodeKvCommand(command: KvCommand): Uint8Array {
  switch (command.kind) {
    case 'put':
      return encoder.encode(`put ${command.key} ${command.value}`);
    case 'cas':
      return encoder.encode(`cas ${command.key} ${command.expected ?? '-'} ${command.value}`);
    case 'noop':
      return encoder.encode(`noop ${command.tag}`);
  }
}

/** Decode a command; null when the bytes are not a KV command (other tests' commands). */
export function decodeKvCommand(bytes: Uint8Array): KvCommand | null {
  const parts = decoder.decode(bytes).split(' ');
  if (parts[0] === 'put' && parts.length === 3) return { kind: 'put', key: parts[1]!, value: parts[2]! };
  if (parts[0] === 'cas' && parts.length === 4) {
    return { kind: 'cas', key: parts[1]!, expected: parts[2] === '-' ? null : parts[2]!, value: parts[3]! };
  }
  if (parts[0] === 'noop' && parts.length === 2) return { kind: 'noop', tag: parts[1]! };
  return null;
}
