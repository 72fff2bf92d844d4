/**
 * `LocalDurability` and `ByteWriter` unit by unit (issue 20: both were only exercised through
 * whole nodes, and wrong bookkeeping in them survived): which index is durable while several
 * writes are outstanding, which withheld messages a report releases, which messages promise
 * durable state, and a byte buffer that grows past its first 64 bytes.
 */
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../src/byte-writer.js';
import { LocalDurability, promisesDurableState } from '../src/local-durability.js';
import type { Message } from '../src/messages.js';
import { appendEntries, heartbeat, voteRequest } from './helpers/messages.js';

const INF = Number.POSITIVE_INFINITY;

describe('LocalDurability', () => {
  it('the durable index stays below the lowest entry of every write not yet durable', () => {
    const d = new LocalDurability();
    d.wrote(5); // seq 1: entries from 5
    d.wrote(3); // seq 2: entries from 3 (a truncation)
    d.wrote(INF); // seq 3: hard state only
    d.wrote(8); // seq 4: entries from 8
    expect(d.durableIndex(10, INF)).toBe(2);
    d.persisted(1);
    expect(d.durableIndex(10, INF)).toBe(2); // seq 2 (from 3) still outstanding
    d.persisted(3);
    expect(d.durableIndex(10, INF)).toBe(7); // only seq 4 (from 8) left
    expect(d.durableIndex(10, 6)).toBe(5); // the step in progress changed entries from 6
    d.persisted(4);
    expect(d.durableIndex(10, INF)).toBe(10);
    expect(d.allDurable()).toBe(true);
  });

  it('a report releases the messages withheld up to it, in order, once; an old report releases nothing', () => {
    const d = new LocalDurability();
    const m = (i: number): Message => heartbeat({ commit: i });
    d.wrote(1);
    d.withhold(m(1));
    d.withhold(m(2));
    d.wrote(2);
    d.withhold(m(3));
    expect(d.withheldCount).toBe(3);
    expect(d.persisted(1)).toEqual([m(1), m(2)]);
    expect(d.withheldCount).toBe(1);
    expect(d.persisted(1)).toEqual([]);
    expect(d.allDurable()).toBe(false);
    expect(d.persisted(2)).toEqual([m(3)]);
    expect(d.withheldCount).toBe(0);
  });

  it('promisesDurableState: a real vote grant, a successful append, a finished snapshot; nothing else', () => {
    const answer = (over: Record<string, unknown>): Message =>
      ({
        type: 'request-vote-response',
        from: 1,
        to: 2,
        term: 1,
        preVote: false,
        granted: true,
        ...over,
      }) as Message;
    expect(promisesDurableState(answer({}))).toBe(true);
    expect(promisesDurableState(answer({ preVote: true }))).toBe(false);
    expect(promisesDurableState(answer({ granted: false }))).toBe(false);
    const ack = (success: boolean): Message => ({
      type: 'append-entries-response',
      from: 1,
      to: 2,
      term: 1,
      success,
      index: 1,
      hintIndex: 0,
      hintTerm: 0,
    });
    expect(promisesDurableState(ack(true))).toBe(true);
    expect(promisesDurableState(ack(false))).toBe(false);
    const snap = (done: boolean): Message => ({
      type: 'install-snapshot-response',
      from: 1,
      to: 2,
      term: 1,
      snapshotIndex: 5,
      offset: 0,
      done,
      reject: false,
    });
    expect(promisesDurableState(snap(true))).toBe(true);
    expect(promisesDurableState(snap(false))).toBe(false);
    for (const other of [heartbeat(), voteRequest(), appendEntries()])
      expect(promisesDurableState(other)).toBe(false);
  });
});

describe('ByteWriter', () => {
  it('grows past its first buffer by as much as one write needs, and keeps what was written', () => {
    const w = new ByteWriter();
    w.u8(7);
    const big = new Uint8Array(300).map((_, i) => i % 251);
    w.bytes(big); // 301 bytes: past 64, 128 and 256 at once
    w.u32(0xdeadbeef);
    w.u53(2 ** 40 + 5);
    w.f64(-1.5);
    w.ascii('ok');
    const out = w.finish();
    expect(w.length).toBe(1 + 300 + 4 + 8 + 8 + 2);
    expect(out.length).toBe(w.length);
    const view = new DataView(out.buffer, out.byteOffset, out.length);
    expect(out[0]).toBe(7);
    expect(out.subarray(1, 301)).toEqual(big);
    expect(view.getUint32(301)).toBe(0xdeadbeef);
    expect(view.getUint32(305) * 2 ** 32 + view.getUint32(309)).toBe(2 ** 40 + 5);
    expect(view.getFloat64(313)).toBe(-1.5);
    expect(new TextDecoder().decode(out.subarray(321))).toBe('ok');
  });

  it('fills its buffer exactly before growing', () => {
    const w = new ByteWriter();
    w.bytes(new Uint8Array(64).fill(1));
    w.u8(2);
    expect(w.finish()).toEqual(new Uint8Array([...new Uint8Array(64).fill(1), 2]));
  });
});
