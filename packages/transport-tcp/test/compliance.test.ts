/**
 * testkit's RaftTransport compliance suite against TcpTransport over plain TCP, over mutual
 * TLS (certificates bound to node ids), and with a cluster secret (challenge-response
 * handshake, authenticated frames). Transports listen on 127.0.0.1 port 0 and learn each
 * other's ports in `ready`.
 */
import type { NodeId } from '@raft-io/core';
import { runRaftTransportCompliance } from '@raft-io/testkit/compliance';
import { createTcpTransport, type TcpTransportOptions } from '../src/index.js';
import { makePki, type TestPki } from './certs.js';
import { HOST } from './helpers.js';

function factory(extra: (id: NodeId) => Partial<TcpTransportOptions>) {
  return {
    create(ids: readonly NodeId[]) {
      const transports = ids.map((id) =>
        createTcpTransport({
          id,
          clusterId: 3,
          listen: { host: HOST, port: 0 },
          reconnect: { initialDelayMs: 10, maxDelayMs: 100 },
          ...extra(id),
        }),
      );
      return {
        transports,
        ready() {
          for (const a of transports) {
            for (const b of transports) if (a !== b) a.setPeer(b.id, b.address()!);
          }
        },
      };
    },
  };
}

runRaftTransportCompliance(
  'TcpTransport',
  factory(() => ({})),
);

let pki: TestPki | null = null;
runRaftTransportCompliance(
  'TcpTransport over mutual TLS',
  factory((id) => {
    pki ??= makePki([1, 2, 3], 3);
    return { tls: { ...pki.node(id), ca: pki.ca } };
  }),
);

runRaftTransportCompliance(
  'TcpTransport with a cluster secret',
  factory(() => ({ clusterSecret: 'compliance-suite-secret-0123456789abcdef' })),
);
