/**
 * Client sessions: exactly-once proposals (after dragonboat's sessions; Raft dissertation
 * §6.3). A proposal may carry a client id and a sequence number; the state machine that
 * applies committed entries keeps, per client, the last sequence applied and its result.
 * A proposal whose outcome the client could not learn (a timeout, a leader change, a lost
 * forward) is retried with the same id and sequence: if the first attempt was applied, the
 * retry is not applied again and answers with the first result.
 *
 * The table is part of the replicated state: every node changes it only while applying
 * committed entries, in log order, so every node holds the same table at the same index, and
 * it travels in snapshots (`encode` / `decode`). Its limits ride in every session entry, so
 * nodes configured differently still decide alike. It is bounded: at most `maxSessions`
 * clients (the least recently used is forgotten first), a client unused for `expiryEntries`
 * log entries is forgotten, and a result over `maxResultBytes` is not kept (a retry learns
 * only where the first attempt was applied). A retry after its session was forgotten is
 * applied again: retry within the bounds.
 *
 * Two wire formats live here, both opaque to the rest of the core:
 *
 * - a command entry's data (`encodeCommandEntry` / `decodeCommandEntry`): plain commands are
 *   stored as they are; a session command, or a plain command that happens to begin with the
 *   envelope's magic, is wrapped: `00 52 49 4F` ("\0RIO"), a kind byte (1 plain, 2 session),
 *   then for a session: u8 id length | id (printable ASCII) | u32 sequence high | u32 low |
 *   u32 maxSessions | u32 expiryEntries | u32 maxResultBytes, then the command. Commands
 *   written before sessions existed decode as plain, unless they began with the magic.
 * - the table (`ClientSessions.encode`): `00 52 49 53` ("\0RIS"), version 1, u32 count, then
 *   per session in use order: u8 id length | id | u53 sequence | u53 index | u53 last used |
 *   u32 command CRC32C | u8 outcome | u32 result length | result. All big-endian; a u53 is a
 *   u32 high and a u32 low half.
 */

import { ByteWriter } from './byte-writer.js';
import { crc32c } from './crc32c.js';
import { InvalidArgumentError } from './errors.js';

/** The bounds of a session table; they travel in every session entry. */
export interface SessionLimits {
  /** Most clients kept; beyond, the least recently used is forgotten. At least 1. */
  readonly maxSessions: number;
  /** A client that no entry used for this many log entries is forgotten. At least 1. */
  readonly expiryEntries: number;
  /** Largest result kept, in bytes; a larger one is recorded as not kept. */
  readonly maxResultBytes: number;
}

/** Defaults: 50,000 clients, forgotten after 1,000,000 entries unused, results up to 1 KiB. */
export const DEFAULT_SESSION_LIMITS: SessionLimits = Object.freeze({
  maxSessions: 50_000,
  expiryEntries: 1_000_000,
  maxResultBytes: 1024,
});

/** The longest client id, in characters (printable ASCII). */
export const MAX_CLIENT_ID_LENGTH = 255;

/** Who proposes: a client id and its sequence number (1, 2, ... for successive proposals). */
export interface SessionRef {
  /** Printable ASCII, 1 to `MAX_CLIENT_ID_LENGTH` characters. */
  readonly clientId: string;
  /** A positive safe integer; a retry uses the same one. */
  readonly sequence: number;
}

/** A session command as stored: who, and the limits of the proposer. */
export interface SessionHeader extends SessionRef {
  readonly limits: SessionLimits;
}

/** A command entry's data, decoded. */
export type CommandEntry =
  | { readonly kind: 'plain'; readonly command: Uint8Array }
  | { readonly kind: 'session'; readonly session: SessionHeader; readonly command: Uint8Array }
  /** Began with the magic but is not a valid envelope (every node sees the same bytes). */
  | { readonly kind: 'malformed'; readonly reason: string };

/** How a first application ended, as recorded for a retry. */
export type SessionOutcome =
  /** The state machine returned; `result` is its encoding (the driver's codec). */
  | { readonly kind: 'ok'; readonly result: Uint8Array }
  /** The state machine threw; `result` is the driver's encoding of the error. */
  | { readonly kind: 'error'; readonly result: Uint8Array }
  /** The result was larger than `maxResultBytes` (or not encodable): not kept. */
  | { readonly kind: 'not-kept' };

/** What to do with a session command about to be applied at some index. */
export type SessionDecision =
  /** New (or the next sequence): apply it, then `record` its outcome. */
  | { readonly kind: 'apply' }
  /** A retry of the last applied sequence: do not apply; answer with the first outcome. */
  | { readonly kind: 'duplicate'; readonly index: number; readonly outcome: SessionOutcome }
  /**
   * Neither: an older sequence (its result is gone), or the same sequence with another
   * command (a client bug). Not applied; the proposal fails.
   */
  | {
      readonly kind: 'refused';
      readonly reason: 'stale-sequence' | 'command-mismatch';
      readonly message: string;
    };

const COMMAND_MAGIC = [0x00, 0x52, 0x49, 0x4f] as const;
const TABLE_MAGIC = [0x00, 0x52, 0x49, 0x53] as const;
const KIND_PLAIN = 1;
const KIND_SESSION = 2;
const TABLE_VERSION = 1;
const U32 = 0x1_0000_0000;

function isPrintable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function checkLimit(value: unknown, field: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value >= U32) {
    throw new InvalidArgumentError(`session limits: ${field} must be an integer in [${min}, 2^32 - 1]`);
  }
  return value;
}

/** Checks `limits` (each a uint32; `maxSessions` and `expiryEntries` at least 1). */
export function checkSessionLimits(limits: SessionLimits): SessionLimits {
  if (limits === null || typeof limits !== 'object')
    throw new InvalidArgumentError('session limits must be an object');
  return {
    maxSessions: checkLimit(limits.maxSessions, 'maxSessions', 1),
    expiryEntries: checkLimit(limits.expiryEntries, 'expiryEntries', 1),
    maxResultBytes: checkLimit(limits.maxResultBytes, 'maxResultBytes', 0),
  };
}

/** Checks a client id and sequence; throws `InvalidArgumentError`. */
export function checkSessionRef(session: SessionRef): SessionRef {
  if (session === null || typeof session !== 'object')
    throw new InvalidArgumentError('a session must be { clientId, sequence }');
  const { clientId, sequence } = session;
  if (
    typeof clientId !== 'string' ||
    clientId.length === 0 ||
    clientId.length > MAX_CLIENT_ID_LENGTH ||
    !isPrintable(clientId)
  ) {
    throw new InvalidArgumentError(
      `a session's clientId must be printable ASCII of 1 to ${MAX_CLIENT_ID_LENGTH} characters`,
    );
  }
  if (typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1) {
    throw new InvalidArgumentError(
      `a session's sequence must be a positive safe integer, got ${String(sequence)}`,
    );
  }
  return { clientId, sequence };
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

/** A bounds-checked big-endian reader; `fail` names what was cut short or wrong. */
class Reader {
  at = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly fail: (why: string) => Error,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(n: number): void {
    if (this.at + n > this.bytes.length) throw this.fail(`cut short at byte ${this.at}`);
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.at++]!;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }

  u53(): number {
    const hi = this.u32();
    const lo = this.u32();
    if (hi >= 2 ** 21) throw this.fail(`a number above 2^53 - 1 at byte ${this.at - 8}`);
    return hi * U32 + lo;
  }

  ascii(n: number): string {
    this.need(n);
    let text = '';
    for (let i = 0; i < n; i++) {
      const c = this.bytes[this.at + i]!;
      if (c < 0x20 || c > 0x7e)
        throw this.fail(`a client id byte that is not printable ASCII at ${this.at + i}`);
      text += String.fromCharCode(c);
    }
    this.at += n;
    return text;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.at, this.at + n);
    this.at += n;
    return out;
  }

  rest(): Uint8Array {
    const out = this.bytes.slice(this.at);
    this.at = this.bytes.length;
    return out;
  }
}

/**
 * A command entry's data for `command`: as it is when plain (unless it begins with the
 * envelope's magic, then wrapped so it decodes back the same), or wrapped with `session`.
 */
export function encodeCommandEntry(command: Uint8Array, session?: SessionHeader): Uint8Array {
  if (!(command instanceof Uint8Array)) throw new InvalidArgumentError('a command must be a Uint8Array');
  if (session === undefined) {
    if (!startsWith(command, COMMAND_MAGIC)) return command;
    const w = new ByteWriter();
    for (const b of COMMAND_MAGIC) w.u8(b);
    w.u8(KIND_PLAIN);
    w.bytes(command);
    return w.finish();
  }
  const { clientId, sequence } = checkSessionRef(session);
  const limits = checkSessionLimits(session.limits);
  const w = new ByteWriter();
  for (const b of COMMAND_MAGIC) w.u8(b);
  w.u8(KIND_SESSION);
  w.u8(clientId.length);
  w.ascii(clientId);
  w.u53(sequence);
  w.u32(limits.maxSessions);
  w.u32(limits.expiryEntries);
  w.u32(limits.maxResultBytes);
  w.bytes(command);
  return w.finish();
}

/** Decodes a command entry's data (never throws: bad bytes decode as `malformed`). */
export function decodeCommandEntry(data: Uint8Array): CommandEntry {
  if (!startsWith(data, COMMAND_MAGIC)) return { kind: 'plain', command: data };
  const r = new Reader(data, (why) => new InvalidArgumentError(why));
  try {
    r.at = COMMAND_MAGIC.length;
    const kind = r.u8();
    if (kind === KIND_PLAIN) return { kind: 'plain', command: r.rest() };
    if (kind !== KIND_SESSION) return { kind: 'malformed', reason: `unknown command envelope kind ${kind}` };
    const idLength = r.u8();
    const clientId = r.ascii(idLength);
    const sequence = r.u53();
    const limits = { maxSessions: r.u32(), expiryEntries: r.u32(), maxResultBytes: r.u32() };
    checkSessionRef({ clientId, sequence });
    checkSessionLimits(limits);
    return { kind: 'session', session: { clientId, sequence, limits }, command: r.rest() };
  } catch (error) {
    return { kind: 'malformed', reason: (error as Error).message };
  }
}

interface Session {
  sequence: number;
  /** Where the last sequence was applied. */
  index: number;
  /** The last index an entry of this client was applied (or refused) at: its age. */
  used: number;
  /** CRC32C of the last sequence's command, to tell a retry from a reused sequence. */
  crc: number;
  outcome: SessionOutcome;
}

const OUTCOME_CODES = { ok: 0, error: 1, 'not-kept': 2 } as const;

/**
 * The session table of one state machine. Change it only while applying committed entries,
 * in log order: `begin` for every session entry, and `record` after applying one that
 * `begin` said to apply.
 *
 * Invariant: the map's order is the order of last use (the least recently used first), and
 * `used` grows along it.
 */
export class ClientSessions {
  private sessions = new Map<string, Session>();

  /** Clients kept now. */
  get size(): number {
    return this.sessions.size;
  }

  /** The last sequence applied for `clientId` and where, or undefined. */
  lookup(clientId: string): { readonly sequence: number; readonly index: number } | undefined {
    const s = this.sessions.get(clientId);
    return s === undefined ? undefined : { sequence: s.sequence, index: s.index };
  }

  /**
   * Decide a session entry about to be applied at `index`. First forgets the clients unused
   * for `limits.expiryEntries` entries before `index`.
   */
  begin(index: number, session: SessionHeader, command: Uint8Array): SessionDecision {
    this.expire(index, session.limits.expiryEntries);
    const s = this.sessions.get(session.clientId);
    if (s === undefined || session.sequence > s.sequence) return { kind: 'apply' };
    this.touch(session.clientId, s, index);
    if (session.sequence < s.sequence) {
      return {
        kind: 'refused',
        reason: 'stale-sequence',
        message: `client ${session.clientId}: sequence ${session.sequence} is older than the last applied (${s.sequence}); its result is gone`,
      };
    }
    if (crc32c(command) !== s.crc) {
      return {
        kind: 'refused',
        reason: 'command-mismatch',
        message: `client ${session.clientId}: sequence ${session.sequence} was applied with another command`,
      };
    }
    return { kind: 'duplicate', index: s.index, outcome: s.outcome };
  }

  /** Record the outcome of the session entry `begin` said to apply at `index`. */
  record(index: number, session: SessionHeader, command: Uint8Array, outcome: SessionOutcome): void {
    const kept =
      outcome.kind !== 'not-kept' && outcome.result.length > session.limits.maxResultBytes
        ? ({ kind: 'not-kept' } as const)
        : outcome;
    const s: Session = {
      sequence: session.sequence,
      index,
      used: index,
      crc: crc32c(command),
      outcome: kept,
    };
    this.sessions.delete(session.clientId);
    this.sessions.set(session.clientId, s);
    while (this.sessions.size > session.limits.maxSessions) {
      const oldest = this.sessions.keys().next().value as string;
      this.sessions.delete(oldest);
    }
  }

  private touch(clientId: string, s: Session, index: number): void {
    s.used = index;
    this.sessions.delete(clientId);
    this.sessions.set(clientId, s);
  }

  private expire(index: number, expiryEntries: number): void {
    for (const [clientId, s] of this.sessions) {
      if (s.used + expiryEntries >= index) break;
      this.sessions.delete(clientId);
    }
  }

  /** The table as bytes, for a snapshot (the format is in the module comment). */
  encode(): Uint8Array {
    const w = new ByteWriter();
    for (const b of TABLE_MAGIC) w.u8(b);
    w.u8(TABLE_VERSION);
    w.u32(this.sessions.size);
    for (const [clientId, s] of this.sessions) {
      w.u8(clientId.length);
      w.ascii(clientId);
      w.u53(s.sequence);
      w.u53(s.index);
      w.u53(s.used);
      w.u32(s.crc);
      w.u8(OUTCOME_CODES[s.outcome.kind]);
      const result = s.outcome.kind === 'not-kept' ? new Uint8Array(0) : s.outcome.result;
      w.u32(result.length);
      w.bytes(result);
    }
    return w.finish();
  }

  /**
   * A table from `encode`'s bytes. Bytes from a snapshot are untrusted: anything malformed
   * (cut short, trailing bytes, a bad id, an order that is not by last use) throws
   * `InvalidArgumentError`.
   */
  static decode(bytes: Uint8Array): ClientSessions {
    const bad = (why: string) => new InvalidArgumentError(`session table: ${why}`);
    if (!(bytes instanceof Uint8Array) || !startsWith(bytes, TABLE_MAGIC)) throw bad('no table magic');
    const r = new Reader(bytes, bad);
    r.at = TABLE_MAGIC.length;
    const version = r.u8();
    if (version !== TABLE_VERSION) throw bad(`unknown version ${version}`);
    const count = r.u32();
    // Each session takes at least 35 bytes: a larger count cannot be right.
    if (count > (bytes.length - r.at) / 35)
      throw bad(`${count} sessions cannot fit in ${bytes.length} bytes`);
    const table = new ClientSessions();
    let lastUsed = 0;
    for (let n = 0; n < count; n++) {
      const clientId = r.ascii(r.u8());
      const sequence = r.u53();
      const index = r.u53();
      const used = r.u53();
      const crc = r.u32();
      const code = r.u8();
      const result = r.take(r.u32());
      if (clientId.length === 0 || sequence < 1 || index < 1 || used < index)
        throw bad(`session ${n} has impossible values`);
      if (used < lastUsed) throw bad('sessions are not in order of last use');
      if (table.sessions.has(clientId)) throw bad(`client ${clientId} twice`);
      lastUsed = used;
      let outcome: SessionOutcome;
      if (code === OUTCOME_CODES.ok) outcome = { kind: 'ok', result };
      else if (code === OUTCOME_CODES.error) outcome = { kind: 'error', result };
      else if (code === OUTCOME_CODES['not-kept'] && result.length === 0) outcome = { kind: 'not-kept' };
      else throw bad(`session ${n} has an unknown outcome ${code}`);
      table.sessions.set(clientId, { sequence, index, used, crc, outcome });
    }
    if (r.at !== bytes.length) throw bad(`${bytes.length - r.at} bytes after the last session`);
    return table;
  }
}
