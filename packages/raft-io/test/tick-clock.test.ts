/**
 * The driver's clock owes the core every tick that real time passed, even across a pause of
 * the event loop, which a plain `setInterval` forgets (the lease assumes no lost ticks).
 */
import { describe, expect, it } from 'vitest';
import { TickClock } from '../src/tick-clock.js';

describe('TickClock', () => {
  it('owes one tick per interval, and every tick missed during a pause (up to the cap)', () => {
    let t = 1000;
    const clock = new TickClock(100, 40, () => t);
    expect(clock.owed()).toBe(0);
    t += 100;
    expect(clock.owed()).toBe(1);
    t += 50;
    expect(clock.owed()).toBe(0);
    t += 50;
    expect(clock.owed()).toBe(1);
    // A blocked event loop: 2.5 s without a timer callback, then one callback.
    t += 2500;
    expect(clock.owed()).toBe(25);
    // A stopped VM: an hour. The cap bounds the burst; the rest is forgiven, not carried.
    t += 3_600_000;
    expect(clock.owed()).toBe(40);
    t += 100;
    expect(clock.owed()).toBe(1);
  });
});
