/**
 * The session table's snapshot bytes and the session arguments, against hostile input (issue
 * 20: each check had mutants no test killed). A table is built byte by byte in the documented
 * format, then one field is made impossible; the decoder must refuse it by name rather than
 * load a table that would answer a retry with the wrong outcome.
 */
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../src/byte-writer.js';
import {
  ClientSessions,
  checkSessionLimits,
  checkSessionRef,
  decodeCommandEntry,
  encodeCommandEntry,
  MAX_CLIENT_ID_LENGTH,
} from '../src/client-sessions.js';

interface Row {
  id?: string;
  idBytes?: number[];
  sequence?: number;
  index?: number;
  used?: number;
  crc?: number;
  code?: number;
  result?: number[];
}

/** A table in `encode`'s format: magic, version, count, then each session. */
function table(
  rows: Row[],
  options: { magic?: number[]; version?: number; count?: number; trailing?: number } = {},
) {
  const w = new ByteWriter();
  for (const b of options.magic ?? [0x00, 0x52, 0x49, 0x53]) w.u8(b);
  w.u8(options.version ?? 1);
  w.u32(options.count ?? rows.length);
  for (const r of rows) {
    const id = r.idBytes ?? [...(r.id ?? 'c')].map((c) => c.charCodeAt(0));
    w.u8(id.length);
    for (const b of id) w.u8(b);
    w.u53(r.sequence ?? 1);
    w.u53(r.index ?? 1);
    w.u53(r.used ?? r.index ?? 1);
    w.u32(r.crc ?? 0);
    w.u8(r.code ?? 0);
    w.u32((r.result ?? []).length);
    for (const b of r.result ?? []) w.u8(b);
  }
  for (let i = 0; i < (options.trailing ?? 0); i++) w.u8(0);
  return w.finish();
}

const refused = (bytes: Uint8Array) => {
  try {
    ClientSessions.decode(bytes);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('session table bytes', () => {
  it('a well-formed table of every outcome kind decodes, and encodes back to the same bytes', () => {
    const bytes = table([
      { id: 'a', index: 1, used: 2, code: 0, result: [1, 2] },
      { id: 'b', index: 2, used: 3, code: 1, result: [3] },
      { id: 'c', index: 3, used: 3, code: 2 },
    ]);
    const decoded = ClientSessions.decode(bytes);
    expect(decoded.lookup('a')).toEqual({ sequence: 1, index: 1 });
    expect(decoded.lookup('c')).toEqual({ sequence: 1, index: 3 });
    expect(decoded.encode()).toEqual(bytes);
  });

  const cases: [string, Uint8Array, string][] = [
    ['no magic', table([], { magic: [0, 0x52, 0x49, 0x4f] }), 'session table: no table magic'],
    ['too short for the magic', new Uint8Array([0, 0x52]), 'session table: no table magic'],
    ['the magic alone', new Uint8Array([0, 0x52, 0x49, 0x53]), 'session table: cut short'],
    ['another version', table([], { version: 2 }), 'session table: unknown version 2'],
    ['a count that cannot fit', table([{}], { count: 2 }), 'session table: 2 sessions cannot fit in'],
    // The bytes after the header (about 56) hold one session but not two of 35 at least.
    [
      'a count one too many for the bytes after the header',
      table([{ result: new Array(20).fill(1) }], { count: 2 }),
      'session table: 2 sessions cannot fit in',
    ],
    [
      'cut short',
      (() => {
        // One session whose result claims 100 bytes that are not there.
        const b = table([{}]);
        new DataView(b.buffer, b.byteOffset).setUint32(b.length - 4, 100);
        return b;
      })(),
      'session table: cut short at byte 44',
    ],
    [
      'an empty client id',
      table([{ idBytes: [] }], { trailing: 1 }),
      'session table: session 0 has impossible values',
    ],
    ['sequence 0', table([{ sequence: 0 }]), 'session 0 has impossible values'],
    ['index 0', table([{ index: 0, used: 1 }]), 'session 0 has impossible values'],
    ['last used before applied', table([{ index: 5, used: 4 }]), 'session 0 has impossible values'],
    [
      'out of order of last use',
      table([
        { id: 'a', index: 5, used: 5 },
        { id: 'b', index: 1, used: 4 },
      ]),
      'sessions are not in order of last use',
    ],
    ['a client twice', table([{ id: 'a' }, { id: 'a' }]), 'client a twice'],
    ['an unknown outcome', table([{ code: 3 }]), 'session 0 has an unknown outcome 3'],
    [
      'a not-kept outcome with a result',
      table([{ code: 2, result: [1] }]),
      'session 0 has an unknown outcome 2',
    ],
    [
      'a client id byte out of printable ASCII',
      table([{ idBytes: [0x41, 0x7f] }]),
      'session table: a client id byte that is not printable ASCII at 11',
    ],
    ['a control byte in the client id', table([{ idBytes: [0x1f] }]), 'not printable ASCII at 10'],
    [
      'bytes after the last session',
      table([{}], { trailing: 3 }),
      'session table: 3 bytes after the last session',
    ],
    [
      'a number above 2^53 - 1',
      (() => {
        const b = table([{}]);
        b[12] = 0x20; // the sequence's high word (bytes 11-14) is 2^21: above 2^53 - 1

        return b;
      })(),
      'session table: a number above 2^53 - 1 at byte 11',
    ],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(refused(bytes)).toContain(message);
    });
  }
});

describe('session arguments', () => {
  it('limits: an object of uint32s, maxSessions and expiryEntries at least 1', () => {
    const good = { maxSessions: 1, expiryEntries: 1, maxResultBytes: 0 };
    expect(checkSessionLimits(good)).toEqual(good);
    expect(checkSessionLimits({ ...good, maxResultBytes: 2 ** 32 - 1 }).maxResultBytes).toBe(2 ** 32 - 1);
    expect(() => checkSessionLimits(null as never)).toThrow('session limits must be an object');
    expect(() => checkSessionLimits(5 as never)).toThrow('session limits must be an object');
    for (const [field, value, min] of [
      ['maxSessions', 0, 1],
      ['expiryEntries', 0, 1],
      ['maxResultBytes', -1, 0],
      ['maxSessions', 2 ** 32, 1],
      ['expiryEntries', 1.5, 1],
      ['maxResultBytes', '1', 0],
    ] as const) {
      expect(() => checkSessionLimits({ ...good, [field]: value } as never)).toThrow(
        `session limits: ${field} must be an integer in [${min}, 2^32 - 1]`,
      );
    }
  });

  it('a session: a printable ASCII client id of 1 to 255 characters and a positive safe sequence', () => {
    expect(
      checkSessionRef({ clientId: 'a'.repeat(MAX_CLIENT_ID_LENGTH), sequence: 1 }).clientId,
    ).toHaveLength(255);
    expect(() => checkSessionRef(null as never)).toThrow('a session must be { clientId, sequence }');
    expect(() => checkSessionRef('c1' as never)).toThrow('a session must be { clientId, sequence }');
    for (const clientId of ['', 'a'.repeat(256), 'tab\there', 'é', 7]) {
      expect(() => checkSessionRef({ clientId: clientId as string, sequence: 1 })).toThrow(
        "a session's clientId must be printable ASCII of 1 to 255 characters",
      );
    }
    for (const sequence of [0, 1.5, '1']) {
      expect(() => checkSessionRef({ clientId: 'c', sequence: sequence as number })).toThrow(
        `a session's sequence must be a positive safe integer, got ${String(sequence)}`,
      );
    }
  });

  it('a command entry: the command must be bytes; an envelope of an unknown kind is malformed', () => {
    expect(() => encodeCommandEntry('x' as never)).toThrow('a command must be a Uint8Array');
    const entry = encodeCommandEntry(new Uint8Array([1]), {
      clientId: 'c',
      sequence: 1,
      limits: { maxSessions: 1, expiryEntries: 1, maxResultBytes: 0 },
    });
    const bad = new Uint8Array(entry);
    bad[4] = 9; // the kind byte after the magic
    expect(decodeCommandEntry(bad)).toEqual({ kind: 'malformed', reason: 'unknown command envelope kind 9' });
  });
});
