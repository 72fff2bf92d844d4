/**
 * The follower's chunk assembler on its own (issue 20: its rules were only exercised through
 * whole transfers, so a wrong "same transfer" test or an off-by-one limit survived): which
 * chunk continues the transfer in progress, the size limit at its boundary, the checksum,
 * the idle drop, and the streaming mode's chunks and checksum. And the leader's check that a
 * snapshot is still being sent to someone.
 */
import { describe, expect, it } from 'vitest';
import { crc32c } from '../src/crc32c.js';
import { LeaderState } from '../src/leader-state.js';
import type { InstallSnapshotMessage } from '../src/messages.js';
import { SnapshotReceiver } from '../src/snapshot-receiver.js';
import type { Snapshot, SnapshotMetadata } from '../src/types.js';

const membership = { voters: [1, 2], learners: [], outgoingVoters: [] };
const BYTES = Uint8Array.from({ length: 10 }, (_, i) => i + 1);
const meta = (extra: Partial<SnapshotMetadata> = {}): SnapshotMetadata => ({
  index: 7,
  term: 2,
  membership,
  checksum: crc32c(BYTES),
  ...extra,
});

function chunk(
  offset: number,
  end: number,
  over: Partial<InstallSnapshotMessage> = {},
): InstallSnapshotMessage {
  return {
    type: 'install-snapshot',
    from: 1,
    to: 2,
    term: 3,
    metadata: meta(),
    offset,
    data: BYTES.subarray(offset, end),
    done: end >= BYTES.length,
    ...over,
  };
}

describe('SnapshotReceiver', () => {
  it('keeps a copy of each chunk: a transport that reuses its buffer cannot change what was received', () => {
    const r = new SnapshotReceiver(1024, 10);
    const buffer = BYTES.slice(0, 4);
    expect(r.accept(chunk(0, 4, { data: buffer }))).toEqual({ kind: 'next', offset: 4 });
    buffer.fill(0);
    const done = r.accept(chunk(4, 10));
    expect(done.kind).toBe('complete');
    if (done.kind === 'complete') expect(done.snapshot?.data).toEqual(BYTES);
  });

  it('assembles chunks in order into the leader’s bytes, checksum checked and not stored', () => {
    const r = new SnapshotReceiver(1024, 10);
    expect(r.accept(chunk(0, 4))).toEqual({ kind: 'next', offset: 4 });
    expect(r.bytes()).toBe(4);
    const done = r.accept(chunk(4, 10));
    expect(done.kind).toBe('complete');
    if (done.kind !== 'complete') return;
    expect(done.offset).toBe(10);
    expect([...done.snapshot.data]).toEqual([...BYTES]);
    expect(done.snapshot.metadata).toEqual({ index: 7, term: 2, membership });
    expect(r.bytes()).toBe(0);
  });

  it('keeps its own copy of each chunk (the transport may reuse its buffer)', () => {
    const r = new SnapshotReceiver(1024, 10);
    const buffer = BYTES.slice(0, 4);
    r.accept(chunk(0, 4, { data: buffer }));
    buffer.fill(0);
    const done = r.accept(chunk(4, 10));
    expect(done.kind === 'complete' && [...done.snapshot.data]).toEqual([...BYTES]);
  });

  it('a chunk out of order is answered with the offset wanted, and changes nothing', () => {
    const r = new SnapshotReceiver(1024, 10);
    r.accept(chunk(0, 4));
    expect(r.accept(chunk(6, 8))).toEqual({ kind: 'next', offset: 4 });
    expect(r.accept(chunk(0, 4))).toEqual({ kind: 'next', offset: 4 }); // a duplicate
    expect(r.accept(chunk(4, 10)).kind).toBe('complete');
  });

  it.each([
    ['another term', { term: 4 }],
    ['another leader', { from: 3 }],
    ['another snapshot index', { metadata: meta({ index: 8 }) }],
    ['another snapshot term', { metadata: meta({ term: 1 }) }],
  ] as const)('a later chunk of %s does not continue the transfer in progress', (_, over) => {
    const r = new SnapshotReceiver(1024, 10);
    r.accept(chunk(0, 4));
    expect(r.accept(chunk(4, 6, over))).toEqual({ kind: 'next', offset: 0 });
    expect(r.bytes()).toBe(4);
    expect(r.accept(chunk(4, 10)).kind).toBe('complete');
  });

  it('the first chunk of another snapshot starts over', () => {
    const r = new SnapshotReceiver(1024, 10);
    r.accept(chunk(0, 4));
    expect(r.accept(chunk(0, 2, { from: 3 }))).toEqual({ kind: 'next', offset: 2 });
    expect(r.bytes()).toBe(2);
  });

  it('accepts a snapshot of exactly maxBytes and refuses one byte more', () => {
    expect(new SnapshotReceiver(10, 10).accept(chunk(0, 10)).kind).toBe('complete');
    const r = new SnapshotReceiver(9, 10);
    expect(r.accept(chunk(0, 5))).toEqual({ kind: 'next', offset: 5 });
    expect(r.accept(chunk(5, 10))).toEqual({ kind: 'too-large' });
    expect(r.bytes()).toBe(0);
  });

  it('refuses bytes that do not match the checksum, and takes a snapshot sent without one', () => {
    const r = new SnapshotReceiver(1024, 10);
    expect(r.accept(chunk(0, 10, { metadata: meta({ checksum: 1 }) }))).toEqual({ kind: 'corrupt' });
    const plain = r.accept(chunk(0, 10, { metadata: meta({ checksum: undefined }) }));
    expect(plain.kind).toBe('complete');
  });

  it('drops a partial snapshot after idleTicks silent ticks, not before', () => {
    const r = new SnapshotReceiver(1024, 3);
    r.accept(chunk(0, 4));
    r.tick();
    r.tick();
    expect(r.accept(chunk(4, 6))).toEqual({ kind: 'next', offset: 6 }); // a chunk resets the count
    r.tick();
    r.tick();
    r.tick();
    expect(r.bytes()).toBe(0);
    expect(r.accept(chunk(6, 10))).toEqual({ kind: 'next', offset: 0 });
  });

  it('streaming: hands each chunk on, keeps no bytes, and needs the leader’s checksum', () => {
    const r = new SnapshotReceiver(1024, 10, true);
    // the first chunk is handed on even when empty (the driver starts its file)
    expect(r.accept(chunk(0, 0, { data: new Uint8Array(0) }))).toEqual({
      kind: 'next',
      offset: 0,
      chunk: { offset: 0, data: new Uint8Array(0) },
    });
    const first = r.accept(chunk(0, 4));
    expect(first).toMatchObject({ kind: 'next', offset: 4, chunk: { offset: 0 } });
    // an empty chunk later gives the driver nothing to write
    expect(r.accept(chunk(4, 4, { data: new Uint8Array(0), done: false }))).toEqual({
      kind: 'next',
      offset: 4,
    });
    const done = r.accept(chunk(4, 10));
    expect(done).toMatchObject({ kind: 'complete', offset: 10, chunk: { offset: 4 } });
    if (done.kind !== 'complete') return;
    expect(done.snapshot.data.length).toBe(0);
    expect(done.snapshot.metadata).toMatchObject({ bytes: 10, checksum: crc32c(BYTES) });
    // without the checksum the driver's file could not be checked later: refused
    const r2 = new SnapshotReceiver(1024, 10, true);
    expect(r2.accept(chunk(0, 10, { metadata: meta({ checksum: undefined }) }))).toMatchObject({
      kind: 'corrupt',
    });
    const r3 = new SnapshotReceiver(1024, 10, true);
    expect(r3.accept(chunk(0, 10, { metadata: meta({ checksum: 5 }) }))).toMatchObject({ kind: 'corrupt' });
  });
});

describe('LeaderState.snapshotInUse', () => {
  it('is true only while another follower is in the snapshot state with that very snapshot', () => {
    const ls = new LeaderState(4, 0);
    const a = ls.track(2, 1);
    const b = ls.track(3, 1);
    const s: Snapshot = { metadata: meta(), data: BYTES };
    const other: Snapshot = { metadata: meta({ index: 9 }), data: BYTES };
    expect(ls.snapshotInUse(s)).toBe(false);
    a.becomeSnapshot(s);
    expect(ls.snapshotInUse(s)).toBe(true);
    expect(ls.snapshotInUse(s, a)).toBe(false);
    expect(ls.snapshotInUse(s, b)).toBe(true);
    expect(ls.snapshotInUse(other)).toBe(false);
    a.state = 'replicate'; // the snapshot field alone does not count
    expect(ls.snapshotInUse(s)).toBe(false);
  });
});
