/**
 * §7 with restarts: a node restarted on a log that holds a snapshot restores it first, and
 * an install-snapshot arriving in its very first step is never rolled back by that older
 * snapshot (found by the testkit simulator, seed 299 of the chaos scenario).
 */
import { describe, expect, it } from 'vitest';
import { MemoryLog, RaftNode, type Snapshot } from '../src/index.js';

const membership = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };

function restartedWithSnapshot(): { node: RaftNode; log: MemoryLog } {
  const log = new MemoryLog();
  const old: Snapshot = { metadata: { index: 5, term: 1, membership }, data: new Uint8Array([5]) };
  log.write({ hardState: { term: 2, vote: null, commit: 5 }, snapshot: old, compact: { index: 5, term: 1 } });
  return { node: new RaftNode({ id: 3, voters: [1, 2, 3] }, log), log };
}

describe('restart from a snapshot', () => {
  it('the first step restores the stored snapshot, once', () => {
    const { node } = restartedWithSnapshot();
    expect(node.appliedIndex()).toBe(5);
    const first = node.step({ type: 'tick' }).filter((a) => a.type === 'restore');
    expect(first.map((a) => a.type === 'restore' && a.snapshot.metadata.index)).toEqual([5]);
    expect(node.step({ type: 'tick' }).filter((a) => a.type === 'restore')).toEqual([]);
  });

  it('an install-snapshot in the first step is the last restore: the state never rolls back', () => {
    const { node, log } = restartedWithSnapshot();
    const actions = node.step({
      type: 'message',
      message: {
        type: 'install-snapshot',
        from: 1,
        to: 3,
        term: 2,
        metadata: { index: 10, term: 2, membership },
        offset: 0,
        data: new Uint8Array([10]),
        done: true,
      },
    });
    const restores = actions.flatMap((a) => (a.type === 'restore' ? [a.snapshot.metadata.index] : []));
    expect(restores.at(-1)).toBe(10);
    expect(node.appliedIndex()).toBe(10);
    expect(log.snapshotMetadata()?.index).toBe(10);
    expect(node.step({ type: 'tick' }).filter((a) => a.type === 'restore')).toEqual([]);
  });

  it('a first step that throws leaves the restore pending for the next one', () => {
    const { node } = restartedWithSnapshot();
    expect(() => node.step({ type: 'propose', command: new Uint8Array(1) })).toThrow();
    const next = node.step({ type: 'tick' }).filter((a) => a.type === 'restore');
    expect(next).toHaveLength(1);
  });
});
