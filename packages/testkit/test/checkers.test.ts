/**
 * Each safety checker on fabricated data: the violation it exists to catch is caught, and
 * the legitimate situations that look alike (a stale leader after a partition, a restarted
 * node re-applying, a follower truncating a conflicting tail) are not flagged.
 */
import { type Entry, type LogWrite, MemoryLog, type NodeId, type RaftLog, type Role } from '@raft-io/core';
import { describe, expect, it } from 'vitest';
import { SafetyMonitor } from '../src/checkers/index.js';

const enc = new TextEncoder();
const e = (index: number, term: number, text = `c${index}.${term}`): Entry => ({
  index,
  term,
  type: 'command',
  data: enc.encode(text),
});
const state = (role: Role, term: number, commitIndex = 0) => ({ role, term, commitIndex });

/** Write `write` to `log` the way a driver would, with the monitor watching. */
function write(m: SafetyMonitor, node: NodeId, log: RaftLog, w: LogWrite): void {
  const prior = { lastIndex: log.lastIndex(), firstIndex: log.firstIndex() };
  log.write(w);
  m.onWrite(node, w, log, prior);
}

function logWith(...entries: Entry[]): MemoryLog {
  const log = new MemoryLog();
  if (entries.length) log.write({ entries });
  return log;
}

describe('Election Safety (§5.2)', () => {
  it('flags two leaders in one term', () => {
    const m = new SafetyMonitor({ seed: 7 });
    m.endStep(1, state('leader', 2), new MemoryLog());
    m.endStep(2, state('leader', 2), new MemoryLog());
    expect(m.violations).toHaveLength(1);
    expect(m.violations[0]).toMatchObject({ property: 'election-safety', seed: 7, node: 2 });
  });

  it('allows one leader per term, and the same leader step after step', () => {
    const m = new SafetyMonitor();
    m.endStep(1, state('leader', 2), new MemoryLog());
    m.endStep(1, state('leader', 2), new MemoryLog());
    m.endStep(2, state('leader', 3), new MemoryLog());
    m.endStep(1, state('follower', 3), new MemoryLog());
    expect(m.violations).toEqual([]);
  });
});

describe('Leader Append-Only (§5.3)', () => {
  it('flags a leader truncating its own log', () => {
    const m = new SafetyMonitor();
    const log = logWith(e(1, 1), e(2, 2), e(3, 2));
    m.beginStep(1, state('leader', 2), log);
    write(m, 1, log, { truncateFrom: 3 });
    expect(m.violations.map((v) => v.property)).toEqual(['leader-append-only']);
  });

  it('flags a truncation even after the leader stepped down within its term', () => {
    const m = new SafetyMonitor();
    const log = logWith(e(1, 2), e(2, 2));
    m.beginStep(1, state('leader', 2), log);
    m.endStep(1, state('follower', 2), log);
    m.beginStep(1, state('follower', 2), log);
    write(m, 1, log, { truncateFrom: 2, entries: [e(2, 2, 'other')] });
    expect(m.violations.map((v) => v.property)).toContain('leader-append-only');
  });

  it('allows followers to truncate a conflicting tail, and a deposed leader in a new term', () => {
    const m = new SafetyMonitor();
    const follower = logWith(e(1, 1), e(2, 1));
    m.beginStep(2, state('follower', 2), follower);
    write(m, 2, follower, { truncateFrom: 2, entries: [e(2, 2)] });
    const old = logWith(e(1, 1), e(2, 2), e(3, 2));
    m.beginStep(1, state('leader', 2), old);
    m.endStep(1, state('leader', 2), old);
    m.beginStep(1, state('leader', 2), old);
    // It hears of term 3 and takes the new leader's entry 3 in the same step.
    write(m, 1, old, { hardState: { term: 3, vote: null, commit: 1 }, truncateFrom: 3, entries: [e(3, 3)] });
    expect(m.violations).toEqual([]);
  });

  it('allows a leader to compact behind a snapshot', () => {
    const m = new SafetyMonitor();
    const log = logWith(e(1, 1), e(2, 1), e(3, 1));
    m.beginStep(1, state('leader', 1), log);
    write(m, 1, log, { compact: { index: 2, term: 1 } });
    expect(m.violations).toEqual([]);
  });
});

describe('Log Matching (§5.3)', () => {
  it('flags one (index, term) holding different commands on two nodes', () => {
    const m = new SafetyMonitor();
    write(m, 1, new MemoryLog(), { entries: [e(1, 1, 'put x 1')] });
    write(m, 2, new MemoryLog(), { entries: [e(1, 1, 'put x 2')] });
    expect(m.violations.map((v) => v.property)).toEqual(['log-matching']);
  });

  it('flags logs that differ before a shared (index, term)', () => {
    const m = new SafetyMonitor();
    write(m, 1, new MemoryLog(), { entries: [e(1, 1), e(2, 3)] });
    write(m, 2, new MemoryLog(), { entries: [e(1, 2), e(2, 3, 'c2.3')] });
    expect(m.violations.map((v) => v.property)).toContain('log-matching');
    expect(m.violations.at(-1)!.detail).toContain('follows term 2');
  });

  it('flags terms going down within a log', () => {
    const m = new SafetyMonitor();
    write(m, 1, new MemoryLog(), { entries: [e(1, 3), e(2, 2)] });
    expect(m.violations.map((v) => v.property)).toEqual(['log-matching']);
  });

  it('accepts the same entries on every node, written in different batches', () => {
    const m = new SafetyMonitor();
    const a = new MemoryLog();
    const b = new MemoryLog();
    write(m, 1, a, { entries: [e(1, 1), e(2, 1), e(3, 2)] });
    write(m, 2, b, { entries: [e(1, 1)] });
    write(m, 2, b, { entries: [e(2, 1), e(3, 2)] });
    expect(m.violations).toEqual([]);
  });

  it('checks a restarted log wholesale', () => {
    const m = new SafetyMonitor();
    write(m, 1, new MemoryLog(), { entries: [e(1, 1, 'a')] });
    m.onRestart(2, 2, logWith(e(1, 1, 'b')));
    expect(m.violations.map((v) => v.property)).toEqual(['log-matching']);
  });
});

describe('Leader Completeness (§5.4)', () => {
  it('flags a new leader that lacks an entry committed in an earlier term', () => {
    const m = new SafetyMonitor();
    const a = logWith(e(1, 1), e(2, 1));
    m.endStep(1, state('leader', 1, 2), a);
    const b = logWith(e(1, 1));
    m.endStep(2, state('leader', 2, 1), b);
    expect(m.violations.map((v) => v.property)).toEqual(['leader-completeness']);
    expect(m.violations[0]!.detail).toContain('lacks entry 2/1');
  });

  it('flags a commit by an earlier term that a current later leader lacks', () => {
    const m = new SafetyMonitor();
    m.endStep(2, state('leader', 3), logWith(e(1, 1)));
    // A follower that learned in term 2 that entry 2/2 is committed: leader of term 3 must have it.
    m.endStep(1, state('follower', 2, 2), logWith(e(1, 1), e(2, 2)));
    expect(m.violations.map((v) => v.property)).toEqual(['leader-completeness']);
  });

  it('does not flag a stale leader of a lower term (Figure 8)', () => {
    const m = new SafetyMonitor();
    // S5 leads term 3 with 2/3; later S1 in term 4 commits 2/2 (through 3/4).
    const s5 = logWith(e(1, 1), e(2, 3));
    m.endStep(5, state('leader', 3, 1), s5);
    m.endStep(1, state('leader', 4, 3), logWith(e(1, 1), e(2, 2), e(3, 4)));
    expect(m.violations).toEqual([]);
  });

  it('flags two different entries committed at one index', () => {
    const m = new SafetyMonitor();
    m.endStep(1, state('follower', 1, 1), logWith(e(1, 1)));
    m.endStep(2, state('follower', 2, 1), logWith(e(1, 2)));
    expect(m.violations.map((v) => v.property)).toEqual(['state-machine-safety']);
  });
});

describe('State Machine Safety (§5.4.3)', () => {
  const apply = (index: number, term: number, text: string) => ({
    type: 'apply' as const,
    index,
    term,
    command: enc.encode(text),
  });

  it('flags two nodes applying different commands at one index', () => {
    const m = new SafetyMonitor();
    m.onApply(1, 1, apply(1, 1, 'put x 1'));
    m.onApply(2, 1, apply(1, 1, 'put x 2'));
    expect(m.violations.map((v) => v.property)).toEqual(['state-machine-safety']);
  });

  it('allows a restarted node to apply the same entries again', () => {
    const m = new SafetyMonitor();
    m.onApply(1, 1, apply(1, 1, 'a'));
    m.onApply(1, 1, apply(2, 1, 'b'));
    m.onRestart(1, 2, new MemoryLog());
    m.onApply(1, 2, apply(1, 1, 'a'));
    m.onApply(1, 2, apply(2, 1, 'b'));
    expect(m.violations).toEqual([]);
  });

  it('flags applying out of order within one incarnation', () => {
    const m = new SafetyMonitor();
    m.onApply(1, 1, apply(1, 1, 'a'));
    m.onApply(1, 1, apply(2, 1, 'b'));
    m.onApply(1, 1, apply(2, 1, 'b'));
    expect(m.violations.map((v) => v.property)).toEqual(['state-machine-safety']);
  });

  it('flags a restore that goes back behind what was applied', () => {
    const m = new SafetyMonitor();
    m.onApply(1, 1, apply(5, 1, 'a'));
    const snapshot = {
      metadata: { index: 3, term: 1, membership: { voters: [1], learners: [], outgoingVoters: [] } },
      data: new Uint8Array(),
    };
    m.onRestore(1, 1, { type: 'restore', snapshot });
    expect(m.violations.map((v) => v.property)).toEqual(['state-machine-safety']);
  });
});

describe('SafetyMonitor', () => {
  it('stamps violations with seed, step and time and stops at maxViolations', () => {
    const seen: string[] = [];
    const m = new SafetyMonitor({ seed: 42, maxViolations: 2, onViolation: (v) => seen.push(v.property) });
    m.step = 17;
    m.time = 170;
    for (let term = 1; term <= 5; term++) {
      m.endStep(1, state('leader', term), new MemoryLog());
      m.endStep(2, state('leader', term), new MemoryLog());
    }
    expect(m.violations).toHaveLength(2);
    expect(m.violations[0]).toMatchObject({ seed: 42, step: 17, time: 170 });
    expect(seen).toHaveLength(2);
    expect(m.ok).toBe(false);
  });
});
