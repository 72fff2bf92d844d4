/**
 * `HostLiveness`: a peer host is down after `timeoutTicks` ticks without a frame, and a pause
 * of this process (many ticks handed over at once) counts as one tick of silence, not as the
 * peers' silence.
 */
import { describe, expect, it } from 'vitest';
import { HostLiveness } from '../src/host-liveness.js';

describe('HostLiveness', () => {
  it('deems a peer down after more than timeoutTicks ticks without a frame, and alive again on one', () => {
    // init
    const l = new HostLiveness(10);
    l.heard(2);
    // act / check
    for (let i = 0; i < 10; i++) l.advance(1);
    expect(l.isDown(2)).toBe(false);
    l.advance(1);
    expect(l.isDown(2)).toBe(true);
    l.heard(2);
    expect(l.isDown(2)).toBe(false);
  });

  it('a pause of this process (many ticks at once) is not the silence of its peers', () => {
    // init
    const l = new HostLiveness(10);
    l.heard(2);
    // act: a 30-tick stall of our own event loop, handed over in one go
    l.advance(30);
    // check: one tick of silence so far; a peer that stays silent is down ten ticks later
    expect(l.silentTicks(2)).toBe(1);
    expect(l.isDown(2)).toBe(false);
    for (let i = 0; i < 10; i++) l.advance(1);
    expect(l.isDown(2)).toBe(true);
  });

  it('a peer never heard from counts from the start', () => {
    const l = new HostLiveness(3);
    l.advance(1);
    l.advance(1);
    l.advance(1);
    expect(l.isDown(7)).toBe(false);
    l.advance(1);
    expect(l.isDown(7)).toBe(true);
  });
});
