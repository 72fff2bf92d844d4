/**
 * `KvStateMachine`: the tiny replicated state machine each simulated node runs. It applies
 * `apply` actions in order, snapshots to bytes and restores from them; a restart starts it
 * empty, and the node replays the log (or restores its snapshot) into it.
 */
import { decodeKvCommand } from './kv-command.js';

/** What applying one command returned. */
export type KvResult =
  | { readonly kind: 'put' }
  | { readonly kind: 'cas'; readonly swapped: boolean }
  | { readonly kind: 'noop' }
  | { readonly kind: 'unknown' };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class KvStateMachine {
  private data = new Map<string, string>();
  /** Index of the last command applied or restored. Invariant: only increases between resets. */
  lastIndex = 0;
  /** Commands applied since the last reset (restores excluded). */
  applied = 0;

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  /** Apply the command at `index`. */
  apply(index: number, command: Uint8Array): KvResult {
    this.lastIndex = index;
    this.applied++;
    const c = decodeKvCommand(command);
    if (c === null) return { kind: 'unknown' };
    if (c.kind === 'put') {
      this.data.set(c.key, c.value);
      return { kind: 'put' };
    }
    if (c.kind === 'cas') {
      const swapped = (this.data.get(c.key) ?? null) === c.expected;
      if (swapped) this.data.set(c.key, c.value);
      return { kind: 'cas', swapped };
    }
    return { kind: 'noop' };
  }

  /** The whole state as bytes (sorted, so equal states give equal bytes). */
  snapshot(): Uint8Array {
    const entries = [...this.data.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return encoder.encode(JSON.stringify(entries));
  }

  /** Replace the state with a snapshot taken at `index`. */
  restore(bytes: Uint8Array, index: number): void {
    const text = decoder.decode(bytes);
    this.data = new Map(text.length === 0 ? [] : (JSON.parse(text) as [string, string][]));
    this.lastIndex = index;
  }

  /** Forget everything (a restart). */
  reset(): void {
    this.data = new Map();
    this.lastIndex = 0;
    this.applied = 0;
  }

  /** The state as a plain object, for tests and status output. */
  toObject(): Record<string, string> {
    return Object.fromEntries([...this.data.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }
}
