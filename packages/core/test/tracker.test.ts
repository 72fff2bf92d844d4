/**
 * The leader's per-follower bookkeeping unit by unit (issue 20: the window and the progress
 * transitions were only ever checked through convergence, so wrong arithmetic survived):
 * the in-flight window by count and by bytes, its memory bound, and each `Progress`
 * transition's `next`, `match` and pause.
 */
import { describe, expect, it } from 'vitest';
import { Inflights } from '../src/tracker/inflights.js';
import { Progress } from '../src/tracker/progress.js';
import type { Snapshot } from '../src/types.js';

const snapshotAt = (index: number): Snapshot => ({
  metadata: { index, term: 1, membership: { voters: [1, 2], learners: [], outgoingVoters: [] } },
  data: new Uint8Array(0),
});

describe('Inflights', () => {
  it('is full at maxCount messages and frees every message up to an acknowledged index', () => {
    const w = new Inflights(3, 0);
    w.add(1, 10);
    w.add(2, 10);
    expect(w.full()).toBe(false);
    w.add(3, 10);
    expect(w.full()).toBe(true);
    w.freeLE(2);
    expect(w.count).toBe(1);
    expect(w.bytesInFlight).toBe(10);
    expect(w.full()).toBe(false);
  });

  it('is full once the bytes held reach maxBytes, and frees their bytes on acknowledgement', () => {
    const w = new Inflights(100, 100);
    w.add(1, 60);
    expect(w.full()).toBe(false);
    w.add(2, 40);
    expect(w.bytesInFlight).toBe(100);
    expect(w.full()).toBe(true); // at the limit, not only beyond it
    w.freeLE(1);
    expect(w.bytesInFlight).toBe(40);
    expect(w.full()).toBe(false);
  });

  it('with maxBytes 0 has no byte limit', () => {
    const w = new Inflights(10, 0);
    w.add(1, 1 << 30);
    expect(w.full()).toBe(false);
  });

  it('freeFirst frees the oldest message only, and nothing when empty', () => {
    const w = new Inflights(10, 0);
    w.freeFirst();
    expect(w.count).toBe(0);
    w.add(5, 7);
    w.add(9, 3);
    w.freeFirst();
    expect(w.count).toBe(1);
    expect(w.bytesInFlight).toBe(3);
  });

  it('reset empties the window and its bytes; later messages are counted afresh', () => {
    const w = new Inflights(10, 50);
    w.add(1, 30);
    w.add(2, 30);
    w.reset();
    expect(w.count).toBe(0);
    expect(w.bytesInFlight).toBe(0);
    w.add(3, 20);
    w.freeLE(3);
    expect(w.bytesInFlight).toBe(0);
    w.add(4, 49);
    expect(w.full()).toBe(false);
  });

  it('keeps its memory bounded under a long stream of sends and acknowledgements', () => {
    const w = new Inflights(8, 0);
    const size = (i: number) => (i % 7) + 1;
    for (let i = 1; i <= 10_000; i++) {
      w.add(i, size(i));
      if (i > 4) w.freeLE(i - 4);
    }
    expect(w.count).toBe(4);
    // the sizes stay with their messages through every compaction
    expect(w.bytesInFlight).toBe(size(9_997) + size(9_998) + size(9_999) + size(10_000));
    expect(w.storedSlots).toBeLessThanOrEqual(2 * w.count + 65);
  });

  it('compacts exactly when more than 64 slots are freed and they are more than half', () => {
    const w = new Inflights(1000, 0);
    for (let i = 1; i <= 100; i++) w.add(i, 1);
    w.freeLE(64);
    expect([w.count, w.storedSlots]).toEqual([36, 100]); // 64 freed: not more than 64
    w.freeLE(65);
    expect([w.count, w.storedSlots]).toEqual([35, 35]); // 65 freed of 100: compacted
    const half = new Inflights(1000, 0);
    for (let i = 1; i <= 130; i++) half.add(i, 1);
    half.freeLE(65);
    expect([half.count, half.storedSlots]).toEqual([65, 130]); // 65 freed of 130: not more than half
    half.freeLE(66);
    expect([half.count, half.storedSlots]).toEqual([64, 64]);
    expect(half.bytesInFlight).toBe(64);
  });
});

describe('Progress', () => {
  it('starts probing, inactive, with no snapshot', () => {
    const pr = new Progress(7, 4, 0);
    expect(pr).toMatchObject({ state: 'probe', next: 7, match: 0, recentActive: false, probeSent: false });
    expect(pr.snapshotIndex).toBe(0);
  });

  it('an acknowledgement moves match and next only forward and unpauses a probe', () => {
    const pr = new Progress(1, 4, 0);
    pr.probeSent = true;
    expect(pr.isPaused()).toBe(true);
    expect(pr.maybeUpdate(5)).toBe(true);
    expect(pr).toMatchObject({ match: 5, next: 6 });
    expect(pr.isPaused()).toBe(false);
    // the same index again, or an older one, is no news
    expect(pr.maybeUpdate(5)).toBe(false);
    expect(pr.maybeUpdate(3)).toBe(false);
    expect(pr).toMatchObject({ match: 5, next: 6 });
  });

  it('becomeProbe resumes right after the match, or after a snapshot being sent', () => {
    const pr = new Progress(1, 4, 0);
    pr.maybeUpdate(3);
    pr.next = 9;
    pr.becomeProbe();
    expect(pr.next).toBe(4);
    pr.becomeSnapshot(snapshotAt(10));
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect(pr).toMatchObject({ state: 'probe', next: 11, snapshot: null });
    // a match beyond the snapshot wins
    pr.becomeSnapshot(snapshotAt(10));
    pr.maybeUpdate(15);
    pr.becomeProbe();
    expect(pr.next).toBe(16);
  });

  it('in replicate, a rejection past the match sends next back to match + 1; one at or below it is stale', () => {
    const pr = new Progress(1, 4, 0);
    pr.maybeUpdate(5);
    pr.becomeReplicate();
    pr.next = 10;
    expect(pr.maybeDecrease(5, 0)).toBe(false);
    expect(pr.next).toBe(10);
    expect(pr.maybeDecrease(8, 3)).toBe(true);
    expect(pr.next).toBe(6);
  });

  it('in probe, only the rejection of the append in flight counts, and next follows the hint', () => {
    const pr = new Progress(10, 4, 0);
    pr.maybeUpdate(2);
    pr.next = 10;
    pr.probeSent = true;
    expect(pr.maybeDecrease(7, 1)).toBe(false); // not the append at next - 1
    expect(pr).toMatchObject({ next: 10, probeSent: true });
    expect(pr.maybeDecrease(9, 4)).toBe(true);
    expect(pr).toMatchObject({ next: 5, probeSent: false });
    // a hint below the match never takes next below match + 1
    pr.next = 5;
    expect(pr.maybeDecrease(4, 0)).toBe(true);
    expect(pr.next).toBe(3);
  });

  it('a full window pauses replicate; probe pauses while an append is unanswered; snapshot always', () => {
    const pr = new Progress(1, 2, 0);
    pr.becomeReplicate();
    pr.inflights.add(1, 1);
    expect(pr.isPaused()).toBe(false);
    pr.inflights.add(2, 1);
    expect(pr.isPaused()).toBe(true);
    pr.becomeProbe();
    expect(pr.inflights.count).toBe(0);
    expect(pr.isPaused()).toBe(false);
  });
});
