/**
 * The simulator's KV state machine: commands round-trip through their text encoding, cas
 * swaps only on a match, and a snapshot restores the same state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKvCommand, encodeKvCommand, type KvCommand } from '../src/kv/kv-command.js';
import { KvStateMachine } from '../src/kv/kv-state-machine.js';

const word = fc.stringMatching(/^[a-z0-9.]{1,8}$/);
const command: fc.Arbitrary<KvCommand> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key: word, value: word }),
  fc.record({
    kind: fc.constant('cas' as const),
    key: word,
    expected: fc.option(word, { nil: null }),
    value: word,
  }),
  fc.record({ kind: fc.constant('noop' as const), tag: word }),
);

describe('KV commands and state machine', () => {
  it('commands round-trip through their encoding', () => {
    fc.assert(
      fc.property(command, (c) => {
        expect(decodeKvCommand(encodeKvCommand(c))).toEqual(c);
      }),
    );
  });

  it('foreign bytes are not a command', () => {
    expect(decodeKvCommand(new TextEncoder().encode('x=1'))).toBeNull();
  });

  it('cas swaps only when the value matches, nil for absent', () => {
    const kv = new KvStateMachine();
    const enc = (c: KvCommand) => encodeKvCommand(c);
    expect(kv.apply(1, enc({ kind: 'cas', key: 'a', expected: null, value: '1' }))).toEqual({
      kind: 'cas',
      swapped: true,
    });
    expect(kv.apply(2, enc({ kind: 'cas', key: 'a', expected: null, value: '2' }))).toEqual({
      kind: 'cas',
      swapped: false,
    });
    expect(kv.apply(3, enc({ kind: 'cas', key: 'a', expected: '1', value: '3' }))).toEqual({
      kind: 'cas',
      swapped: true,
    });
    expect(kv.get('a')).toBe('3');
    expect(kv.lastIndex).toBe(3);
  });

  it('a snapshot restores the same state (property)', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (cmds) => {
        const a = new KvStateMachine();
        cmds.forEach((c, i) => {
          a.apply(i + 1, encodeKvCommand(c));
        });
        const b = new KvStateMachine();
        b.restore(a.snapshot(), cmds.length);
        expect(b.toObject()).toEqual(a.toObject());
        expect(b.snapshot()).toEqual(a.snapshot());
        expect(b.lastIndex).toBe(cmds.length);
      }),
    );
  });
});
