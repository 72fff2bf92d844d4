/**
 * `CountingMachine`: a state machine for exactly-once tests. It counts how many times each
 * command was applied, and keeps core's client-session table the way a driver does (decide
 * a session entry, apply it only if told, record its outcome), so a test can check that a
 * proposal retried until it succeeded was applied exactly once. Its snapshot is JSON pairs,
 * which the simulator's own KV machine also accepts when it restores the same bytes.
 */
import { ClientSessions, decodeCommandEntry } from '@raft-io/core';

const enc = new TextEncoder();
const dec = new TextDecoder();

export class CountingMachine {
  /** Applications per command (the command's text). */
  counts = new Map<string, number>();
  private sessions = new ClientSessions();
  /** Entries seen that were retries of a command already applied. */
  duplicates = 0;

  /** Apply a committed entry's data; returns what happened to it. */
  apply(index: number, data: Uint8Array): 'applied' | 'duplicate' | 'refused' {
    const entry = decodeCommandEntry(data);
    if (entry.kind === 'malformed') return 'refused';
    if (entry.kind === 'session') {
      const decision = this.sessions.begin(index, entry.session, entry.command);
      if (decision.kind === 'duplicate') {
        this.duplicates++;
        return 'duplicate';
      }
      if (decision.kind === 'refused') return 'refused';
      this.count(entry.command);
      this.sessions.record(index, entry.session, entry.command, { kind: 'ok', result: new Uint8Array(0) });
      return 'applied';
    }
    this.count(entry.command);
    return 'applied';
  }

  private count(command: Uint8Array): void {
    const key = dec.decode(command);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  snapshot(): Uint8Array {
    const state = {
      counts: [...this.counts],
      sessions: Buffer.from(this.sessions.encode()).toString('base64'),
    };
    return enc.encode(JSON.stringify([['counting-machine', JSON.stringify(state)]]));
  }

  restore(bytes: Uint8Array): void {
    const pairs = JSON.parse(dec.decode(bytes)) as [string, string][];
    const state = JSON.parse(pairs[0]![1]) as { counts: [string, number][]; sessions: string };
    this.counts = new Map(state.counts);
    this.sessions = ClientSessions.decode(new Uint8Array(Buffer.from(state.sessions, 'base64')));
  }
}
