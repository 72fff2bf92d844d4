/**
 * The `RaftTransport` compliance suite: the contract written in core's `transport.ts`,
 * checked against any implementation (the in-memory network of this package, `TcpTransport`,
 * yours). It knows nothing of sockets or virtual time; a factory builds N connected
 * transports and the suite drives them only through the `RaftTransport` interface.
 *
 * What it checks: `start` resolves and `id` is the requested id; every message type arrives
 * at the right node, and only there, deep-equal to what was sent (bytes included); messages
 * on one connection keep their order when nothing is dropped; `send` to an unknown peer
 * returns false without throwing; `close` is idempotent; `send` after `close` returns false;
 * a closed transport never calls `receive` again; the others keep working when one closes.
 *
 * Call it from an implementation's own vitest file:
 *
 * ```ts
 * runRaftTransportCompliance('TcpTransport', {
 *   async create(ids) {
 *     const transports = ids.map((id) => createTcpTransport({ id, clusterId: 1, listen: { host: '127.0.0.1', port: 0 } }));
 *     return {
 *       transports,
 *       // after every start: tell each transport where the others listen
 *       ready: async () => { for (const a of transports) for (const b of transports) if (a !== b) a.setPeer(b.id, b.address()!); },
 *     };
 *   },
 * });
 * ```
 *
 * A virtual-time network implements `settle` to deliver what is in flight; a real one
 * leaves it out and the suite waits on the clock (up to `timeoutMs`).
 */
import type { Message, NodeId, RaftTransport } from '@raft-io/core';
import { describe, expect, it } from 'vitest';

/** How the suite gets transports to test. */
export interface RaftTransportFactory {
  /**
   * Create one transport per id in `ids` (same order, `transports[i].id === ids[i]`), all
   * able to reach each other and nobody else, none started yet: the suite calls `start`.
   * The network must be lossless and must not reorder within a connection under the
   * suite's light load (a few hundred small messages, one 64 KiB message). Called once
   * per test; ids are small positive integers.
   */
  create(ids: readonly NodeId[]): Promise<RaftTransportCluster> | RaftTransportCluster;
}

/** What `RaftTransportFactory.create` returns. */
export interface RaftTransportCluster {
  /** One transport per requested id, in order, not yet started. */
  readonly transports: readonly RaftTransport[];
  /**
   * Called once after every transport's `start` resolved and before the first `send`: a
   * real network wires addresses known only after start here (ports bound to 0).
   */
  ready?(): Promise<void> | void;
  /**
   * Called repeatedly while the suite waits for deliveries (and while it checks that
   * nothing arrives): a network on virtual time delivers what is in flight. Optional.
   */
  settle?(): Promise<void> | void;
  /** Called after each test, once the suite closed every transport: free the rest. */
  close?(): Promise<void> | void;
}

/** Tuning for `runRaftTransportCompliance`. */
export interface RaftTransportComplianceOptions {
  /** How long the suite waits for expected deliveries, in ms. Default 5000. */
  timeoutMs?: number;
  /** How long it watches for deliveries that must not happen, in ms. Default 150. */
  quietMs?: number;
}

/** One message of every type, from `from` to `to`, with values that catch lossy codecs. */
export function sampleMessages(from: NodeId, to: NodeId): Message[] {
  const max = Number.MAX_SAFE_INTEGER;
  const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
  return [
    {
      type: 'request-vote',
      from,
      to,
      term: 7,
      preVote: true,
      lastLogIndex: 12,
      lastLogTerm: 6,
      transfer: false,
    },
    {
      type: 'request-vote',
      from,
      to,
      term: max,
      preVote: false,
      lastLogIndex: max,
      lastLogTerm: max - 1,
      transfer: true,
    },
    { type: 'request-vote-response', from, to, term: 7, preVote: true, granted: true },
    {
      type: 'append-entries',
      from,
      to,
      term: 8,
      prevLogIndex: 41,
      prevLogTerm: 7,
      entries: [
        { index: 42, term: 8, type: 'command', data: bytes(100, 1) },
        { index: 43, term: 8, type: 'empty', data: new Uint8Array(0) },
        { index: 44, term: 8, type: 'membership', data: bytes(9, 2) },
      ],
      commit: 40,
    },
    { type: 'append-entries', from, to, term: 8, prevLogIndex: 0, prevLogTerm: 0, entries: [], commit: 0 },
    {
      type: 'append-entries-response',
      from,
      to,
      term: 8,
      success: false,
      index: 41,
      hintIndex: 30,
      hintTerm: 5,
    },
    { type: 'heartbeat', from, to, term: 8, commit: 40, context: 3 },
    { type: 'heartbeat-response', from, to, term: 8, context: 3 },
    {
      type: 'install-snapshot',
      from,
      to,
      term: 9,
      metadata: {
        index: 100,
        term: 9,
        membership: { voters: [1, 2, 3], learners: [4], outgoingVoters: [1, 2, 5] },
      },
      offset: 65536,
      data: bytes(1000, 3),
      done: true,
    },
    {
      type: 'install-snapshot-response',
      from,
      to,
      term: 9,
      snapshotIndex: 100,
      offset: 66536,
      done: true,
      reject: false,
    },
    { type: 'timeout-now', from, to, term: 9 },
    { type: 'read-index', from, to, term: 9, id: 'read-1 ✓ ünïcödé' },
    { type: 'read-index-response', from, to, term: 9, id: '', index: 77, ok: true },
  ];
}

/** What one started cluster looks like to a test. */
interface Harness {
  readonly ids: readonly NodeId[];
  readonly transports: readonly RaftTransport[];
  /** Messages received by each node, in arrival order. */
  readonly inbox: ReadonlyMap<NodeId, Message[]>;
  transport(id: NodeId): RaftTransport;
  /** Waits (settling the network) until `predicate` holds; fails after `timeoutMs`. */
  waitFor(predicate: () => boolean, what: string): Promise<void>;
  /** Lets the network run for `quietMs` (settling it), for checks that nothing arrives. */
  quiet(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs the `RaftTransport` contract tests against transports from `factory`, inside a
 * vitest `describe` named after `name`.
 */
export function runRaftTransportCompliance(
  name: string,
  factory: RaftTransportFactory,
  options: RaftTransportComplianceOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 5000;
  const quietMs = options.quietMs ?? 150;

  /** Creates and starts a cluster, runs `body`, and always closes everything. */
  async function withCluster(ids: readonly NodeId[], body: (h: Harness) => Promise<void>): Promise<void> {
    const cluster = await factory.create(ids);
    const inbox = new Map<NodeId, Message[]>(ids.map((id) => [id, []]));
    const settle = async () => {
      await cluster.settle?.();
    };
    const harness: Harness = {
      ids,
      transports: cluster.transports,
      inbox,
      transport(id) {
        const t = cluster.transports.find((x) => x.id === id);
        if (t === undefined) throw new Error(`no transport ${id}`);
        return t;
      },
      async waitFor(predicate, what) {
        const deadline = Date.now() + timeoutMs;
        while (!predicate()) {
          if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
          await settle();
          await sleep(2);
        }
      },
      async quiet() {
        const until = Date.now() + quietMs;
        while (Date.now() < until) {
          await settle();
          await sleep(5);
        }
      },
    };
    try {
      expect(cluster.transports.map((t) => t.id)).toEqual([...ids]);
      await Promise.all(cluster.transports.map((t) => t.start((m) => inbox.get(t.id)!.push(m))));
      await cluster.ready?.();
      await body(harness);
    } finally {
      await Promise.allSettled(cluster.transports.map((t) => t.close()));
      await cluster.close?.();
    }
  }

  const total = (h: Harness) => [...h.inbox.values()].reduce((n, list) => n + list.length, 0);

  describe(`RaftTransport compliance: ${name}`, () => {
    it('start resolves for every transport, each with the requested id', async () => {
      await withCluster([1, 2, 3], async (h) => {
        expect(h.transports.map((t) => t.id)).toEqual([1, 2, 3]);
        // reaching here means every start() resolved
      });
    });

    it('delivers every message type to its addressee, unchanged, and to nobody else', async () => {
      await withCluster([1, 2, 3], async (h) => {
        const toTwo = sampleMessages(1, 2);
        const toThree = sampleMessages(1, 3);
        const fromThree = sampleMessages(3, 1);
        for (const m of toTwo) expect(h.transport(1).send(m)).toBe(true);
        for (const m of toThree) expect(h.transport(1).send(m)).toBe(true);
        for (const m of fromThree) expect(h.transport(3).send(m)).toBe(true);
        await h.waitFor(
          () =>
            h.inbox.get(2)!.length >= toTwo.length &&
            h.inbox.get(3)!.length >= toThree.length &&
            h.inbox.get(1)!.length >= fromThree.length,
          'every sample message',
        );
        await h.quiet();
        expect(h.inbox.get(2)).toStrictEqual(toTwo);
        expect(h.inbox.get(3)).toStrictEqual(toThree);
        expect(h.inbox.get(1)).toStrictEqual(fromThree);
      });
    });

    it('delivers a 64 KiB snapshot chunk intact', async () => {
      await withCluster([1, 2], async (h) => {
        const data = Uint8Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) & 0xff);
        const chunk: Message = {
          type: 'install-snapshot',
          from: 2,
          to: 1,
          term: 3,
          metadata: { index: 10, term: 3, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
          offset: 0,
          data,
          done: false,
        };
        expect(h.transport(2).send(chunk)).toBe(true);
        await h.waitFor(() => h.inbox.get(1)!.length === 1, 'the snapshot chunk');
        expect(h.inbox.get(1)).toStrictEqual([chunk]);
      });
    });

    it('keeps the order of messages on one connection when nothing is dropped', async () => {
      await withCluster([1, 2, 3], async (h) => {
        const n = 200;
        for (let i = 1; i <= n; i++) {
          expect(
            h.transport(1).send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: i, context: i }),
          ).toBe(true);
          expect(
            h.transport(3).send({ type: 'heartbeat', from: 3, to: 2, term: 1, commit: i, context: i }),
          ).toBe(true);
        }
        await h.waitFor(() => h.inbox.get(2)!.length >= 2 * n, `${2 * n} heartbeats`);
        for (const from of [1, 3]) {
          const contexts = h.inbox
            .get(2)!
            .filter((m) => m.from === from)
            .map((m) => (m.type === 'heartbeat' ? m.context : -1));
          expect(contexts).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        }
      });
    });

    it('returns false for a peer it does not know, without throwing', async () => {
      await withCluster([1, 2], async (h) => {
        const stray: Message = { type: 'timeout-now', from: 1, to: 99, term: 1 };
        expect(h.transport(1).send(stray)).toBe(false);
        // the transport still works afterwards
        expect(h.transport(1).send({ type: 'timeout-now', from: 1, to: 2, term: 1 })).toBe(true);
        await h.waitFor(() => h.inbox.get(2)!.length === 1, 'the message to the known peer');
        await h.quiet();
        expect(total(h)).toBe(1);
      });
    });

    it('close is idempotent, also when called concurrently', async () => {
      await withCluster([1, 2], async (h) => {
        const t = h.transport(1);
        await Promise.all([t.close(), t.close()]);
        await expect(t.close()).resolves.toBeUndefined();
      });
    });

    it('send after close returns false and does not throw', async () => {
      await withCluster([1, 2], async (h) => {
        await h.transport(1).close();
        expect(h.transport(1).send({ type: 'timeout-now', from: 1, to: 2, term: 1 })).toBe(false);
        await h.quiet();
        expect(h.inbox.get(2)).toEqual([]);
      });
    });

    it('never calls receive after close, even with messages in flight to it', async () => {
      await withCluster([1, 2, 3], async (h) => {
        for (let i = 1; i <= 50; i++)
          h.transport(1).send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: i });
        await h.transport(2).close();
        const atClose = h.inbox.get(2)!.length;
        for (let i = 51; i <= 60; i++)
          h.transport(1).send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: i });
        await h.quiet();
        expect(h.inbox.get(2)!.length).toBe(atClose);
      });
    });

    it('keeps the other transports working when one closes', async () => {
      await withCluster([1, 2, 3], async (h) => {
        await h.transport(3).close();
        h.transport(1).send({ type: 'heartbeat', from: 1, to: 3, term: 1, commit: 0, context: 1 });
        expect(
          h.transport(1).send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 2 }),
        ).toBe(true);
        expect(h.transport(2).send({ type: 'heartbeat-response', from: 2, to: 1, term: 1, context: 2 })).toBe(
          true,
        );
        await h.waitFor(() => h.inbox.get(1)!.length === 1 && h.inbox.get(2)!.length === 1, 'both messages');
        expect(h.inbox.get(3)).toEqual([]);
      });
    });
  });
}
