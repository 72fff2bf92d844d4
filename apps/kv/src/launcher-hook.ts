/**
 * The node's side of the launcher (see `launcher-protocol.ts`), present only when the node
 * was started by `kv cluster` with a launcher URL and token in its environment:
 *
 * - `POST /admin/launcher-state` (the launcher's bearer token, compared in constant time):
 *   the peers to drop Raft traffic with, handed to the `FilteredTransport`, and the
 *   processes' states, streamed to the page;
 * - `POST /cluster/nodes/:id/:action` (the status token, if any; a JSON body): relayed to the
 *   launcher with its token, so the page never holds the launcher's token.
 */
import type { NodeId } from 'raft-io';
import type { ApiRoute } from './http-api.js';
import { HttpError, sendJson } from './http-errors.js';
import {
  isLauncherAction,
  type LauncherLink,
  type LauncherState,
  parseLauncherState,
} from './launcher-protocol.js';
import type { ProcessState } from './live-types.js';
import type { FilteredTransport } from './raft-filter.js';
import { StatusToken } from './status-token.js';

const RELAY_PATH = /^\/cluster\/nodes\/(\d{1,9})\/([a-z]{1,16})$/;

export class LauncherHook {
  private readonly token: StatusToken;
  private processStates: Readonly<Record<string, ProcessState>> = {};

  constructor(
    private readonly link: LauncherLink,
    private readonly filter: FilteredTransport,
    /** Called after a pushed state changed the partition (for the timeline). */
    private readonly onPartition: (blocked: readonly NodeId[]) => void,
  ) {
    this.token = new StatusToken(link.token);
  }

  /** The launcher's view of every process (empty until its first push). */
  processes(): Readonly<Record<string, ProcessState>> {
    return this.processStates;
  }

  /** Apply a pushed state. */
  apply(state: LauncherState): void {
    this.processStates = state.processes;
    const before = this.filter.blocked().join(',');
    this.filter.block(state.blocked);
    if (this.filter.blocked().join(',') !== before) this.onPartition(this.filter.blocked());
  }

  routes(): ApiRoute[] {
    return [
      {
        name: 'launcher-state',
        matches: (path) => path === '/admin/launcher-state',
        handle: async (r) => {
          r.allow(['POST']);
          if (!this.token.accepts(r.req.headers.authorization)) {
            r.req.resume();
            throw new HttpError(401, 'UNAUTHORIZED', 'this endpoint is for the launcher');
          }
          this.apply(parseLauncherState(await r.readJson()));
          r.res.writeHead(204);
          r.res.end();
        },
      },
      {
        name: 'launcher-relay',
        matches: (path) => RELAY_PATH.test(path),
        handle: async (r) => {
          r.allow(['POST']);
          r.authorize();
          await r.readJson();
          const [, id, action] = RELAY_PATH.exec(r.path)!;
          if (!isLauncherAction(action!)) throw new HttpError(404, 'NOT_FOUND', `no action ${action}`);
          let answer: Response;
          try {
            answer = await fetch(`${this.link.url}/nodes/${Number(id)}/${action}`, {
              method: 'POST',
              headers: { authorization: `Bearer ${this.link.token}`, 'content-type': 'application/json' },
              body: '{}',
              signal: AbortSignal.timeout(Math.max(1, r.deadline - Date.now())),
            });
          } catch (error) {
            throw new HttpError(
              502,
              'LAUNCHER_UNREACHABLE',
              `the launcher did not answer: ${(error as Error).message}`,
            );
          }
          const text = await answer.text();
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = { error: { code: 'LAUNCHER_ERROR', message: text.slice(0, 200) } };
          }
          sendJson(r.res, answer.status, body);
        },
      },
    ];
  }
}
