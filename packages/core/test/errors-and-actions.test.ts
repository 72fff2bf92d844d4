/**
 * The public error classes and the durability classification of actions, as the contract
 * states them (issue 20: the core's own tests never built most error classes, nor called
 * `needsDurableLog`, which drivers and the testkit rely on). Codes and fields are the stable
 * part; the messages are asserted too, since operators read them.
 */
import { describe, expect, it } from 'vitest';
import { assertNever } from '../src/errors.js';
import {
  type Action,
  CompactedError,
  InvalidArgumentError,
  InvalidConfigError,
  InvariantError,
  LeadershipLostError,
  MembershipChangePendingError,
  NotLeaderError,
  needsDurableLog,
  RaftError,
  StorageError,
  TermExhaustedError,
  TransferInProgressError,
  UnavailableError,
  UncommittedLimitError,
} from '../src/index.js';

describe('errors', () => {
  it('every class has its code, its name, its fields and a message that says what happened', () => {
    const cause = new Error('disk');
    const cases: [RaftError, string, string][] = [
      [
        new InvalidConfigError('electionTick', 'must be > heartbeatTick'),
        'INVALID_CONFIG',
        'invalid config: electionTick: must be > heartbeatTick',
      ],
      [new InvalidArgumentError('bad event'), 'INVALID_ARGUMENT', 'bad event'],
      [new NotLeaderError(null, 3), 'NOT_LEADER', 'node 3 is not the leader and knows no leader'],
      [new NotLeaderError(2, 3), 'NOT_LEADER', 'node 3 is not the leader; the leader is node 2'],
      [new NotLeaderError(2), 'NOT_LEADER', 'node ? is not the leader; the leader is node 2'],
      [new LeadershipLostError(), 'LEADERSHIP_LOST', 'leadership lost; the outcome is unknown'],
      [
        new UncommittedLimitError(100, 130),
        'UNCOMMITTED_LIMIT',
        'proposal dropped: 130 uncommitted bytes would exceed the limit 100',
      ],
      [
        new MembershipChangePendingError(),
        'MEMBERSHIP_CHANGE_PENDING',
        'a membership change is already in progress',
      ],
      [new TransferInProgressError(4), 'TRANSFER_IN_PROGRESS', 'leadership transfer to node 4 in progress'],
      [new CompactedError(7), 'COMPACTED', 'index 7 is compacted'],
      [new UnavailableError(9), 'UNAVAILABLE', 'index 9 is not in the log yet'],
      [new StorageError('write failed', { cause }), 'STORAGE', 'write failed'],
      [
        new InvariantError('election-safety', 'two leaders'),
        'INVARIANT',
        'invariant violated: election-safety: two leaders',
      ],
      [
        new TermExhaustedError(2 ** 52),
        'TERM_EXHAUSTED',
        `term ${2 ** 52} is at the ceiling; this node cannot campaign`,
      ],
    ];
    for (const [error, code, message] of cases) {
      expect(error).toBeInstanceOf(RaftError);
      expect(error.code).toBe(code);
      expect(error.message).toBe(message);
      expect(error.name).toBe(error.constructor.name);
    }
    expect(new InvalidConfigError('electionTick', 'x').field).toBe('electionTick');
    expect(new NotLeaderError(2, 3)).toMatchObject({ leader: 2, nodeId: 3 });
    expect(new UncommittedLimitError(100, 130)).toMatchObject({ limit: 100, size: 130 });
    expect(new TransferInProgressError(4).target).toBe(4);
    expect(new CompactedError(7).index).toBe(7);
    expect(new UnavailableError(9).index).toBe(9);
    expect(new StorageError('write failed', { cause }).cause).toBe(cause);
    expect(new InvariantError('x', 'y', { cause }).cause).toBe(cause);
    expect(new InvariantError('x', 'y').invariant).toBe('x');
    expect(new TermExhaustedError(5).term).toBe(5);
    expect(new LeadershipLostError('custom').message).toBe('custom');
    expect(new NotLeaderError(null).message).toBe('node ? is not the leader and knows no leader');
    expect(new MembershipChangePendingError('custom').message).toBe('custom');
  });

  it('assertNever names what it did not expect, by its type when it has one', () => {
    expect(() => assertNever({ type: 'odd' } as never, 'event')).toThrow(
      'invariant violated: exhaustive-switch: unhandled event: odd',
    );
    expect(() => assertNever(7 as never, 'kind')).toThrow('unhandled kind: 7');
    expect(() => assertNever(null as never, 'kind')).toThrow('unhandled kind: null');
  });
});

describe('needsDurableLog', () => {
  it('is true exactly for the actions that promise or act on durable state', () => {
    const membership = { voters: [1], learners: [], outgoingVoters: [] };
    const snapshot = { metadata: { index: 1, term: 1, membership }, data: new Uint8Array(0) };
    const actions: [Action, boolean][] = [
      [
        {
          type: 'send',
          to: 2,
          message: { type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 0 },
        },
        true,
      ],
      [
        {
          type: 'send-snapshot-chunk',
          to: 2,
          metadata: snapshot.metadata,
          offset: 0,
          bytes: 1,
          done: true,
        } as unknown as Action,
        true,
      ],
      [{ type: 'apply', index: 1, term: 1, command: new Uint8Array(0) } as unknown as Action, true],
      [{ type: 'membership', index: 1, term: 1, membership }, true],
      [{ type: 'removed' } as unknown as Action, true],
      [{ type: 'restore', snapshot }, true],
      [{ type: 'read-ready', id: 'r', index: 1 }, true],
      [{ type: 'write-snapshot-chunk' } as unknown as Action, false],
      [{ type: 'accepted', kind: 'commands', term: 1, firstIndex: 1, lastIndex: 1 }, false],
      [{ type: 'read-failed', id: 'r', error: new LeadershipLostError() }, false],
      [{ type: 'state-changed', role: 'leader', term: 1, leader: 1 }, false],
    ];
    for (const [action, durable] of actions) expect(needsDurableLog(action), action.type).toBe(durable);
    // A type unknown at run time (a newer node's action, a bug) needs the log: the safe side,
    // also for names an object inherits.
    for (const type of ['flush', 'toString', '__proto__'])
      expect(needsDurableLog({ type } as unknown as Action), type).toBe(true);
  });
});
