/**
 * `KvStateMachine`: the replicated map from string keys to byte values that every node
 * applies committed commands to. Deterministic: the result of each command depends only on
 * the commands before it. Snapshot layout: u32 count, then per entry u32 keyLength | key |
 * u32 valueLength | value, keys in insertion order.
 */
import { InvalidArgumentError, type StateMachine } from 'raft-io';
import { decodeCommand } from './kv-command.js';

/** The result of applying one command, returned to the proposer. */
export type KvResult =
  | { readonly op: 'put'; readonly index: number; readonly created: boolean }
  | { readonly op: 'delete'; readonly index: number; readonly deleted: boolean }
  | { readonly op: 'cas'; readonly index: number; readonly ok: boolean; readonly current: Uint8Array | null };

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const encoder = new TextEncoder();
/** For snapshot bytes from outside: a key that is not UTF-8 is an error, not a replacement. */
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export class KvStateMachine implements StateMachine<KvResult> {
  private data = new Map<string, Uint8Array>();

  get(key: string): Uint8Array | undefined {
    return this.data.get(key);
  }

  get size(): number {
    return this.data.size;
  }

  apply(command: Uint8Array, index: number): KvResult {
    const c = decodeCommand(command);
    switch (c.op) {
      case 'put': {
        const created = !this.data.has(c.key);
        this.data.set(c.key, c.value);
        return { op: 'put', index, created };
      }
      case 'delete':
        return { op: 'delete', index, deleted: this.data.delete(c.key) };
      case 'cas': {
        const current = this.data.get(c.key) ?? null;
        const ok = c.expected === null ? current === null : current !== null && equal(current, c.expected);
        if (ok) {
          if (c.value === null) this.data.delete(c.key);
          else this.data.set(c.key, c.value);
        }
        return { op: 'cas', index, ok, current: ok ? c.value : current };
      }
    }
  }

  snapshot(): Uint8Array {
    const keys = [...this.data.keys()].map((k) => encoder.encode(k));
    let size = 4;
    let i = 0;
    for (const value of this.data.values()) size += 8 + keys[i++]!.length + value.length;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setUint32(0, this.data.size);
    let at = 4;
    i = 0;
    for (const value of this.data.values()) {
      const key = keys[i++]!;
      view.setUint32(at, key.length);
      out.set(key, at + 4);
      at += 4 + key.length;
      view.setUint32(at, value.length);
      out.set(value, at + 4);
      at += 4 + value.length;
    }
    return out;
  }

  /**
   * Replace the state with a snapshot's. Bytes from outside are checked as they are read: a
   * snapshot that is cut short, has trailing bytes or a key that is not UTF-8 throws
   * `InvalidArgumentError` before the state changes, so the old state stays.
   */
  restore(snapshot: Uint8Array): void {
    const view = new DataView(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength);
    const data = new Map<string, Uint8Array>();
    const bad = (why: string) => new InvalidArgumentError(`kv snapshot: ${why}`);
    const length = (at: number): number => {
      if (at + 4 > snapshot.length) throw bad(`cut short at byte ${at}`);
      const n = view.getUint32(at);
      if (at + 4 + n > snapshot.length) throw bad(`a length at byte ${at} runs past the end`);
      return n;
    };
    if (snapshot.length === 0) {
      this.data = data;
      return;
    }
    if (snapshot.length < 4) throw bad('cut short in its key count');
    const count = view.getUint32(0);
    // Each key takes at least 8 bytes (two lengths): a larger count cannot be right.
    if (count > (snapshot.length - 4) / 8) throw bad(`${count} keys cannot fit in ${snapshot.length} bytes`);
    let at = 4;
    for (let n = 0; n < count; n++) {
      const keyLength = length(at);
      const key = strictDecoder.decode(snapshot.subarray(at + 4, at + 4 + keyLength));
      at += 4 + keyLength;
      const valueLength = length(at);
      data.set(key, snapshot.slice(at + 4, at + 4 + valueLength));
      at += 4 + valueLength;
    }
    if (at !== snapshot.length) throw bad(`${snapshot.length - at} bytes after the last key`);
    this.data = data;
  }
}
