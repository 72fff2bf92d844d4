/**
 * `LiveFeed`: a node's live state and timeline as Server-Sent Events (`GET /events`), fed by
 * the `RaftServer`'s events, for the cluster view. The page opens one stream per member; no
 * one polls.
 *
 * - A subscriber first gets `hello` (the state now and the last `historySize` timeline
 *   entries), then `state` whenever something changed (events are coalesced: at most one
 *   state every `pushMs`) and at least every `heartbeatMs` (progress counters such as a
 *   follower's silent ticks change without an event; the heartbeat also keeps idle
 *   connections inside the HTTP server's inactivity timeout), and `event` for each new
 *   timeline entry.
 * - Bounded: at most `maxSubscribers` streams (503 `BUSY` beyond), and a subscriber that lets
 *   more than `maxBufferedBytes` pile up unread is disconnected (its page reconnects and gets
 *   a fresh `hello`), so a stalled reader cannot grow the node's memory.
 */
import type { ServerResponse } from 'node:http';
import type { Membership, NodeId, RaftServer, RaftServerEvents, Role } from 'raft-io';
import { HttpError } from './http-errors.js';
import type { LiveEvent, LiveNodeState } from './live-types.js';

export interface LiveFeedOptions {
  /** Most streams open at once. Default 32. */
  readonly maxSubscribers?: number;
  /** Shortest time between two `state` messages, in ms. Default 100. */
  readonly pushMs?: number;
  /** Longest time between two `state` messages, in ms. Default 1000. */
  readonly heartbeatMs?: number;
  /** Timeline entries kept for new subscribers. Default 200. */
  readonly historySize?: number;
  /** Unread bytes a subscriber may leave buffered before it is disconnected. Default 262144 (256 KiB). */
  readonly maxBufferedBytes?: number;
}

const DEFAULTS: Required<LiveFeedOptions> = {
  maxSubscribers: 32,
  pushMs: 100,
  heartbeatMs: 1000,
  historySize: 200,
  maxBufferedBytes: 256 * 1024,
};

const ROLE_TEXT: Record<Role, string> = {
  follower: 'became follower',
  'pre-candidate': 'started a pre-vote',
  candidate: 'started an election',
  leader: 'became leader',
};

function ids(list: readonly NodeId[]): string {
  return list.length === 0 ? 'none' : list.map((id) => `n${id}`).join(' ');
}

function membershipText(m: Membership): string {
  let text = `voters ${ids(m.voters)}`;
  if (m.learners.length > 0) text += `, learners ${ids(m.learners)}`;
  if (m.outgoingVoters.length > 0) text += ` (joint with ${ids(m.outgoingVoters)})`;
  return text;
}

export class LiveFeed {
  private readonly o: Required<LiveFeedOptions>;
  private readonly subscribers = new Set<ServerResponse>();
  private readonly history: LiveEvent[] = [];
  private seq = 0;
  private dirty = false;
  private lastPush = 0;
  private pushTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout;
  private readonly unlisten: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly server: RaftServer<unknown>,
    private readonly stateOf: () => LiveNodeState,
    options: LiveFeedOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
    const on = <E extends keyof RaftServerEvents>(
      event: E,
      listener: (...args: RaftServerEvents[E]) => void,
    ) => {
      // The server is an EventEmitter typed per event; this helper keeps the pairing checked.
      const emitter = server as unknown as {
        on(e: E, l: (...args: RaftServerEvents[E]) => void): void;
        off(e: E, l: (...args: RaftServerEvents[E]) => void): void;
      };
      emitter.on(event, listener);
      this.unlisten.push(() => emitter.off(event, listener));
    };
    on('role', (role) => this.add('role', `${ROLE_TEXT[role]} (term ${server.status().term})`));
    on('leader', (leader) =>
      this.add('leader', leader === null ? 'lost its leader' : `follows leader n${leader}`),
    );
    on('term', (term) => this.add('term', `entered term ${term}`));
    on('membership', (m, index) =>
      this.add('membership', `membership at index ${index}: ${membershipText(m)}`),
    );
    on('removed', (index) => this.add('removed', `removed from the cluster at index ${index}`));
    on('snapshot', (index, bytes) =>
      this.add('snapshot', `took a snapshot at index ${index} (${bytes} bytes)`),
    );
    on('restore', (index) => this.add('restore', `restored a snapshot at index ${index}`));
    on('applied', () => this.changed());
    on('state-changed', () => this.changed());
    on('error', (error) => this.add('error', `stopped by a fatal error: ${error.message}`));
    this.heartbeat = setInterval(() => this.push(), this.o.heartbeatMs);
    this.heartbeat.unref();
    this.add('started', 'started');
  }

  /** Open streams. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Add a timeline entry (and push it to every subscriber). */
  add(kind: LiveEvent['kind'], text: string): void {
    if (this.closed) return;
    const event: LiveEvent = {
      seq: ++this.seq,
      node: this.server.id,
      at: Date.now(),
      kind,
      term: this.server.status().term,
      text,
    };
    this.history.push(event);
    if (this.history.length > this.o.historySize) this.history.shift();
    this.broadcast('event', event);
    this.changed();
  }

  /** Something in the state changed: push a `state` soon (coalesced). */
  changed(): void {
    if (this.closed || this.subscribers.size === 0) return;
    this.dirty = true;
    if (this.pushTimer !== undefined) return;
    const wait = Math.max(0, this.lastPush + this.o.pushMs - Date.now());
    this.pushTimer = setTimeout(() => {
      this.pushTimer = undefined;
      if (this.dirty) this.push();
    }, wait);
  }

  /** Serve `GET /events`: start a stream on `res`. Throws `HttpError` 503 when full. */
  subscribe(res: ServerResponse): void {
    if (this.closed) throw new HttpError(503, 'CLOSED', 'the node is stopping');
    if (this.subscribers.size >= this.o.maxSubscribers) {
      throw new HttpError(503, 'BUSY', `at most ${this.o.maxSubscribers} event streams at once`);
    }
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    this.subscribers.add(res);
    // The response's 'close' is the connection's end; the request's 'close' only means its
    // (empty) body was read.
    res.once('close', () => this.subscribers.delete(res));
    // `retry`: how long EventSource-style clients wait before reconnecting.
    res.write('retry: 1000\n\n');
    this.write(res, 'hello', { state: this.stateOf(), history: this.history });
  }

  /** End every stream and stop listening. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    clearTimeout(this.pushTimer);
    for (const off of this.unlisten) off();
    for (const res of this.subscribers) res.end();
    this.subscribers.clear();
  }

  private push(): void {
    if (this.closed || this.subscribers.size === 0) return;
    this.dirty = false;
    this.lastPush = Date.now();
    this.broadcast('state', this.stateOf());
  }

  private broadcast(name: string, data: unknown): void {
    if (this.subscribers.size === 0) return;
    const frame = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.subscribers) this.send(res, frame);
  }

  private write(res: ServerResponse, name: string, data: unknown): void {
    this.send(res, `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private send(res: ServerResponse, frame: string): void {
    if (res.writableLength > this.o.maxBufferedBytes) {
      // The reader stopped reading: cut it off rather than buffer without bound.
      this.subscribers.delete(res);
      res.destroy();
      return;
    }
    res.write(frame);
  }
}
