/**
 * Client sessions (exactly-once proposals): the table's rules, its bounds and expiry by log
 * index, the command-entry envelope, and the table's snapshot bytes against hostile input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClientSessions,
  decodeCommandEntry,
  encodeCommandEntry,
  InvalidArgumentError,
  type SessionHeader,
  type SessionLimits,
} from '../src/index.js';

const limits: SessionLimits = { maxSessions: 3, expiryEntries: 100, maxResultBytes: 8 };
const enc = new TextEncoder();
const ok = (text: string) => ({ kind: 'ok', result: enc.encode(text) }) as const;

function header(clientId: string, sequence: number, l: SessionLimits = limits): SessionHeader {
  return { clientId, sequence, limits: l };
}

/** Apply a session entry the way a driver does: begin, apply if told, record. */
function applyAt(
  table: ClientSessions,
  index: number,
  h: SessionHeader,
  command: Uint8Array,
  result: string,
) {
  const decision = table.begin(index, h, command);
  if (decision.kind === 'apply') table.record(index, h, command, ok(result));
  return decision;
}

describe('ClientSessions', () => {
  it('applies a sequence once: a retry answers with the first outcome and where it was applied', () => {
    const table = new ClientSessions();
    const cmd = enc.encode('put x 1');
    expect(applyAt(table, 5, header('c', 1), cmd, 'r1').kind).toBe('apply');
    const retry = table.begin(9, header('c', 1), cmd);
    expect(retry).toEqual({ kind: 'duplicate', index: 5, outcome: ok('r1') });
    expect(applyAt(table, 10, header('c', 2), enc.encode('put x 2'), 'r2').kind).toBe('apply');
  });

  it('refuses an older sequence and a reused sequence with another command', () => {
    const table = new ClientSessions();
    applyAt(table, 1, header('c', 1), enc.encode('a'), 'r');
    applyAt(table, 2, header('c', 2), enc.encode('b'), 'r');
    expect(table.begin(3, header('c', 1), enc.encode('a'))).toMatchObject({
      kind: 'refused',
      reason: 'stale-sequence',
    });
    expect(table.begin(4, header('c', 2), enc.encode('not b'))).toMatchObject({
      kind: 'refused',
      reason: 'command-mismatch',
    });
    // The messages say which client, which sequence, and why.
    expect(table.begin(5, header('c', 1), enc.encode('a'))).toMatchObject({
      message: 'client c: sequence 1 is older than the last applied (2); its result is gone',
    });
    expect(table.begin(6, header('c', 2), enc.encode('x'))).toMatchObject({
      message: 'client c: sequence 2 was applied with another command',
    });
    expect(table.lookup('c')).toEqual({ sequence: 2, index: 2 });
  });

  it('keeps a result of exactly maxResultBytes, and an error outcome like a result', () => {
    const table = new ClientSessions();
    const cmd = enc.encode('a');
    table.record(1, header('c', 1), cmd, ok('12345678')); // limits.maxResultBytes is 8
    expect(table.begin(2, header('c', 1), cmd)).toMatchObject({ kind: 'duplicate', outcome: ok('12345678') });
    const error = { kind: 'error', result: enc.encode('bad') } as const;
    table.record(3, header('d', 1), cmd, error);
    expect(table.begin(4, header('d', 1), cmd)).toMatchObject({
      kind: 'duplicate',
      index: 3,
      outcome: error,
    });
    // Through a snapshot: both outcomes and a not-kept one come back as they were.
    table.record(5, header('e', 1), cmd, ok('123456789'));
    const copy = ClientSessions.decode(table.encode());
    expect(copy.begin(6, header('d', 1), cmd)).toMatchObject({ outcome: error });
    expect(copy.begin(7, header('e', 1), cmd)).toMatchObject({ outcome: { kind: 'not-kept' } });
  });

  it('forgets a client unused for expiryEntries entries (then a retry applies again)', () => {
    const table = new ClientSessions();
    const cmd = enc.encode('a');
    applyAt(table, 10, header('old', 1), cmd, 'r');
    applyAt(table, 50, header('kept', 1), cmd, 'r');
    // Index 110 is exactly expiryEntries after 10: still kept; 111 is past it.
    expect(table.begin(110, header('kept', 1), cmd).kind).toBe('duplicate');
    expect(table.lookup('old')).toBeDefined();
    expect(table.begin(111, header('kept', 1), cmd).kind).toBe('duplicate');
    expect(table.lookup('old')).toBeUndefined();
    expect(table.begin(112, header('old', 1), cmd).kind).toBe('apply');
  });

  it('keeps at most maxSessions clients, forgetting the least recently used', () => {
    const table = new ClientSessions();
    const cmd = enc.encode('a');
    for (const [i, id] of ['a', 'b', 'c'].entries()) applyAt(table, i + 1, header(id, 1), cmd, 'r');
    table.begin(4, header('a', 1), cmd); // a retry counts as a use
    applyAt(table, 5, header('d', 1), cmd, 'r');
    expect(table.size).toBe(3);
    expect(table.lookup('b')).toBeUndefined();
    expect(['a', 'c', 'd'].every((id) => table.lookup(id) !== undefined)).toBe(true);
  });

  it('does not keep a result over maxResultBytes: a retry learns only where it was applied', () => {
    const table = new ClientSessions();
    const cmd = enc.encode('a');
    table.begin(1, header('c', 1), cmd);
    table.record(1, header('c', 1), cmd, ok('123456789'));
    expect(table.begin(2, header('c', 1), cmd)).toEqual({
      kind: 'duplicate',
      index: 1,
      outcome: { kind: 'not-kept' },
    });
  });

  it('records an outcome the driver marks not-kept as it is', () => {
    const table = new ClientSessions();
    const cmd = enc.encode('a');
    table.begin(1, header('c', 1), cmd);
    table.record(1, header('c', 1), cmd, { kind: 'not-kept' });
    expect(table.begin(2, header('c', 1), cmd)).toEqual({
      kind: 'duplicate',
      index: 1,
      outcome: { kind: 'not-kept' },
    });
  });

  it('decides by the limits in each entry, so differently configured nodes agree', () => {
    // Init: two tables fed the same entries, as two nodes with different local settings
    // would propose them; the limits ride in the entries, not in the tables.
    const a = new ClientSessions();
    const b = new ClientSessions();
    const tight = { ...limits, expiryEntries: 1 };
    const entries: [number, SessionHeader][] = [
      [1, header('x', 1)],
      [2, header('y', 1, tight)],
      [5, header('x', 1, tight)],
    ];
    // Act / check: both decide alike at every step.
    for (const [index, h] of entries) {
      const cmd = enc.encode('c');
      expect(applyAt(a, index, h, cmd, 'r')).toEqual(applyAt(b, index, h, cmd, 'r'));
    }
    expect(a.encode()).toEqual(b.encode());
  });

  it('round-trips through its snapshot bytes, order of use included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: 1, max: 4 })), {
          maxLength: 40,
        }),
        (ops) => {
          const table = new ClientSessions();
          let index = 0;
          for (const [id, seq] of ops)
            applyAt(table, ++index, header(id, seq), enc.encode(`${id}${seq}`), `${index}`);
          const copy = ClientSessions.decode(table.encode());
          expect(copy.encode()).toEqual(table.encode());
          // The copy goes on deciding like the original.
          for (const [id, seq] of ops.slice(0, 5)) {
            const h = header(id, seq);
            const cmd = enc.encode(`${id}${seq}`);
            expect(copy.begin(index + 1, h, cmd)).toEqual(table.begin(index + 1, h, cmd));
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses damaged snapshot bytes with InvalidArgumentError, never anything else', () => {
    const table = new ClientSessions();
    applyAt(table, 1, header('a', 1), enc.encode('x'), 'r');
    applyAt(table, 2, header('b', 1), enc.encode('y'), 'r');
    const good = table.encode();
    const cases = [
      good.subarray(0, good.length - 1),
      Uint8Array.from([...good, 0]),
      Uint8Array.from(good, (b, i) => (i === 4 ? 9 : b)), // version
      Uint8Array.from(good, (b, i) => (i === 8 ? 200 : b)), // count
    ];
    for (const bytes of cases) expect(() => ClientSessions.decode(bytes)).toThrow(InvalidArgumentError);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: good.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (at, value) => {
          const bytes = good.slice();
          bytes[at] = value;
          try {
            ClientSessions.decode(bytes);
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('command entries', () => {
  it('leaves a plain command as it is, and wraps one that begins with the magic so it decodes back', () => {
    const plain = Uint8Array.of(1, 2, 3);
    expect(encodeCommandEntry(plain)).toBe(plain);
    expect(decodeCommandEntry(plain)).toEqual({ kind: 'plain', command: plain });
    const lookalike = Uint8Array.of(0, 0x52, 0x49, 0x4f, 2, 9);
    const wrapped = encodeCommandEntry(lookalike);
    expect(wrapped).not.toEqual(lookalike);
    expect(decodeCommandEntry(wrapped)).toEqual({ kind: 'plain', command: lookalike });
  });

  it('round-trips a session command', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[ -~]{1,255}$/),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.uint8Array({ maxLength: 32 }),
        (clientId, sequence, command) => {
          const h = header(clientId, sequence);
          expect(decodeCommandEntry(encodeCommandEntry(command, h))).toEqual({
            kind: 'session',
            session: h,
            command,
          });
        },
      ),
    );
  });

  it('decodes a damaged envelope as malformed, never throwing', () => {
    const good = encodeCommandEntry(Uint8Array.of(7), header('c', 1));
    for (let cut = 5; cut < good.length - 1; cut++) {
      expect(decodeCommandEntry(good.subarray(0, cut)).kind).toBe('malformed');
    }
    expect(decodeCommandEntry(Uint8Array.of(0, 0x52, 0x49, 0x4f, 7)).kind).toBe('malformed');
  });

  it('refuses a bad client id or sequence on encode', () => {
    for (const h of [
      header('', 1),
      header('é', 1),
      header('x'.repeat(256), 1),
      header('c', 0),
      header('c', 1.5),
    ]) {
      expect(() => encodeCommandEntry(Uint8Array.of(1), h)).toThrow(InvalidArgumentError);
    }
  });
});
