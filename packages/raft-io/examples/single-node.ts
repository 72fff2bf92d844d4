/**
 * A running single node in three lines (after the state machine): a durable SQLite log in
 * ./data, no network, leader at once. Run: `node --conditions=@raft-io/source --import tsx
 * examples/single-node.ts` (or with the build: `node --import tsx examples/single-node.ts`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRaftServer, type StateMachine } from 'raft-io';

/** A counter: each command adds its first byte; apply returns the new total. */
class Counter implements StateMachine<number> {
  total = 0;
  apply(command: Uint8Array): number {
    this.total += command[0] ?? 0;
    return this.total;
  }
  snapshot(): Uint8Array {
    return new TextEncoder().encode(String(this.total));
  }
  restore(bytes: Uint8Array): void {
    this.total = Number(new TextDecoder().decode(bytes));
  }
}

const dataDir = process.env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'raft-io-example-'));

const server = await createRaftServer({ id: 1, dataDir, stateMachine: new Counter() });
console.log('total after +5:', await server.propose(Uint8Array.of(5)));
console.log('linearizable read:', await server.readIndex(), server.status().role);

await server.close();
if (!process.env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
