/**
 * Backups: a consistent snapshot of the state machine with the membership and the index it
 * stands at, in one checksummed file, and `restoreBackup`, which seeds the data directory of
 * a member of a new cluster from it (etcd's `etcdutl snapshot restore`).
 *
 * The file is written and read as a stream of chunks, never as one buffer: the writer takes
 * any (async) iterable of byte chunks and the reader hands the state machine's bytes on
 * chunk by chunk, so that a state machine that streams its snapshot (and a log that keeps
 * snapshots as files) can back up and verify sizes bounded by disk, not memory. Today's
 * `StateMachine.snapshot()` returns one `Uint8Array`, which is written in 1 MiB chunks.
 *
 * Layout (integers big-endian):
 *
 *     magic "RAFTIOBK" (8 bytes) | format version u32 (1) | header length u32 | header
 *     chunk*: length u32 (1 .. 16 MiB) | bytes          the state machine's snapshot, in order
 *     u32 0 | data bytes u64 | SHA-256 of every byte before it (32 bytes)
 *
 * The header is UTF-8 JSON (`BackupHeader`): index, term, membership, the node and cluster
 * it was taken on, and when. Everything read is hostile until checked: the header and chunk
 * lengths are bounded before anything is allocated, the total against `maxBytes`, and no
 * byte of state reaches a caller that keeps it (`readBackup`) before the SHA-256 matched.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  InvalidArgumentError,
  MAX_MEMBERS,
  MAX_TERM,
  type Membership,
  type NodeId,
  type RaftLog,
} from '@raft-io/core';
import { SqliteLog, type SqliteLogOptions } from '@raft-io/log-sqlite';
import { BackupError } from './errors.js';
import { checkedMembership, type MembershipInput } from './membership-input.js';
import { LOG_FILE_NAME, STREAMED_MAX_SNAPSHOT_BYTES } from './options.js';
import { MAX_SESSION_TABLE_BYTES, ReplicatedMachine } from './replicated-machine.js';
import { valueCodec } from './result-codec.js';
import {
  readSnapshotFile,
  SnapshotFileWriter,
  type StreamedFacts,
  snapshotFileName,
} from './snapshot-files.js';
import type { StateMachine } from './state-machine.js';
import { requireSnapshotDir, snapshotDirOf, streamedWriter } from './stored-snapshot.js';

const MAGIC = Buffer.from('RAFTIOBK', 'ascii');
/** The format this version writes and reads. */
export const BACKUP_FORMAT_VERSION = 1;
/** Largest header accepted: a membership of `MAX_MEMBERS` members with full info fits. */
const MAX_HEADER_BYTES = 8 * 1024 * 1024;
/** Chunks the writer makes of one buffer. */
const WRITE_CHUNK_BYTES = 1024 * 1024;
/** Largest chunk the reader accepts. */
const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
const DIGEST_BYTES = 32;
/** Default `maxBytes` of `readBackup` / `restoreBackup`: the core's default `maxSnapshotBytes`. */
export const DEFAULT_MAX_BACKUP_BYTES = 256 * 1024 * 1024;

/** What a backup says about itself. */
export interface BackupHeader {
  /** The log index the state stands at: every entry up to it is in the state, none after. */
  readonly index: number;
  /** The term of the entry at `index`. */
  readonly term: number;
  /** The membership in force at `index`. */
  readonly membership: Membership;
  /** The node it was taken on. */
  readonly nodeId: NodeId;
  /** The cluster id recorded in that node's log (null if none was). */
  readonly clusterId: number | null;
  /** When it was taken (ISO 8601). */
  readonly createdAt: string;
}

/** A backup as written or verified: its header, its size and its checksum. */
export interface BackupInfo extends BackupHeader {
  /** The format version. */
  readonly format: number;
  /** Bytes of state-machine snapshot in it. */
  readonly dataBytes: number;
  /** Bytes of the whole backup. */
  readonly fileBytes: number;
  /** SHA-256 of the backup (hex), as recorded in its last 32 bytes. */
  readonly sha256: string;
}

/** Where a backup is written: chunk by chunk, each awaited before the next. */
export type BackupSink = (chunk: Uint8Array) => void | Promise<void>;

/** A backup's bytes: a file path or a readable stream (e.g. an HTTP response). */
export type BackupSource = string | Readable | AsyncIterable<Uint8Array>;

// -----------------------------------------------------------------------------------------
// Writing

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

/** The snapshot's bytes in chunks of at most 1 MiB (views, not copies). */
export function* chunksOf(data: Uint8Array, size = WRITE_CHUNK_BYTES): Generator<Uint8Array> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, Math.min(data.length, at + size));
}

/**
 * Write a backup of `data` (the state machine's snapshot, as chunks) taken at
 * `header.index` to `sink`. Resolves with what was written.
 */
export async function writeBackup(
  sink: BackupSink,
  header: BackupHeader,
  data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
): Promise<BackupInfo> {
  const hash = createHash('sha256');
  let fileBytes = 0;
  const put = async (bytes: Uint8Array) => {
    hash.update(bytes);
    fileBytes += bytes.length;
    await sink(bytes);
  };
  const json = Buffer.from(
    JSON.stringify({
      index: header.index,
      term: header.term,
      membership: header.membership,
      nodeId: header.nodeId,
      clusterId: header.clusterId,
      createdAt: header.createdAt,
    }),
    'utf8',
  );
  if (json.length > MAX_HEADER_BYTES) throw new InvalidArgumentError('the backup header is too large');
  await put(Buffer.concat([MAGIC, u32(BACKUP_FORMAT_VERSION), u32(json.length), json]));
  let dataBytes = 0;
  for await (const chunk of data) {
    if (!(chunk instanceof Uint8Array))
      throw new InvalidArgumentError('backup data chunks must be Uint8Arrays');
    for (let at = 0; at < chunk.length; at += MAX_CHUNK_BYTES) {
      const piece = chunk.subarray(at, Math.min(chunk.length, at + MAX_CHUNK_BYTES));
      await put(u32(piece.length));
      await put(piece);
      dataBytes += piece.length;
    }
  }
  const end = Buffer.alloc(12);
  end.writeUInt32BE(0, 0);
  end.writeBigUInt64BE(BigInt(dataBytes), 4);
  await put(end);
  const digest = hash.digest();
  await sink(digest);
  fileBytes += digest.length;
  return {
    ...header,
    format: BACKUP_FORMAT_VERSION,
    dataBytes,
    fileBytes,
    sha256: digest.toString('hex'),
  };
}

/** A `BackupSink` writing to a Node stream, waiting for `drain` when it is full. */
export function streamSink(stream: NodeJS.WritableStream): BackupSink {
  return (chunk) =>
    new Promise<void>((resolve, reject) => {
      const onError = (error: unknown) => reject(error);
      stream.once('error', onError);
      const done = () => {
        stream.off('error', onError);
        resolve();
      };
      if (stream.write(chunk)) done();
      else stream.once('drain', done);
    });
}

/**
 * Write a backup to the file `path`: into a temporary file beside it, fsynced, then renamed
 * into place (and the directory fsynced), so `path` never holds part of a backup. The file
 * is readable by its owner only (it holds all the data).
 */
export async function writeBackupFile(
  path: string,
  write: (sink: BackupSink) => Promise<BackupInfo>,
): Promise<BackupInfo> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const file = await open(tmp, 'wx', 0o600);
  let info: BackupInfo;
  try {
    info = await write(async (chunk) => {
      let at = 0;
      while (at < chunk.length) {
        const { bytesWritten } = await file.write(chunk, at, chunk.length - at);
        at += bytesWritten;
      }
    });
    await file.sync();
  } catch (error) {
    await file.close().catch(() => {});
    await rm(tmp, { force: true });
    throw error;
  }
  await file.close();
  await rename(tmp, path);
  await syncDir(dir);
  return info;
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// -----------------------------------------------------------------------------------------
// Reading

/** Reads exact byte counts from a chunk stream, hashing everything it hands out. */
class ExactReader {
  private buffered: Buffer[] = [];
  private available = 0;
  private done = false;
  consumed = 0;

  constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    private hash: ReturnType<typeof createHash> | null,
  ) {}

  /** Hash nothing more (the recorded digest is not part of what it covers). */
  stopHashing(): void {
    this.hash = null;
  }

  /** Exactly `n` bytes; `BackupError('truncated')` if the stream ends first. */
  async read(n: number, what: string): Promise<Buffer> {
    while (this.available < n) {
      if (this.done) throw new BackupError('truncated', `the backup ends inside ${what}`);
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        continue;
      }
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      if (chunk.length === 0) continue;
      this.buffered.push(chunk);
      this.available += chunk.length;
    }
    let out: Buffer;
    const first = this.buffered[0]!;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.buffered.shift();
      else this.buffered[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let at = 0;
      while (at < n) {
        const head = this.buffered[0]!;
        const take = Math.min(head.length, n - at);
        head.copy(out, at, 0, take);
        at += take;
        if (take === head.length) this.buffered.shift();
        else this.buffered[0] = head.subarray(take);
      }
    }
    this.available -= n;
    this.consumed += n;
    this.hash?.update(out);
    return out;
  }

  /** Whether the stream has no byte left. */
  async atEnd(): Promise<boolean> {
    while (this.available === 0 && !this.done) {
      const next = await this.source.next();
      if (next.done) this.done = true;
      else if (next.value.byteLength > 0) {
        this.buffered.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
        this.available += next.value.byteLength;
      }
    }
    return this.available === 0;
  }
}

function isCount(v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;
}

function isIdList(v: unknown): v is NodeId[] {
  return (
    Array.isArray(v) &&
    v.length <= MAX_MEMBERS &&
    v.every((id) => isCount(id, 1)) &&
    new Set(v).size === v.length
  );
}

/** The header's JSON as a `BackupHeader`, or `BackupError('malformed')`. */
function parseHeader(bytes: Buffer): BackupHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new BackupError('malformed', 'the header is not JSON');
  }
  const bad = (why: string) => new BackupError('malformed', `the header ${why}`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad('is not an object');
  const h = raw as Record<string, unknown>;
  if (!isCount(h.index, 1)) throw bad('has no valid index');
  if (!isCount(h.term, 1, MAX_TERM)) throw bad('has no valid term');
  if (!isCount(h.nodeId, 1)) throw bad('has no valid nodeId');
  if (h.clusterId !== null && !isCount(h.clusterId, 0, 0xffffffff)) throw bad('has no valid clusterId');
  if (typeof h.createdAt !== 'string' || h.createdAt.length > 64) throw bad('has no valid createdAt');
  const m = h.membership as Record<string, unknown> | null;
  if (
    m === null ||
    typeof m !== 'object' ||
    !isIdList(m.voters) ||
    m.voters.length === 0 ||
    !isIdList(m.learners) ||
    !isIdList(m.outgoingVoters)
  ) {
    throw bad('has no valid membership');
  }
  // The info is carried as it is: restore writes a membership of its own, never this one.
  const membership: Membership = {
    voters: m.voters,
    learners: m.learners,
    outgoingVoters: m.outgoingVoters,
    ...(m.info !== null && typeof m.info === 'object' && !Array.isArray(m.info)
      ? { info: m.info as Membership['info'] }
      : {}),
  };
  return {
    index: h.index,
    term: h.term,
    membership,
    nodeId: h.nodeId,
    clusterId: h.clusterId as number | null,
    createdAt: h.createdAt,
  };
}

function iterate(source: BackupSource): AsyncIterator<Uint8Array> & { close?: () => void } {
  if (typeof source === 'string') {
    const stream = createReadStream(source, { highWaterMark: WRITE_CHUNK_BYTES });
    const it = stream[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
    return Object.assign(it, { close: () => stream.destroy() });
  }
  return (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
}

/**
 * Read a backup through, handing each chunk of state to `onData` as it is read (before the
 * checksum is known: a caller that keeps them must wait for this to resolve; a promise it
 * returns is awaited before the next chunk is read; `onHeader` gets the header, unchecked
 * too, before the first chunk), and check it
 * whole: magic, version, header, chunk lengths, the total against `maxBytes`, the SHA-256,
 * and nothing after it. Throws `BackupError` on anything else.
 */
export async function scanBackup(
  source: BackupSource,
  onData: (chunk: Buffer) => void | Promise<void>,
  maxBytes = Number.MAX_SAFE_INTEGER,
  onHeader?: (header: BackupHeader) => void | Promise<void>,
): Promise<BackupInfo> {
  const hash = createHash('sha256');
  const it = iterate(source);
  try {
    const r = new ExactReader(it, hash);
    const magic = await r.read(8, 'its magic number').catch(() => {
      throw new BackupError('not-a-backup', 'too short to be a raft-io backup');
    });
    if (!magic.equals(MAGIC)) throw new BackupError('not-a-backup', 'it does not start with RAFTIOBK');
    const version = (await r.read(4, 'its version')).readUInt32BE();
    if (version !== BACKUP_FORMAT_VERSION)
      throw new BackupError(
        'unsupported-version',
        `format ${version}; this raft-io reads format ${BACKUP_FORMAT_VERSION}`,
      );
    const headerLength = (await r.read(4, 'its header length')).readUInt32BE();
    if (headerLength === 0 || headerLength > MAX_HEADER_BYTES)
      throw new BackupError('malformed', `header length ${headerLength} is out of bounds`);
    const header = parseHeader(await r.read(headerLength, 'its header'));
    await onHeader?.(header);
    let dataBytes = 0;
    for (;;) {
      const length = (await r.read(4, 'a chunk length')).readUInt32BE();
      if (length === 0) break;
      if (length > MAX_CHUNK_BYTES)
        throw new BackupError('malformed', `a chunk of ${length} bytes is larger than ${MAX_CHUNK_BYTES}`);
      if (dataBytes + length > maxBytes)
        throw new BackupError('too-large', `more than ${maxBytes} bytes of state (the limit)`);
      await onData(await r.read(length, 'a chunk'));
      dataBytes += length;
    }
    const total = Number((await r.read(8, 'its length')).readBigUInt64BE());
    if (total !== dataBytes)
      throw new BackupError('malformed', `it records ${total} bytes of state but holds ${dataBytes}`);
    const expected = hash.digest();
    r.stopHashing();
    const recorded = await r.read(DIGEST_BYTES, 'its checksum');
    if (!expected.equals(recorded))
      throw new BackupError('checksum-mismatch', 'its SHA-256 does not match: the file is damaged');
    if (!(await r.atEnd())) throw new BackupError('malformed', 'bytes follow its checksum');
    return {
      ...header,
      format: version,
      dataBytes,
      fileBytes: r.consumed,
      sha256: recorded.toString('hex'),
    };
  } finally {
    it.close?.();
  }
}

/** Check a backup whole (see `scanBackup`) without keeping its state; resolves with its info. */
export function verifyBackup(source: BackupSource): Promise<BackupInfo> {
  return scanBackup(source, () => {});
}

/**
 * Read and check a backup, and return its state as one buffer (what
 * `StateMachine.restore` takes today). At most `maxBytes` of state (default 256 MiB, the
 * core's default `maxSnapshotBytes`: a larger state could not be sent to a new member).
 */
export async function readBackup(
  source: BackupSource,
  options: { readonly maxBytes?: number } = {},
): Promise<{ info: BackupInfo; data: Uint8Array }> {
  const chunks: Buffer[] = [];
  const info = await scanBackup(
    source,
    (c) => void chunks.push(c),
    options.maxBytes ?? DEFAULT_MAX_BACKUP_BYTES,
  );
  return { info, data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) };
}

/**
 * Save a backup that arrives as a stream (e.g. the body of an HTTP download) to the file
 * `path`, checking it whole on the way (see `scanBackup`): only a complete, valid backup is
 * renamed into place; anything else is refused with `BackupError` and leaves no file.
 */
export function saveBackup(source: Exclude<BackupSource, string>, path: string): Promise<BackupInfo> {
  return writeBackupFile(path, (sink) => {
    const tee = async function* (): AsyncGenerator<Uint8Array> {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        await sink(chunk);
        yield chunk;
      }
    };
    return verifyBackup(tee());
  });
}

// -----------------------------------------------------------------------------------------
// Restoring into a new cluster

/** Options of `restoreBackup`. */
export interface RestoreBackupOptions extends MembershipInput {
  /** The backup: a file path or a stream. */
  readonly backup: BackupSource;
  /** The node whose data directory is seeded: one of `voters`. */
  readonly id: NodeId;
  /**
   * The new cluster's id, recorded in the log (and to give the node's transport). Must
   * differ from the cluster id the backup records: the restored cluster and the one the
   * backup came from share their history up to the backup's index, so a message of one
   * would be taken for the other's.
   */
  readonly clusterId: number;
  /** A new data directory: it is created, and refused if it holds a log already. */
  readonly dataDir?: string;
  /** Or a log to seed, which must be empty (tests, other stores); wins over `dataDir`. Not closed. */
  readonly log?: RaftLog;
  /**
   * A fresh state machine to restore the state into first, as a check that it decodes
   * (`restore` throws on bad bytes); it is not used afterwards. Default: no check (the
   * node's own `start()` restores it, and fails if it does not decode).
   */
  readonly stateMachine?: StateMachine<unknown>;
  /**
   * Most bytes of state accepted. Default 256 MiB, or with `snapshotStreaming` 64 GiB
   * (`STREAMED_MAX_SNAPSHOT_BYTES`: the state goes to a file, not memory).
   */
  readonly maxBytes?: number;
  /** Options of the `SqliteLog` created under `dataDir` (its identity is set from `id` and `clusterId`). */
  readonly sqlite?: Omit<SqliteLogOptions, 'identity' | 'create'>;
  /**
   * Seed a streaming data directory (the node starts with `snapshotStreaming: true`, D28):
   * the state goes, chunk by chunk, into the snapshot file in `snapshotDir` (whole, checked
   * and durable before the log names it), and the log keeps its size and CRC32C. Default
   * false (the state is stored in the log).
   */
  readonly snapshotStreaming?: boolean;
  /**
   * The node's snapshot directory with `snapshotStreaming`, as given to `RaftServer`.
   * Default `<dataDir>/snapshots`; required with `log`.
   */
  readonly snapshotDir?: string;
}

/** What `restoreBackup` wrote. */
export interface RestoreReport {
  /** The backup it came from. */
  readonly backup: BackupInfo;
  readonly nodeId: NodeId;
  readonly clusterId: number;
  /** The index and term the new cluster starts at (the backup's). */
  readonly index: number;
  readonly term: number;
  /** The new cluster's membership. */
  readonly membership: Membership;
  /** The snapshot file written with `snapshotStreaming`, else null (the state is in the log). */
  readonly snapshotFile: string | null;
}

/**
 * Seed the data directory of one member of a new cluster from a backup (etcd's `etcdutl
 * snapshot restore`). Run it once per member, each with its own `id` and `dataDir` and
 * the same `backup`, `clusterId` and membership; then start every member on its data
 * directory with that cluster id. Each log then holds the backup's state as its snapshot at
 * the backup's index and term, the new membership, and nothing else; the members elect a
 * leader in the next term and carry on from there. Offline: nothing else may use `dataDir`.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoreReport> {
  const { id, clusterId } = options;
  if (!isCount(id, 1)) throw new InvalidArgumentError(`id must be a positive integer, got ${String(id)}`);
  if (!isCount(clusterId, 0, 0xffffffff))
    throw new InvalidArgumentError(`clusterId must be an unsigned 32-bit integer, got ${String(clusterId)}`);
  const membership = checkedMembership(id, options);
  if (options.log === undefined && (typeof options.dataDir !== 'string' || options.dataDir === ''))
    throw new InvalidArgumentError('give dataDir (a new data directory) or log');

  if (options.snapshotStreaming !== undefined && typeof options.snapshotStreaming !== 'boolean')
    throw new InvalidArgumentError('snapshotStreaming must be a boolean');
  const streaming = options.snapshotStreaming === true;
  // With `log`, `dataDir` is not where that log lives, so its default does not apply.
  const where = options.log ? { snapshotDir: options.snapshotDir } : options;
  const dir = streaming ? requireSnapshotDir(snapshotDirOf(where), 'snapshotStreaming') : null;
  const path = options.log ? null : join(options.dataDir!, LOG_FILE_NAME);
  // Refused before anything is read or opened: opening an existing log may already write to it.
  if (path !== null && (existsSync(path) || existsSync(`${path}.hwm`)))
    throw new InvalidArgumentError(
      `the data directory ${options.dataDir} already holds a log: restore seeds a new, empty one`,
    );
  const maxBytes = options.maxBytes ?? (streaming ? STREAMED_MAX_SNAPSHOT_BYTES : DEFAULT_MAX_BACKUP_BYTES);
  const checkClusterId = (recorded: number | null) => {
    if (recorded !== null && recorded === clusterId)
      throw new InvalidArgumentError(
        `clusterId ${clusterId} is the cluster the backup was taken from: a restored cluster needs a new one`,
      );
  };
  // The state is the server's snapshot: the user's bytes, with the client-session table when
  // it holds one; the server's own machine takes it apart (a check that it decodes).
  const probe = options.stateMachine ? new ReplicatedMachine(options.stateMachine, valueCodec) : null;
  let info: BackupInfo;
  let stored: { data: Uint8Array } | { facts: StreamedFacts; file: string };
  if (dir === null) {
    const read = await readBackup(options.backup, { maxBytes });
    info = read.info;
    checkClusterId(info.clusterId);
    if (probe) await probe.restore(read.data);
    stored = { data: read.data };
  } else {
    // Streamed: the state goes to a temporary file as it is read; the file gets its final
    // name only once the backup's SHA-256 and cluster id checked out, and is restored (the
    // state machine's check) from there, so a large backup never sits in memory.
    await mkdir(dir, { recursive: true });
    const out: { writer: SnapshotFileWriter | null } = { writer: null };
    let file: string | null = null;
    try {
      info = await scanBackup(
        options.backup,
        async (chunk) => {
          await out.writer!.append(chunk);
        },
        maxBytes,
        async (header) => {
          checkClusterId(header.clusterId);
          out.writer = await SnapshotFileWriter.create(dir, header.index, header.term);
        },
      );
      file = join(dir, snapshotFileName(info));
      const facts = await out.writer!.finish();
      out.writer = null;
      stored = { facts, file };
      if (probe) await probe.restoreStream(readSnapshotFile(file, facts), MAX_SESSION_TABLE_BYTES);
    } catch (error) {
      await out.writer?.abort();
      if (file !== null) await rm(file, { force: true });
      throw error;
    }
  }

  let log = options.log;
  let created: string | undefined;
  if (!log) {
    await mkdir(options.dataDir!, { recursive: true });
    log = SqliteLog.open(path!, {
      groupCommit: false,
      ...options.sqlite,
      create: true,
      identity: { nodeId: id, clusterId },
    });
    created = path!;
  }
  try {
    const hs = log.hardState();
    if (hs.term !== 0 || hs.vote !== null || log.lastIndex() !== 0 || log.snapshotMetadata() !== null)
      throw new InvalidArgumentError(
        `the ${options.log ? 'log' : `data directory ${options.dataDir}`} already holds Raft state: restore seeds a new, empty one`,
      );
    const metadata = { index: info.index, term: info.term, membership };
    // The shape of a snapshot installed from a leader: the snapshot replaces the whole log.
    // Streamed, the log names the file only now that it is whole and durable.
    const write = {
      hardState: { term: info.term, vote: null, commit: info.index },
      truncateFrom: log.firstIndex(),
      compact: { index: info.index, term: info.term },
    };
    if ('data' in stored) {
      log.write({ ...write, snapshot: { metadata, data: stored.data } });
    } else {
      streamedWriter(log, null).write({
        ...write,
        snapshot: { metadata: { ...metadata, ...stored.facts }, data: new Uint8Array(0) },
      });
    }
    log.sync?.();
  } catch (error) {
    if (created !== undefined) {
      // Leave no half-seeded log behind: a second attempt would refuse it. (The log is ours
      // to delete only because the check above refused any that was there before.)
      log.close?.();
      for (const suffix of ['', '-wal', '-shm', '.hwm', '.lock'])
        await rm(`${created}${suffix}`, { force: true });
      created = undefined;
    }
    if ('file' in stored) await rm(stored.file, { force: true });
    throw error;
  } finally {
    if (created !== undefined) log.close?.();
  }
  return {
    backup: info,
    nodeId: id,
    clusterId,
    index: info.index,
    term: info.term,
    membership,
    snapshotFile: 'file' in stored ? stored.file : null,
  };
}
