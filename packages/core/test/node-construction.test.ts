/**
 * What a node makes of its log and config when it is built, and how `step` treats what it is
 * handed (issue 20: none of this was asserted, so changing it broke no test): which stored
 * state counts as a restart (lease reads then refuse votes for an election timeout), a term
 * at `MAX_TERM`, snapshots stored in the other streaming mode or without a valid size, member
 * info about strangers, malformed events, and how a fatal error from the log is kept.
 */
import { describe, expect, it } from 'vitest';
import {
  type Action,
  InvalidArgumentError,
  type LogWrite,
  MAX_TERM,
  MemoryLog,
  RaftNode,
  StorageError,
  UnavailableError,
} from '../src/index.js';
import { bytes } from './helpers/cluster.js';
import { voteRequest } from './helpers/messages.js';
import { thrownBy } from './helpers/regression.js';

const membership = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };
const LEASE = { id: 1, voters: [1, 2, 3], checkQuorum: true, leaseRead: true, preVote: false } as const;

/** A vote request from node 2 for `term` with a log far ahead of anyone's. */
const requestVote = (term: number): Parameters<RaftNode['step']>[0] => ({
  type: 'message',
  message: voteRequest({ term, lastLogIndex: 100, lastLogTerm: 50 }),
});
const granted = (actions: Action[]) =>
  actions.some(
    (a) => a.type === 'send' && a.message.type === 'request-vote-response' && a.message.granted === true,
  );

function logWith(write: LogWrite): MemoryLog {
  const log = new MemoryLog();
  log.write(write);
  return log;
}

describe('restart: what counts, with lease reads on', () => {
  it('a node with a term, a snapshot or entries refuses another candidate for an election timeout; a new node votes', () => {
    // init: three stored states that each mean "this node ran before", and an empty log.
    const restarted = {
      term: logWith({ hardState: { term: 3, vote: null, commit: 0 } }),
      snapshot: logWith({
        snapshot: { metadata: { index: 4, term: 2, membership }, data: bytes('s') },
        compact: { index: 4, term: 2 },
      }),
      entries: logWith({ entries: [{ index: 1, term: 1, type: 'empty', data: new Uint8Array(0) }] }),
    };
    // act + check: each restarted node refuses at once; the fresh one grants.
    for (const [what, log] of Object.entries(restarted)) {
      const node = new RaftNode(LEASE, log);
      expect(granted(node.step(requestVote(9))), `restarted with ${what}`).toBe(false);
    }
    expect(granted(new RaftNode(LEASE, new MemoryLog()).step(requestVote(9)))).toBe(true);
  });

  it('the refusal ends after one election timeout of its own ticks', () => {
    const node = new RaftNode(
      { ...LEASE, electionTick: 10 },
      logWith({
        hardState: { term: 3, vote: null, commit: 0 },
      }),
    );
    for (let i = 0; i < 9; i++) node.step({ type: 'tick' });
    expect(granted(node.step(requestVote(4)))).toBe(false);
    node.step({ type: 'tick' });
    expect(granted(node.step(requestVote(5)))).toBe(true);
  });
});

describe('construction from a stored state', () => {
  it('a node restarted at MAX_TERM reports its term exhausted; one below does not', () => {
    const at = new RaftNode(
      { id: 1, voters: [1, 2, 3] },
      logWith({ hardState: { term: MAX_TERM, vote: null, commit: 0 } }),
    );
    expect(at.status().termExhausted).toBe(true);
    const below = new RaftNode(
      { id: 1, voters: [1, 2, 3] },
      logWith({ hardState: { term: MAX_TERM - 1, vote: null, commit: 0 } }),
    );
    expect(below.status().termExhausted).toBe(false);
  });

  it('a snapshot stored in the other streaming mode, or streamed without a valid size, is refused by name', () => {
    const inMemory = logWith({
      snapshot: { metadata: { index: 2, term: 1, membership }, data: bytes('s') },
      compact: { index: 2, term: 1 },
    });
    const e1 = thrownBy(() => new RaftNode({ id: 1, voters: [1, 2, 3], snapshotStreaming: true }, inMemory));
    expect(e1).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(e1?.message).toContain('index 2 holds its bytes');
    const streamed = logWith({
      snapshot: {
        metadata: { index: 2, term: 1, membership, bytes: 10, checksum: 7 },
        data: new Uint8Array(0),
      },
      compact: { index: 2, term: 1 },
    });
    const e2 = thrownBy(() => new RaftNode({ id: 1, voters: [1, 2, 3] }, streamed));
    expect(e2).toMatchObject({ code: 'INVALID_CONFIG', field: 'snapshotStreaming' });
    expect(e2?.message).toContain('index 2 is a streamed one');
    const damaged = logWith({
      snapshot: {
        metadata: { index: 2, term: 1, membership, bytes: -1, checksum: 7 },
        data: new Uint8Array(0),
      },
      compact: { index: 2, term: 1 },
    });
    const e3 = thrownBy(() => new RaftNode({ id: 1, voters: [1, 2, 3], snapshotStreaming: true }, damaged));
    expect(e3).toMatchObject({ code: 'STORAGE' });
    expect(e3?.message).toContain('index 2 lacks a valid size or checksum');
    // The same streamed snapshot with a valid size is restored as metadata alone.
    const good = logWith({
      snapshot: {
        metadata: { index: 2, term: 1, membership, bytes: 10, checksum: 7 },
        data: new Uint8Array(0),
      },
      compact: { index: 2, term: 1 },
    });
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], snapshotStreaming: true }, good);
    const restore = node.step({ type: 'tick' }).find((a) => a.type === 'restore');
    expect(restore).toMatchObject({
      snapshot: { metadata: { index: 2, bytes: 10 }, data: new Uint8Array(0) },
    });
  });

  it("member info about a node outside the cluster is refused; about members, it is the bootstrap membership's", () => {
    const e = thrownBy(
      () => new RaftNode({ id: 1, voters: [1, 2, 3], memberInfo: { 9: { address: 'h:1' } } }),
    );
    expect(e).toMatchObject({ code: 'INVALID_CONFIG' });
    expect(e?.message).toContain('memberInfo');
    const node = new RaftNode({ id: 1, voters: [1, 2, 3], memberInfo: { 2: { address: 'h:2' } } });
    expect(node.membership().info).toEqual({ 2: { address: 'h:2' } });
  });
});

describe('step: events and fatal errors', () => {
  it('an event that is not an object is refused before anything changes', () => {
    const node = new RaftNode({ id: 1, voters: [1, 2, 3] });
    for (const event of [null, 7, 'tick', undefined]) {
      const e = thrownBy(() => node.step(event as never));
      expect(e?.name).toBe(InvalidArgumentError.name);
      expect(e?.message).toBe('event must be an object');
    }
    expect(node.step({ type: 'tick' })).toEqual([]);
  });

  it('a propose event with neither command nor commands is refused as misuse', () => {
    const node = new RaftNode({ id: 1, voters: [1] });
    node.step({ type: 'campaign' });
    const e = thrownBy(() => node.step({ type: 'propose' } as never));
    expect(e?.name).toBe(InvalidArgumentError.name);
    expect(e?.message).toBe('propose needs `command` (a Uint8Array) or a non-empty `commands` array');
    expect(thrownBy(() => node.step({ type: 'propose', commands: [5] } as never))?.message).toBe(
      'a proposed command must be a Uint8Array',
    );
    expect(node.step({ type: 'propose', command: bytes('x') }).some((a) => a.type === 'apply')).toBe(true);
  });

  it("the log's StorageError stops the node as it is; any other throw becomes a named InvariantError", () => {
    class FailingLog extends MemoryLog {
      failWith: Error | null = null;
      override write(write: LogWrite): void {
        if (this.failWith) throw this.failWith;
        super.write(write);
      }
    }
    const storage = new FailingLog();
    const a = new RaftNode({ id: 1, voters: [1] }, storage);
    const disk = new StorageError('disk gone');
    storage.failWith = disk;
    expect(thrownBy(() => a.step({ type: 'campaign' }))).toBe(disk);
    expect(thrownBy(() => a.step({ type: 'tick' }))).toBe(disk);

    const odd = new FailingLog();
    const b = new RaftNode({ id: 1, voters: [1] }, odd);
    odd.failWith = new TypeError('odd');
    const e = thrownBy(() => b.step({ type: 'campaign' }));
    expect(e).toMatchObject({ code: 'INVARIANT', invariant: 'step-completes' });
    expect(e?.message).toContain('step threw TypeError: odd');
    expect((e as { cause?: unknown }).cause).toBeInstanceOf(TypeError);
    expect(thrownBy(() => b.step({ type: 'tick' }))).toBe(e);

    // A RaftError of another kind from inside a step (here the log's UnavailableError) is a
    // broken invariant too: only STORAGE and INVARIANT errors pass through as they are.
    const unavailable = new FailingLog();
    const c = new RaftNode({ id: 1, voters: [1] }, unavailable);
    unavailable.failWith = new UnavailableError(9);
    const u = thrownBy(() => c.step({ type: 'campaign' }));
    expect(u).toMatchObject({ code: 'INVARIANT', invariant: 'step-completes' });
    expect((u as { cause?: unknown }).cause).toBe(unavailable.failWith);
  });

  it('names what is wrong in the refusals of events and config', () => {
    const node = new RaftNode({ id: 1, voters: [1] });
    expect(thrownBy(() => node.step({ type: 'nap' } as never))?.message).toBe('unknown event type nap');
    expect(thrownBy(() => node.step({ type: 'wake', leaderUnreachable: 1 } as never))?.message).toBe(
      'wake: leaderUnreachable must be a boolean',
    );
    const async = new RaftNode({ id: 1, voters: [1], asyncStorageWrites: true });
    expect(thrownBy(() => async.step({ type: 'persisted', seq: 5 }))?.message).toBe(
      'persisted seq 5 is not a write of this node (last 0)',
    );
    expect(
      thrownBy(() => new RaftNode({ id: 1, voters: [1], memberInfo: { 2: { address: 'x' } } }))?.message,
    ).toBe('invalid config: memberInfo: must describe members of the cluster only, in printable ASCII');
    // A node that joins (no voters of its own) takes its membership from the leader: its
    // member info is not checked against a membership it does not have yet.
    const joining = new RaftNode({ id: 4, voters: [], memberInfo: { 4: { address: 'h:4' } } });
    expect(joining.membership()).toStrictEqual({
      voters: [],
      learners: [],
      outgoingVoters: [],
      info: { 4: { address: 'h:4' } },
    });
    expect(new RaftNode({ id: 1, voters: [1] }).membership()).toStrictEqual({
      voters: [1],
      learners: [],
      outgoingVoters: [],
    });
  });
});
