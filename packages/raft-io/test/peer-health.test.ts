/**
 * `PeerHealthMonitor` on hand-made progress, step by step: when each event fires and when it
 * does not (thresholds, hysteresis, a transfer replaced by a newer one, leadership lost, a
 * removed peer), the options' checks, and the labelled metrics it keeps and removes.
 */
import { describe, expect, it } from 'vitest';
import {
  type HealthInput,
  InvalidConfigError,
  PEER_METRIC_NAMES as P,
  type PeerHealthEvent,
  PeerHealthMonitor,
  type ProgressStatus,
  resolveHealthOptions,
} from '../src/index.js';
import { MetricsRecorder } from './helpers/metrics-recorder.js';

const MEMBERSHIP = { voters: [1, 2, 3], learners: [4], outgoingVoters: [] };

function progress(over: Partial<ProgressStatus> = {}): ProgressStatus {
  return { match: 100, next: 101, state: 'replicate', inflight: 0, silentTicks: 0, leaving: false, ...over };
}

function input(
  lastIndex: number,
  peers: Record<number, ProgressStatus> | undefined,
  bytesPerEntry = 10,
): HealthInput {
  return {
    progress: peers,
    lastIndex,
    membership: MEMBERSHIP,
    address: (id) => `127.0.0.1:700${id}`,
    bytesBetween: (from, to) => Math.max(0, to - from) * bytesPerEntry,
  };
}

function monitor(metrics = new MetricsRecorder()) {
  const options = resolveHealthOptions({ laggingEntries: 100, laggingBytes: 5000 }, 10);
  return { m: new PeerHealthMonitor(options, metrics, 0), metrics };
}

const types = (events: PeerHealthEvent[]) => events.map((e) => `${e.type}:${e.peer.id}`);

describe('PeerHealthMonitor', () => {
  it('reports a peer unreachable once it is silent for unreachableAfterTicks, and recovered at its next answer', () => {
    const { m } = monitor();
    // init: both peers answer.
    expect(m.update(input(100, { 2: progress(), 3: progress() }), true, 1, 0)).toEqual([]);
    // act / check: one tick short of the threshold is still reachable.
    expect(m.update(input(100, { 2: progress({ silentTicks: 9 }), 3: progress() }), true, 1, 90)).toEqual([]);
    const down = m.update(input(100, { 2: progress({ silentTicks: 10 }), 3: progress() }), true, 1, 100);
    expect(types(down)).toEqual(['peer-unreachable:2']);
    expect(down[0]!.peer).toMatchObject({
      reachable: false,
      silentTicks: 10,
      role: 'voter',
      address: '127.0.0.1:7002',
    });
    // Still silent: no second event.
    expect(m.update(input(100, { 2: progress({ silentTicks: 30 }), 3: progress() }), true, 1, 300)).toEqual(
      [],
    );
    const up = m.update(input(100, { 2: progress({ silentTicks: 0 }), 3: progress() }), true, 1, 350);
    expect(types(up)).toEqual(['peer-recovered:2']);
    expect(up[0]).toMatchObject({ downMs: 250 });
  });

  it('reports lagging beyond either threshold and caught up only under half of both (no flapping at the threshold)', () => {
    const { m } = monitor();
    m.update(input(100, { 2: progress() }), true, 1, 0);
    // 100 entries behind is at the threshold, not over it.
    expect(m.update(input(200, { 2: progress() }), true, 1, 1)).toEqual([]);
    expect(types(m.update(input(201, { 2: progress() }), true, 1, 2))).toEqual(['peer-lagging:2']);
    // Back under the threshold but not under half of it: still lagging.
    expect(m.update(input(190, { 2: progress() }), true, 1, 3)).toEqual([]);
    expect(types(m.update(input(150, { 2: progress() }), true, 1, 4))).toEqual(['peer-caught-up:2']);
    // By bytes: 60 entries of 100 bytes is over 5000 bytes.
    expect(types(m.update(input(160, { 2: progress() }, 100), true, 1, 5))).toEqual(['peer-lagging:2']);
    expect(m.peers(input(160, { 2: progress() }, 100), 5)[0]).toMatchObject({
      lagEntries: 60,
      lagBytes: 6000,
      lagging: true,
    });
  });

  it('does not call a peer lagging before a new leader has heard where its log ends (probe, match 0)', () => {
    const { m, metrics } = monitor();
    // A leader elected on 3,500 entries starts every peer at match 0, probing.
    const unknown = progress({ match: 0, next: 3501, state: 'probe' });
    expect(m.update(input(3500, { 2: unknown, 3: unknown }), true, 1, 0)).toEqual([]);
    expect(metrics.counterOf(P.lagging, { peer: '2' }) ?? 0).toBe(0);
    // Peer 2 answers: it holds everything. Peer 3 answers too: it is truly 2,000 behind.
    const answered = m.update(
      input(3500, { 2: progress({ match: 3500, next: 3501 }), 3: progress({ match: 1500, next: 1501 }) }),
      true,
      1,
      10,
    );
    expect(types(answered)).toEqual(['peer-lagging:3']);
  });

  it('reports a snapshot transfer when it starts and how it ended: installed, or abandoned when replaced or when leadership is lost', () => {
    const { m, metrics } = monitor();
    const sending = (index: number, offset = 0) =>
      progress({ match: 10, next: 11, state: 'snapshot', snapshot: { index, offset, bytes: 4096 } });
    m.update(input(300, { 2: progress({ match: 10 }) }), true, 1, 0);
    const started = m.update(input(300, { 2: sending(200) }), true, 1, 10);
    expect(started.map((e) => e.type)).toContain('snapshot-transfer-started');
    expect(m.peers(input(300, { 2: sending(200, 1024) }), 20)[0]!.snapshot).toMatchObject({
      index: 200,
      offset: 1024,
      bytes: 4096,
    });
    // A newer snapshot replaces the transfer: the first ends abandoned, the second starts.
    const replaced = m.update(input(300, { 2: sending(250) }), true, 1, 30);
    expect(replaced.map((e) => e.type)).toEqual(['snapshot-transfer-finished', 'snapshot-transfer-started']);
    expect(replaced[0]).toMatchObject({ transfer: { index: 200, outcome: 'abandoned' } });
    const done = m.update(
      input(300, { 2: progress({ match: 250, next: 251, state: 'probe' }) }),
      true,
      1,
      80,
    );
    expect(done[0]).toMatchObject({
      type: 'snapshot-transfer-finished',
      transfer: { index: 250, outcome: 'installed', durationMs: 50 },
    });
    expect(metrics.counterOf(P.snapshotTransfers, { peer: '2', outcome: 'installed' })).toBe(1);
    expect(metrics.counterOf(P.snapshotTransfers, { peer: '2', outcome: 'abandoned' })).toBe(1);
    // Leadership lost in the middle of a transfer: it ends abandoned.
    m.update(input(300, { 2: sending(300) }), true, 1, 90);
    const lost = m.update(input(300, undefined), false, null, 100);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({
      type: 'snapshot-transfer-finished',
      transfer: { index: 300, outcome: 'abandoned' },
    });
  });

  it('keeps one labelled series per peer and removes a peer’s series when it leaves or this node stops leading', () => {
    const { m, metrics } = monitor();
    m.update(
      input(100, { 2: progress(), 3: progress({ silentTicks: 12, match: 40 }), 4: progress() }),
      true,
      1,
      0,
    );
    expect(metrics.gaugeOf(P.reachable, { peer: '2' })).toBe(1);
    expect(metrics.gaugeOf(P.reachable, { peer: '3' })).toBe(0);
    expect(metrics.gaugeOf(P.lagEntries, { peer: '3' })).toBe(60);
    expect(metrics.gaugeOf(P.state, { peer: '3' })).toBe(1);
    expect(m.peers(input(100, { 4: progress() }), 0)[0]!.role).toBe('learner');
    // Peer 4 is gone from the progress (removed): its series go.
    m.update(input(100, { 2: progress(), 3: progress() }), true, 1, 10);
    expect(metrics.gaugeOf(P.reachable, { peer: '4' })).toBeUndefined();
    // Not the leader any more: every peer's series go; the follower's view of its leader appears.
    m.contact(2, 15);
    m.update(input(100, undefined), false, 2, 20);
    expect(metrics.gaugeOf(P.reachable, { peer: '2' })).toBeUndefined();
    expect(metrics.gaugeOf(P.leaderLastContact)).toBeCloseTo(0.005);
    expect(m.leaderContact(null, 40)).toMatchObject({ leader: 2, lastContactAgoMs: 25 });
  });

  it('refuses bad thresholds with the field named, and defaults unreachableAfterTicks to the election timeout', () => {
    expect(resolveHealthOptions(undefined, 7)).toEqual({
      unreachableAfterTicks: 7,
      laggingEntries: 1000,
      laggingBytes: 8 * 1024 * 1024,
    });
    expect(() => resolveHealthOptions({ unreachableAfterTicks: 0 }, 10)).toThrow(InvalidConfigError);
    expect(() => resolveHealthOptions({ laggingEntries: -1 }, 10)).toThrow(/health\.laggingEntries/);
  });
});
