/**
 * The limits' decisions on their own, without sockets: the connection table's caps and
 * evictions, the inbound budget's pausing and its finisher (some frame always progresses),
 * and the log limiter's burst, window and count of suppressed lines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionTable, type Slot } from '../src/connection-table.js';
import { type BudgetMember, InboundBudget } from '../src/inbound-budget.js';
import { LogLimiter } from '../src/log-limiter.js';
import { recordingLogger } from './helpers.js';

const slot = (address = 'a'): Slot => ({ address, peer: null, close: () => {} });

describe('ConnectionTable', () => {
  it('evicts the oldest pending slot when full, refuses when all are established', () => {
    const t = new ConnectionTable({ maxTotal: 2, maxPerAddress: 10, maxPerPeer: 10 });
    const [s1, s2, s3, s4] = [slot(), slot(), slot(), slot()];
    expect(t.admit(s1)).toEqual({ admitted: true, evicted: null });
    expect(t.admit(s2)).toEqual({ admitted: true, evicted: null });
    expect(t.establish(s2, 5, false)).toEqual({ established: true, evicted: null });
    expect(t.admit(s3)).toEqual({ admitted: true, evicted: s1 });
    t.establish(s3, 6, false);
    expect(t.admit(s4)).toEqual({ admitted: false, reason: 'connection-limit' });
    expect([t.size, t.pending]).toEqual([2, 0]);
  });

  it('caps one address, and frees its places on release', () => {
    const t = new ConnectionTable({ maxTotal: 10, maxPerAddress: 1, maxPerPeer: 10 });
    const s1 = slot('x');
    t.admit(s1);
    expect(t.admit(slot('x'))).toEqual({ admitted: false, reason: 'address-limit' });
    expect(t.admit(slot('y')).admitted).toBe(true);
    t.release(s1);
    t.release(s1); // idempotent
    expect(t.admit(slot('x')).admitted).toBe(true);
  });

  it('per peer: authenticated replaces the oldest, unauthenticated is refused', () => {
    const t = new ConnectionTable({ maxTotal: 10, maxPerAddress: 10, maxPerPeer: 1 });
    const [s1, s2, s3] = [slot(), slot(), slot()];
    for (const s of [s1, s2, s3]) t.admit(s);
    t.establish(s1, 2, true);
    expect(t.establish(s2, 2, false)).toEqual({ established: false, reason: 'peer-limit' });
    expect(t.establish(s3, 2, true)).toEqual({ established: true, evicted: s1 });
    expect(t.size).toBe(2);
  });
});

/** A member that records whether it is paused. */
function member(): BudgetMember & { paused: boolean } {
  const m = {
    paused: false,
    pause: () => {
      m.paused = true;
    },
    resume: () => {
      m.paused = false;
    },
  };
  return m;
}

describe('InboundBudget', () => {
  it('pauses who brings bytes over the limit and resumes everyone once under', () => {
    const b = new InboundBudget(100);
    const [x, y] = [member(), member()];
    b.update(x, 80, false);
    b.update(y, 30, false); // over: y paused, then made the finisher (it holds the most paused)
    expect([x.paused, y.paused, b.used]).toEqual([false, false, 110]);
    b.update(x, 90, false); // x brings more: paused; y still finishing
    expect([x.paused, b.pausedCount]).toEqual([true, 1]);
    b.update(y, 0, true); // y's frame done: 90 <= 100, everyone resumes
    expect([x.paused, b.pausedCount, b.used]).toEqual([false, 0, 90]);
    b.remove(x);
    expect(b.used).toBe(0);
  });

  it('whatever happens, used is the sum held, and while over budget some member holding bytes may read', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ who: fc.nat(3), held: fc.nat(200), done: fc.boolean(), gone: fc.boolean() }), {
          maxLength: 60,
        }),
        (events) => {
          const b = new InboundBudget(100);
          const members = [member(), member(), member(), member()];
          const held = new Map<number, number>();
          for (const e of events) {
            if (e.gone) {
              b.remove(members[e.who]!);
              held.delete(e.who);
              members[e.who]!.paused = false;
              continue;
            }
            b.update(members[e.who]!, e.held, e.done);
            held.set(e.who, e.held);
            const sum = [...held.values()].reduce((a, c) => a + c, 0);
            expect(b.used).toBe(sum);
            if (sum > 100) {
              const holders = [...held].filter(([, h]) => h > 0).map(([i]) => members[i]!);
              expect(holders.some((m) => !m.paused)).toBe(true);
            } else {
              expect(members.every((m) => !m.paused)).toBe(true);
            }
          }
        },
      ),
    );
  });
});

describe('LogLimiter', () => {
  it('lets a burst through per key and window, then counts and reports the rest', () => {
    const log = recordingLogger();
    let now = 0;
    const limiter = new LogLimiter(log, 2, 1000, () => now);
    for (let i = 0; i < 5; i++) limiter.warn('a', { i }, 'line');
    limiter.warn('b', {}, 'other');
    expect(log.entries.map((e) => e.message)).toEqual(['line', 'line', 'other']);
    now = 1000;
    limiter.warn('a', {}, 'line');
    expect(log.entries.at(-2)?.fields).toMatchObject({ key: 'a', suppressed: 3 });
    expect(log.entries.at(-1)?.message).toBe('line');
    limiter.warn('a', {}, 'line');
    limiter.warn('a', {}, 'line');
    limiter.flush();
    expect(log.entries.at(-1)?.fields).toMatchObject({ key: 'a', suppressed: 1 });
  });
});
