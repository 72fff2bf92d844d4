/**
 * Two transports on loopback exchange a heartbeat and its response, then close.
 * Run: npx tsx --conditions=@raft-io/source examples/two-nodes.ts
 */
import type { Message } from '@raft-io/core';
import { createTcpTransport } from '@raft-io/transport-tcp';

const a = createTcpTransport({ id: 1, clusterId: 7, listen: { host: '127.0.0.1', port: 0 } });
const b = createTcpTransport({ id: 2, clusterId: 7, listen: { host: '127.0.0.1', port: 0 } });

const done = new Promise<void>((resolve) => {
  a.start((message: Message) => {
    console.log('node 1 received', message);
    resolve();
  });
});
await b.start((message: Message) => {
  console.log('node 2 received', message);
  // Answer on node 2's own outbound connection.
  b.send({ type: 'heartbeat-response', from: 2, to: 1, term: message.term, context: 1 });
});

// Ports were chosen by the OS (port 0): tell each node where the other listens.
a.setPeer(2, b.address()!);
b.setPeer(1, a.address()!);

a.send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 1 });
await done;
console.log(a.stats().peers[0]);
await Promise.all([a.close(), b.close()]);
