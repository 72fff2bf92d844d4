/**
 * `GET /backup`: a backup of this node's state machine, streamed as the body (raft-io's
 * backup format, `application/octet-stream`): consistent, with the membership and the index
 * it stands at, checksummed. By default the node first confirms a read index with the
 * leader, so the backup holds every write acknowledged before the request; `?local=1` backs
 * up what this node has applied, with no leader needed (e.g. while a quorum is lost). With a
 * status token it needs it, like `/status` (a backup is all the data).
 *
 * The snapshot is taken within the request deadline; the body then streams for as long as
 * it takes (each chunk waits for the client to read the last). Failing before the first
 * byte answers a JSON error; failing after it cuts the response, which the reader's checksum
 * turns into a refused backup (`kv backup` keeps nothing).
 */
import type { ServerResponse } from 'node:http';
import type { RaftServer } from 'raft-io';
import type { ApiRoute } from './http-api.js';

/** Write `chunk` to `res`, waiting for `drain`; rejects if the client goes away first. */
function writeChunk(res: ServerResponse, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) {
      reject(new Error('the client closed the connection'));
      return;
    }
    if (res.write(chunk)) {
      resolve();
      return;
    }
    const onDrain = () => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      res.off('drain', onDrain);
      reject(new Error('the client closed the connection'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export function backupRoute(server: RaftServer<unknown>): ApiRoute {
  return {
    name: 'backup',
    matches: (path) => path === '/backup',
    async handle(r) {
      r.allow(['GET']);
      r.authorize();
      r.req.resume();
      const query = new URLSearchParams((r.req.url ?? '').split('?')[1] ?? '');
      const local = query.get('local') === '1';
      await server.backupTo(
        async (chunk) => {
          if (!r.res.headersSent) {
            r.res.writeHead(200, {
              'content-type': 'application/octet-stream',
              'content-disposition': 'attachment; filename="kv.backup"',
              'cache-control': 'no-store',
            });
          }
          await writeChunk(r.res, chunk);
        },
        { linearizable: !local, timeoutMs: Math.max(1, r.deadline - Date.now()) },
      );
      r.res.end();
    },
  };
}
