/**
 * CI's bounded model check (issue 16): every named scenario, explored exhaustively at its
 * CI bounds against the installed core, reaches no violation of any invariant (bounded
 * liveness included where the scenario asks for it). Together these run in well under
 * three minutes on two cores; `pnpm check:deep` explores deeper.
 */
import { describe, expect, it } from 'vitest';
import { modelCheck } from '../src/check/model-check.js';
import { CHECK_SCENARIO_NAMES } from '../src/check/scenarios.js';

describe('raft-check at the CI bounds', () => {
  it.each(CHECK_SCENARIO_NAMES)(
    '%s: every state within the bounds is safe',
    (name) => {
      const r = modelCheck({ scenario: name });
      expect(r.violation, r.counterexample?.script).toBeNull();
      expect(r.complete).toBe(true);
      expect(r.states).toBeGreaterThan(1000);
    },
    180_000,
  );
});
