/**
 * A tiny key-value state machine for the tests: commands are JSON `{ key, value }` (value
 * null deletes); apply returns the previous value and records every applied index.
 */
import type { StateMachine } from '../../src/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

export function setCommand(key: string, value: string | null): Uint8Array {
  return enc.encode(JSON.stringify({ key, value }));
}

export class KvMachine implements StateMachine<string | null> {
  data = new Map<string, string>();
  appliedIndexes: number[] = [];
  restores = 0;

  apply(command: Uint8Array, index: number): string | null {
    this.appliedIndexes.push(index);
    const { key, value } = JSON.parse(dec.decode(command)) as { key: string; value: string | null };
    if (key === 'boom') throw new Error(`boom at ${index}`);
    const previous = this.data.get(key) ?? null;
    if (value === null) this.data.delete(key);
    else this.data.set(key, value);
    return previous;
  }

  snapshot(): Uint8Array {
    return enc.encode(JSON.stringify([...this.data]));
  }

  restore(snapshot: Uint8Array): void {
    this.restores++;
    this.data = new Map(JSON.parse(dec.decode(snapshot)) as [string, string][]);
  }
}
