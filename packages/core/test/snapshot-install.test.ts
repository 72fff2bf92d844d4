/**
 * Installing a snapshot from the leader (§7) safely: the transfer is checked end to end (a
 * CRC32C of the leader's bytes), and with `confirmRestore` the follower stores the snapshot
 * only after the driver restored it, so a snapshot the state machine cannot load never
 * replaces the log (issue 12: bad snapshot bytes crashed a node on every restart).
 */
import { describe, expect, it } from 'vitest';
import { crc32c, type InstallSnapshotMessage, MemoryLog, RaftNode } from '../src/index.js';
import { appendEntries } from './helpers/messages.js';

const membership = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };
const data = new Uint8Array([10, 20, 30, 40, 50, 60]);

function chunk(over: Partial<InstallSnapshotMessage> = {}): InstallSnapshotMessage {
  return {
    type: 'install-snapshot',
    from: 2,
    to: 1,
    term: 1,
    metadata: { index: 5, term: 1, membership, checksum: crc32c(data) },
    offset: 0,
    data,
    done: true,
    ...over,
  };
}

/** A command entry of term 1 at `index`. */
const entry = (index: number) => ({
  index,
  term: 1,
  type: 'command' as const,
  data: new Uint8Array([index]),
});

function follower(confirmRestore: boolean) {
  const log = new MemoryLog();
  const node = new RaftNode({ id: 1, voters: [1, 2, 3], confirmRestore }, log);
  return { node, log };
}

const responses = (actions: ReturnType<RaftNode['step']>) =>
  actions.flatMap((a) =>
    a.type === 'send' && a.message.type === 'install-snapshot-response' ? [a.message] : [],
  );

describe('§7 install-snapshot on the follower', () => {
  it('a snapshot whose bytes do not match the leader checksum is refused and not stored', () => {
    const { node, log } = follower(false);
    const damaged = new Uint8Array(data);
    damaged[3] = 99;
    const actions = node.step({ type: 'message', message: chunk({ data: damaged }) });
    expect(responses(actions)).toMatchObject([{ reject: true, done: false }]);
    expect(actions.some((a) => a.type === 'restore')).toBe(false);
    expect(log.snapshot()).toBeNull();
    // The right bytes are taken (stored without the checksum, which checked the transfer).
    const ok = node.step({ type: 'message', message: chunk() });
    expect(responses(ok)).toMatchObject([{ done: true, reject: false }]);
    // Not streaming: no chunk is handed to the driver to write, for the refused copy or this one.
    expect([...actions, ...ok].some((a) => a.type === 'write-snapshot-chunk')).toBe(false);
    expect(log.snapshot()?.metadata).toEqual({ index: 5, term: 1, membership });
  });

  it('confirmRestore: restored first, stored only once the driver says it worked', () => {
    const { node, log } = follower(true);
    const actions = node.step({ type: 'message', message: chunk() });
    // The driver gets the snapshot to restore; nothing is stored and the leader is not answered yet.
    expect(actions).toContainEqual({
      type: 'restore',
      snapshot: { metadata: { index: 5, term: 1, membership }, data },
      confirm: true,
    });
    expect(responses(actions)).toEqual([]);
    expect(log.snapshot()).toBeNull();
    expect(node.appliedIndex()).toBe(0);
    // A resent chunk meanwhile is not answered (the result will be).
    expect(responses(node.step({ type: 'message', message: chunk() }))).toEqual([]);

    const done = node.step({ type: 'restore-result', index: 5, ok: true });
    expect(responses(done)).toMatchObject([{ done: true, reject: false, snapshotIndex: 5 }]);
    expect(done.some((a) => a.type === 'restore')).toBe(false);
    expect(log.snapshot()?.metadata.index).toBe(5);
    expect([node.commitIndex(), node.appliedIndex()]).toEqual([5, 5]);
  });

  it('confirmRestore: a snapshot the state machine refuses is rejected; the log and the applied index are as before', () => {
    const { node, log } = follower(true);
    node.step({ type: 'message', message: chunk() });
    const failed = node.step({ type: 'restore-result', index: 5, ok: false });
    expect(responses(failed)).toMatchObject([{ done: false, reject: true }]);
    expect(log.snapshot()).toBeNull();
    expect([node.commitIndex(), node.appliedIndex(), node.lastIndex()]).toEqual([0, 0, 0]);
    // A result for a snapshot not being restored changes nothing.
    expect(node.step({ type: 'restore-result', index: 5, ok: true })).toEqual([]);
    expect(log.snapshot()).toBeNull();
  });

  it('confirmRestore: nothing is applied while the driver restores (its state machine is in flux)', () => {
    // init: the follower holds entries 1..2 uncommitted from the leader of term 1
    const { node } = follower(true);
    node.step({
      type: 'message',
      message: {
        type: 'append-entries',
        from: 2,
        to: 1,
        term: 1,
        prevLogIndex: 0,
        prevLogTerm: 0,
        entries: [entry(1), entry(2)],
        commit: 0,
      },
    });
    // act: a snapshot at 5 is being restored when a heartbeat says 2 is committed
    node.step({ type: 'message', message: chunk() });
    const hb = node.step({
      type: 'message',
      message: { type: 'heartbeat', from: 2, to: 1, term: 1, commit: 2, context: 0 },
    });
    // check: no apply of 1 or 2 onto the state machine being replaced
    expect(hb.filter((a) => a.type === 'apply')).toEqual([]);
    node.step({ type: 'restore-result', index: 5, ok: true });
    expect(node.appliedIndex()).toBe(5);
  });

  it('confirmRestore: no read is released while the driver restores; after it, at once', () => {
    // init: the follower applied 1..2 from the leader of term 1 and forwarded a read.
    const { node } = follower(true);
    node.step({ type: 'message', message: appendEntries({ entries: [entry(1), entry(2)], commit: 2 }) });
    expect(node.appliedIndex()).toBe(2);
    node.step({ type: 'read', id: 'r' });
    // act: a snapshot at 5 is being restored when the leader confirms the read at index 1
    node.step({ type: 'message', message: chunk() });
    const answer = node.step({
      type: 'message',
      message: { type: 'read-index-response', from: 2, to: 1, term: 1, id: 'r', index: 1, ok: true },
    });
    // check: held (the state machine being replaced cannot answer), released by the restore.
    expect(answer.filter((a) => a.type === 'read-ready')).toEqual([]);
    const restored = node.step({ type: 'restore-result', index: 5, ok: true });
    expect(restored.filter((a) => a.type === 'read-ready')).toEqual([
      { type: 'read-ready', id: 'r', index: 1 },
    ]);
  });

  it('a snapshot at or below the commit index is acknowledged as held, and nothing is installed', () => {
    // init: the follower holds and committed entries 1..5 of term 1.
    const { node, log } = follower(false);
    const entries = [1, 2, 3, 4, 5].map(entry);
    node.step({ type: 'message', message: appendEntries({ entries, commit: 5 }) });
    // act: a (stale) snapshot at 5 arrives.
    const out = node.step({ type: 'message', message: chunk() });
    // check
    expect(responses(out)).toMatchObject([{ done: true, reject: false, snapshotIndex: 5 }]);
    expect(out.some((a) => a.type === 'restore')).toBe(false);
    expect(log.snapshot()).toBeNull();
    expect(node.lastIndex()).toBe(5);
    expect(responses(out)).toMatchObject([{ offset: 0 }]);
  });

  it('a snapshot older than one the follower holds is acknowledged and never installed (no roll-back)', () => {
    // init: the follower installed a snapshot at 5 (term 1).
    const { node, log } = follower(false);
    node.step({ type: 'message', message: chunk() });
    expect(log.snapshot()?.metadata.index).toBe(5);
    // act: a delayed copy of an older snapshot, at 3, arrives.
    const older = new Uint8Array([1, 2, 3]);
    const out = node.step({
      type: 'message',
      message: chunk({ metadata: { index: 3, term: 1, membership, checksum: crc32c(older) }, data: older }),
    });
    // check: held already; the snapshot at 5 stays, nothing is restored.
    expect(responses(out)).toMatchObject([{ done: true, reject: false, snapshotIndex: 3, offset: 0 }]);
    expect(out.some((a) => a.type === 'restore')).toBe(false);
    expect([log.snapshot()?.metadata.index, node.commitIndex(), node.appliedIndex()]).toEqual([5, 5, 5]);
  });

  it('confirmRestore: a malformed restore-result is refused; one for another index changes nothing', () => {
    const { node, log } = follower(true);
    node.step({ type: 'message', message: chunk() });
    for (const bad of [
      { index: 5.5, ok: true },
      { index: 5, ok: 'yes' },
    ]) {
      expect(() => node.step({ type: 'restore-result', ...(bad as { index: number; ok: boolean }) })).toThrow(
        'restore-result needs an integer index and a boolean ok',
      );
    }
    expect(node.step({ type: 'restore-result', index: 4, ok: true })).toEqual([]);
    expect(log.snapshot()).toBeNull();
    // A resent chunk while restoring is not answered and restores nothing new.
    expect(node.step({ type: 'message', message: chunk() })).toEqual([]);
    expect(responses(node.step({ type: 'restore-result', index: 5, ok: true }))).toMatchObject([
      { done: true },
    ]);
  });

  it('a snapshot that removes this node from the membership reports it removed; one that lists it does not', () => {
    const { node } = follower(false);
    const out = node.step({
      type: 'message',
      message: chunk({
        metadata: {
          index: 5,
          term: 1,
          membership: { voters: [2, 3], learners: [], outgoingVoters: [] },
          checksum: crc32c(data),
        },
      }),
    });
    expect(out).toContainEqual({
      type: 'membership',
      index: 5,
      term: 1,
      membership: { voters: [2, 3], learners: [], outgoingVoters: [] },
    });
    expect(node.status().removed).toBe(true);
    const kept = follower(false).node;
    kept.step({ type: 'message', message: chunk() });
    expect(kept.status().removed).toBe(false);
    // A node that joins (listed by no membership yet) is not removed by a snapshot that does
    // not list it either: it waits for the membership that adds it.
    const joining = new RaftNode({ id: 4, voters: [] }, new MemoryLog());
    joining.step({ type: 'message', message: chunk({ to: 4 }) });
    expect([joining.lastIndex(), joining.status().removed]).toEqual([5, false]);
  });

  it('a snapshot whose last entry the follower holds commits it: nothing restored, the entries after it kept and applied', () => {
    // init: entries 1..7 of term 1, committed and applied through 2.
    const { node, log } = follower(false);
    const entries = [1, 2, 3, 4, 5, 6, 7].map(entry);
    node.step({ type: 'message', message: appendEntries({ entries, commit: 2 }) });
    expect(node.appliedIndex()).toBe(2);
    // act: the leader's snapshot at 5 (term 1) arrives.
    const out = node.step({ type: 'message', message: chunk() });
    // check: 3..5 applied from the log, in order; the log keeps 6 and 7; no restore, no snapshot stored.
    expect(out.filter((a) => a.type === 'apply').map((a) => (a.type === 'apply' ? a.index : 0))).toEqual([
      3, 4, 5,
    ]);
    expect(out.some((a) => a.type === 'restore' || a.type === 'write-snapshot-chunk')).toBe(false);
    expect([node.commitIndex(), node.appliedIndex(), node.lastIndex(), log.snapshot()]).toEqual([
      5,
      5,
      7,
      null,
    ]);
    expect(responses(out)).toMatchObject([{ done: true, reject: false, snapshotIndex: 5 }]);
  });

  it("confirmRestore: the log meanwhile holding the snapshot's last entry does not make the restored entries apply again", () => {
    // init: a restore of the snapshot at 5 is under way.
    const { node } = follower(true);
    node.step({ type: 'message', message: chunk() });
    // act: the leader sends entries 1..7 meanwhile (the follower takes them), then the restore succeeds.
    const entries = [1, 2, 3, 4, 5, 6, 7].map(entry);
    node.step({ type: 'message', message: appendEntries({ entries, commit: 0 }) });
    const done = node.step({ type: 'restore-result', index: 5, ok: true });
    // check: applied through 5 by the restore; only 6 and 7 are applied from the log, once committed.
    expect(done.filter((a) => a.type === 'apply')).toEqual([]);
    expect([node.commitIndex(), node.appliedIndex(), node.lastIndex()]).toEqual([5, 5, 7]);
    const later = node.step({
      type: 'message',
      message: appendEntries({ prevLogIndex: 7, prevLogTerm: 1, commit: 7 }),
    });
    expect(later.filter((a) => a.type === 'apply').map((a) => (a.type === 'apply' ? a.index : 0))).toEqual([
      6, 7,
    ]);
  });
});
