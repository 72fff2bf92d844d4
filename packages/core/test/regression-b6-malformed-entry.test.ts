/**
 * Regression B6 (issue 11, hostile input): a malformed entry threw out of `step` and bricked
 * the node. A membership entry whose data does not decode to a membership, inside an
 * otherwise well-formed AppendEntries, reached the log before it was decoded: `step` threw
 * (`"not json"`) or accepted a membership with no voters (`{}`) or with impossible ids; the
 * bad entry was written (at once, or by the next step from the pending part of the log
 * view), and every restart on that log threw in the constructor or on the first tick.
 *
 * Correct (DESIGN.md): a malformed entry inside a well-formed message is ignored or answered,
 * never thrown, and never reaches the log; the node keeps working and restarts on its log.
 * And a step is all-or-nothing: a step that throws for a legitimate API reason leaves the log
 * and the outputs as they were.
 */
import { describe, expect, it } from 'vitest';
import {
  type AppendEntriesMessage,
  type Entry,
  MemoryLog,
  NotLeaderError,
  type RaftConfig,
  RaftNode,
} from '../src/index.js';
import { bytes } from './helpers/cluster.js';
import { sameBytes } from './helpers/regression.js';

const CONFIG: RaftConfig = { id: 2, voters: [1, 2, 3], seed: 7 };

/** AppendEntries from leader 1 of term 1: `entries` after index 0, commit 0. */
function append(entries: Entry[]): AppendEntriesMessage {
  return {
    type: 'append-entries',
    from: 1,
    to: 2,
    term: 1,
    prevLogIndex: 0,
    prevLogTerm: 0,
    entries,
    commit: 0,
  };
}

const command = (index: number, text: string): Entry => ({
  index,
  term: 1,
  type: 'command',
  data: bytes(text),
});

/** Every entry the log holds. */
const stored = (log: MemoryLog) => log.entries(log.firstIndex(), log.lastIndex() + 1);

/** The indexes at which the log holds `bad` (empty when it was kept out). */
const written = (log: MemoryLog, bad: Entry) =>
  stored(log)
    .filter((e) => e.type === bad.type && sameBytes(e.data, bad.data))
    .map((e) => e.index);

const MALFORMED: [string, string][] = [
  ['data that is not JSON', 'not json'],
  ['valid JSON of the wrong shape', '{}'],
  ['voters that are not positive safe integers', '{"v":[1,-2,2.5,9007199254740993],"l":[],"o":[]}'],
  ['voters that are not numbers', '{"v":["1",null],"l":[],"o":[]}'],
];

describe('B6: a malformed entry in a well-formed AppendEntries', () => {
  it.each(MALFORMED)(
    'membership entry with %s: not thrown, not written, the node keeps working and restarts',
    (_, text) => {
      // init: a fresh follower (node 2 of {1,2,3}) on a MemoryLog.
      const log = new MemoryLog();
      const node = new RaftNode(CONFIG, log);
      const bad: Entry = { index: 2, term: 1, type: 'membership', data: bytes(text) };

      // act: the leader of term 1 sends [command a, the malformed membership entry].
      const hostile = { type: 'message' as const, message: append([command(1, 'a'), bad]) };

      // check: step does not throw (observed with the bug: "not json" threw a SyntaxError) ...
      expect(() => node.step(hostile)).not.toThrow();
      // ... and the bad entry is not in the log (observed: "{}" and bad ids were written).
      expect(written(log, bad), 'the malformed entry was written to the log at').toEqual([]);
      expect(node.membership().voters).toEqual([1, 2, 3]);

      // act: the node keeps working: ticks, and a later valid append ([a, b]) is accepted.
      expect(() => node.step({ type: 'tick' })).not.toThrow();
      const actions = node.step({ type: 'message', message: append([command(1, 'a'), command(2, 'b')]) });
      expect(actions).toContainEqual(
        expect.objectContaining({
          type: 'send',
          message: expect.objectContaining({ type: 'append-entries-response', success: true, index: 2 }),
        }),
      );
      expect(stored(log).map((e) => e.type)).toEqual(['command', 'command']);

      // act: restart on the same log (observed with the bug: the constructor threw, or the
      // first tick did).
      let restarted: RaftNode | undefined;
      expect(() => {
        restarted = new RaftNode(CONFIG, log);
      }).not.toThrow();
      // check: the restarted node runs and keeps its membership.
      expect(() => {
        for (let t = 0; t < 30; t++) restarted!.step({ type: 'tick' });
      }).not.toThrow();
      expect(restarted!.membership().voters).toEqual([1, 2, 3]);
    },
  );

  it('the step after a malformed message writes nothing the malformed message brought', () => {
    // init: a follower; the hostile append (a good entry, then "not json").
    const log = new MemoryLog();
    const node = new RaftNode(CONFIG, log);
    const bad: Entry = { index: 2, term: 1, type: 'membership', data: bytes('not json') };
    try {
      node.step({ type: 'message', message: append([command(1, 'a'), bad]) });
    } catch {
      // (the bug: it threw; whatever happens, the check below is on the log)
    }

    // act: an unrelated step (a tick).
    try {
      node.step({ type: 'tick' });
    } catch {
      // (the bug: the tick wrote the pending bad entry; some cores may throw here)
    }

    // check: the malformed entry never reaches the log (observed with the bug: the tick wrote
    // it, and from then on every restart on this log threw).
    expect(written(log, bad), 'the malformed entry was written to the log at').toEqual([]);
    expect(() => new RaftNode(CONFIG, log)).not.toThrow();
  });

  it('a step that throws for a legitimate reason (propose on a follower) changes neither the log nor the outputs', () => {
    // init: twin followers with the same history (a valid append of [a]).
    const twins = [new MemoryLog(), new MemoryLog()].map((log) => ({ log, node: new RaftNode(CONFIG, log) }));
    for (const t of twins) t.node.step({ type: 'message', message: append([command(1, 'a')]) });
    const [a, b] = twins as [(typeof twins)[0], (typeof twins)[0]];

    // act: node a is asked to propose (it is a follower); node b is not.
    expect(() => a.node.step({ type: 'propose', command: bytes('x') })).toThrow(NotLeaderError);

    // check: both logs are the same, and the next steps of both return the same actions
    // (nothing left over from the failed step).
    expect(a.log.hardState()).toEqual(b.log.hardState());
    expect(stored(a.log)).toEqual(stored(b.log));
    expect(a.node.status()).toEqual(b.node.status());
    for (let t = 0; t < 25; t++) expect(a.node.step({ type: 'tick' })).toEqual(b.node.step({ type: 'tick' }));
    const next = append([command(1, 'a'), command(2, 'b')]);
    expect(a.node.step({ type: 'message', message: next })).toEqual(
      b.node.step({ type: 'message', message: next }),
    );
    expect(stored(a.log)).toEqual(stored(b.log));
  });
});
