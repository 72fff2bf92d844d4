/**
 * Every config option is checked, and a bad one is named (issue 20: the checks were tested
 * for a few options only, so a check or its field name could go unnoticed). Each row: an
 * invalid value, the field the InvalidConfigError names, and what its message says.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../src/config.js';
import { InvalidConfigError, RaftNode } from '../src/index.js';

const base = { id: 1, voters: [1, 2, 3] };

function refusal(config: unknown): InvalidConfigError {
  try {
    resolveConfig(config as never);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(config)}`);
}

describe('config validation', () => {
  it('refuses a config that is not an object', () => {
    for (const config of [null, 7, 'x']) {
      expect(refusal(config)).toMatchObject({
        field: 'config',
        message: 'invalid config: config: must be an object',
      });
    }
  });

  const rows: [Record<string, unknown>, string, string][] = [
    [{ id: 0 }, 'id', 'must be a positive safe integer, got 0'],
    [{ id: 1.5 }, 'id', 'must be a positive safe integer, got 1.5'],
    [{ voters: 'x' }, 'voters', 'must be an array of node ids'],
    [{ voters: [1, 0] }, 'voters', '0 is not a positive safe integer'],
    [{ voters: [1, 2, 2] }, 'voters', 'has duplicate ids'],
    [{ learners: 4 }, 'learners', 'must be an array of node ids'],
    [{ learners: [2] }, 'learners', 'node 2 is also a voter'],
    [{ electionTick: 1 }, 'electionTick', 'must be an integer >= 2, got 1'],
    [{ heartbeatTick: 0 }, 'heartbeatTick', 'must be an integer >= 1, got 0'],
    [{ electionTick: 5, heartbeatTick: 5 }, 'heartbeatTick', 'must be less than electionTick (5)'],
    [{ seed: -1 }, 'seed', 'must be an unsigned 32-bit integer, got -1'],
    [{ seed: 2 ** 32 }, 'seed', `must be an unsigned 32-bit integer, got ${2 ** 32}`],
    [{ checkQuorum: 'yes' }, 'checkQuorum', 'must be a boolean, got yes'],
    [{ leaseRead: 1 }, 'leaseRead', 'must be a boolean, got 1'],
    [{ leaseRead: true, checkQuorum: false }, 'leaseRead', 'requires checkQuorum'],
    [{ preVote: 'no' }, 'preVote', 'must be a boolean, got no'],
    [{ maxSizePerMsg: 0 }, 'maxSizePerMsg', 'must be an integer >= 1, got 0'],
    [{ maxInflightMsgs: 0 }, 'maxInflightMsgs', 'must be an integer >= 1, got 0'],
    [{ maxInflightBytes: -1 }, 'maxInflightBytes', 'must be an integer >= 0, got -1'],
    [{ maxUncommittedEntriesSize: -1 }, 'maxUncommittedEntriesSize', 'must be an integer >= 0, got -1'],
    [{ snapshotChunkSize: 0 }, 'snapshotChunkSize', 'must be an integer >= 1, got 0'],
    [{ maxSnapshotBytes: 0 }, 'maxSnapshotBytes', 'must be an integer >= 1, got 0'],
    [{ compactionTail: -1 }, 'compactionTail', 'must be an integer >= 0, got -1'],
    [{ maxApplyBytesPerStep: -1 }, 'maxApplyBytesPerStep', 'must be an integer >= 0, got -1'],
    [{ applyBudgetUntilAdvance: 1 }, 'applyBudgetUntilAdvance', 'must be a boolean, got 1'],
    [{ asyncStorageWrites: 'x' }, 'asyncStorageWrites', 'must be a boolean, got x'],
    [{ quiesce: 0 }, 'quiesce', 'must be a boolean, got 0'],
    [{ quiesceAfterTicks: 0 }, 'quiesceAfterTicks', 'must be an integer >= 1, got 0'],
    [{ snapshotStreaming: 1 }, 'snapshotStreaming', 'must be a boolean, got 1'],
    [{ confirmRestore: 1 }, 'confirmRestore', 'must be a boolean, got 1'],
    [
      { snapshotStreaming: true, confirmRestore: false },
      'confirmRestore',
      'snapshotStreaming needs confirmRestore: a received snapshot file is restored before the log names it',
    ],
  ];
  for (const [over, field, message] of rows) {
    it(`${field}: ${message}`, () => {
      const error = refusal({ ...base, ...over });
      expect(error.field).toBe(field);
      expect(error.message).toBe(`invalid config: ${field}: ${message}`);
    });
  }

  it('fills in what was left out, and keeps member info only when given', () => {
    const resolved = resolveConfig(base);
    expect(resolved).toMatchObject({
      learners: [],
      preVote: expect.any(Boolean),
      quiesceAfterTicks: resolved.electionTick,
    });
    expect('memberInfo' in resolved).toBe(false);
    expect(resolveConfig({ ...base, memberInfo: { 2: { address: 'a:1' } } }).memberInfo).toEqual({
      2: { address: 'a:1' },
    });
    expect(resolveConfig({ ...base, snapshotStreaming: true }).confirmRestore).toBe(true);
    expect(() => new RaftNode({ ...base, id: 1 })).not.toThrow();
    // The bounds of a seed are both valid.
    expect([
      resolveConfig({ ...base, seed: 0 }).seed,
      resolveConfig({ ...base, seed: 0xffffffff }).seed,
    ]).toEqual([0, 0xffffffff]);
  });
});
