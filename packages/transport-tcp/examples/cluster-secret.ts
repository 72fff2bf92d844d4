/**
 * Two transports that authenticate each other with a cluster secret: a challenge-response
 * handshake, then a tag on every frame. A third one without the secret is refused.
 * Run: npx tsx --conditions=@raft-io/source examples/cluster-secret.ts
 */
import { randomBytes } from 'node:crypto';
import type { Message } from '@raft-io/core';
import { createTcpTransport } from '@raft-io/transport-tcp';

// In production: the same secret on every node, from a file or a secret store
// (e.g. `openssl rand -base64 32`), never in the source.
const clusterSecret = randomBytes(32).toString('base64');
const logger = {
  debug() {},
  info() {},
  error() {},
  warn: (f: object, m: string) => console.log('warn:', m, f),
};

const a = createTcpTransport({
  id: 1,
  clusterId: 7,
  listen: { host: '127.0.0.1', port: 0 },
  clusterSecret,
  logger,
});
const b = createTcpTransport({ id: 2, clusterId: 7, listen: { host: '127.0.0.1', port: 0 }, clusterSecret });
const received = new Promise<Message>((resolve) => b.start(resolve));
await a.start(() => {});
a.setPeer(2, b.address()!);
b.setPeer(1, a.address()!);
a.send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 1 });
console.log('node 2 received', await received);

// Node 3 knows no secret: node 1 refuses it (logged as `auth-required`).
const c = createTcpTransport({ id: 3, clusterId: 7, listen: { host: '127.0.0.1', port: 0 } });
await c.start(() => {});
a.setPeer(3, c.address()!);
c.setPeer(1, a.address()!);
c.send({ type: 'heartbeat', from: 3, to: 1, term: 1, commit: 0, context: 1 });
await new Promise((resolve) => setTimeout(resolve, 200));
await Promise.all([a.close(), b.close(), c.close()]);
