/**
 * `LauncherControl`: the launcher's control server (`kv cluster`, or `LocalCluster` with
 * `controls: true`), on 127.0.0.1 with a random bearer token: `POST /nodes/:id/:action`
 * (`stop`, `kill`, `start`, `pause`, `resume`, `partition`, `heal`) and `GET /nodes` (every
 * process's state). Nodes relay the page's requests here (see `launcher-protocol.ts`).
 *
 * An action is accepted (202) at once and carried out afterwards: the node that relays it
 * may be the one it stops, and the page learns the outcome from the nodes' event streams.
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NodeId } from 'raft-io';
import { HttpError, sendError, sendJson, toHttpError } from './http-errors.js';
import { isLauncherAction, type LauncherAction } from './launcher-protocol.js';
import type { ProcessState } from './live-types.js';
import { StatusToken } from './status-token.js';

/** What the control server drives: the processes of a `LocalCluster`. */
export interface ProcessControls {
  /** Whether `id` is one of the launcher's nodes. */
  has(id: NodeId): boolean;
  /** Carry out `action` on node `id`. */
  act(id: NodeId, action: LauncherAction): Promise<void>;
  states(): Record<string, ProcessState>;
}

const ACTION_PATH = /^\/nodes\/(\d{1,9})\/([a-z]{1,16})$/;

export class LauncherControl {
  /** The bearer token nodes present (and receive), 48 hex characters. */
  readonly token = randomBytes(24).toString('hex');
  private readonly check = new StatusToken(this.token);
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly server: http.Server,
    private readonly controls: ProcessControls,
    private readonly onError: (error: unknown, id: NodeId, action: LauncherAction) => void,
  ) {}

  /** Listen on 127.0.0.1 (a free port). `onError` hears of actions that failed. */
  static async start(
    controls: ProcessControls,
    onError: (error: unknown, id: NodeId, action: LauncherAction) => void = () => {},
  ): Promise<LauncherControl> {
    let control: LauncherControl | undefined;
    const server = http.createServer((req, res) => control?.handle(req, res));
    control = new LauncherControl(server, controls, onError);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return control;
  }

  /** `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closing;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    try {
      if (!this.check.accepts(req.headers.authorization)) {
        throw new HttpError(401, 'UNAUTHORIZED', 'the launcher needs its token');
      }
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/nodes' && req.method === 'GET') {
        sendJson(res, 200, { processes: this.controls.states() });
        return;
      }
      const m = ACTION_PATH.exec(path);
      if (!m || req.method !== 'POST')
        throw new HttpError(404, 'NOT_FOUND', `no route ${req.method} ${path}`);
      const id = Number(m[1]);
      const action = m[2]!;
      if (!isLauncherAction(action)) throw new HttpError(404, 'NOT_FOUND', `no action ${action}`);
      if (!this.controls.has(id)) throw new HttpError(404, 'NOT_FOUND', `no node ${id} in this cluster`);
      this.controls.act(id, action).catch((error: unknown) => this.onError(error, id, action));
      sendJson(res, 202, { accepted: true, id, action });
    } catch (error) {
      sendError(res, toHttpError(error));
    }
  }
}
