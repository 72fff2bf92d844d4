/**
 * One process of the replicated floor (`replicated-floor.ts`): the least a replicated,
 * durable key-value store must do per request, in Node, with the kv's I/O shape and nothing
 * else. No Raft (no terms, elections, or log matching), no SQLite (a plain append-only file),
 * no checksums, no frame authentication, no metrics.
 *
 * The leader (`leader <dir> <port> <port>`) serves `PUT /kv/:key` and `GET /kv/:key` over
 * HTTP. Puts that arrive in one turn of the event loop form a batch: appended to its file
 * (`writeSync`), sent to both followers in one frame each, and made durable by an `fdatasync`
 * (one in flight; batches written meanwhile join the next). A batch is answered once two of
 * the three members have it durable. Gets wait for a round: a ping to both followers, one
 * round in flight, answered when one follower answers (leader + one = a quorum), from the map.
 * A follower (`follower <dir>`) appends each batch to its file, fdatasyncs the same way, acks
 * the newest durable batch, applies batches to its map, and answers pings at once.
 *
 * Frames: u32 length | u8 type | u32 number | payload. Leader to follower: 1 = a batch (its
 * number; payload u32 count, then per put u16 key length | key | u32 value length | value),
 * 2 = a ping (the round). Follower to leader: 1 = durable up to batch, 2 = pong (the round).
 * Trusted input only: it runs on loopback for the benchmark and is never a product.
 */
import { fdatasync, openSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer, type Socket } from 'node:net';
import { join } from 'node:path';

const APPEND = 1;
const PING = 2;
const ACK = 1;
const PONG = 2;
const OK_BODY = Buffer.from('{"ok":true}');

/** Frames out of a byte stream. */
function frameReader(onFrame: (type: number, n: number, payload: Buffer) => void): (chunk: Buffer) => void {
  let pending: Buffer = Buffer.alloc(0);
  return (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    let at = 0;
    while (pending.length - at >= 4) {
      const length = pending.readUInt32BE(at);
      if (pending.length - at - 4 < length) break;
      onFrame(pending[at + 4]!, pending.readUInt32BE(at + 5), pending.subarray(at + 9, at + 4 + length));
      at += 4 + length;
    }
    pending = pending.subarray(at);
  };
}

function frame(type: number, n: number, payload?: Buffer): Buffer {
  const head = Buffer.alloc(9);
  head.writeUInt32BE(5 + (payload?.length ?? 0), 0);
  head[4] = type;
  head.writeUInt32BE(n, 5);
  return payload === undefined ? head : Buffer.concat([head, payload]);
}

/** An append-only file with one fdatasync in flight; `durable` is called with what it covers. */
class GroupCommitFile {
  private readonly fd: number;
  private written = 0;
  private syncing = false;
  durable = 0;

  constructor(
    path: string,
    private readonly onDurable: (n: number) => void,
  ) {
    this.fd = openSync(path, 'a');
  }

  append(n: number, bytes: Buffer): void {
    writeSync(this.fd, bytes);
    this.written = n;
    this.sync();
  }

  private sync(): void {
    if (this.syncing || this.written === this.durable) return;
    this.syncing = true;
    const covers = this.written;
    fdatasync(this.fd, (error) => {
      if (error) throw error;
      this.syncing = false;
      this.durable = covers;
      this.onDurable(covers);
      this.sync();
    });
  }
}

interface Put {
  readonly key: string;
  readonly value: Buffer;
  readonly res: ServerResponse;
}

function encodeBatch(puts: readonly Put[]): Buffer {
  let size = 4;
  for (const p of puts) size += 6 + Buffer.byteLength(p.key) + p.value.length;
  const out = Buffer.alloc(size);
  out.writeUInt32BE(puts.length, 0);
  let at = 4;
  for (const p of puts) {
    const k = out.write(p.key, at + 2);
    out.writeUInt16BE(k, at);
    at += 2 + k;
    out.writeUInt32BE(p.value.length, at);
    p.value.copy(out, at + 4);
    at += 4 + p.value.length;
  }
  return out;
}

function applyBatch(map: Map<string, Buffer>, payload: Buffer): void {
  const count = payload.readUInt32BE(0);
  let at = 4;
  for (let i = 0; i < count; i++) {
    const k = payload.readUInt16BE(at);
    const key = payload.toString('utf8', at + 2, at + 2 + k);
    at += 2 + k;
    const v = payload.readUInt32BE(at);
    map.set(key, Buffer.from(payload.subarray(at + 4, at + 4 + v)));
    at += 4 + v;
  }
}

function runFollower(dir: string): void {
  const map = new Map<string, Buffer>();
  let leader: Socket | null = null;
  const file = new GroupCommitFile(join(dir, 'follower.log'), (n) => leader?.write(frame(ACK, n)));
  const server = createTcpServer((socket) => {
    leader = socket;
    socket.setNoDelay(true);
    socket.on('error', () => {});
    socket.on(
      'data',
      frameReader((type, n, payload) => {
        if (type === PING) {
          socket.write(frame(PONG, n));
          return;
        }
        file.append(n, payload);
        applyBatch(map, payload);
      }),
    );
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

function runLeader(dir: string, ports: number[]): void {
  const map = new Map<string, Buffer>();
  const followers = ports.map((port) => connect({ host: '127.0.0.1', port, noDelay: true }));
  /** Newest batch durable on each member: the leader, then the followers. */
  const durable = [0, 0, 0];
  let batchNo = 0;
  let committed = 0;
  let puts: Put[] = [];
  const unanswered: { n: number; puts: Put[] }[] = [];
  let reads: { key: string; res: ServerResponse }[] = [];
  let round: { n: number; reads: { key: string; res: ServerResponse }[] } | null = null;
  let roundNo = 0;
  let scheduled = false;

  const commit = () => {
    const n = [...durable].sort((a, b) => b - a)[1]!;
    if (n <= committed) return;
    committed = n;
    while (unanswered.length > 0 && unanswered[0]!.n <= committed) {
      for (const p of unanswered.shift()!.puts) {
        map.set(p.key, p.value);
        p.res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK_BODY.length });
        p.res.end(OK_BODY);
      }
    }
  };
  const file = new GroupCommitFile(join(dir, 'leader.log'), (n) => {
    durable[0] = n;
    commit();
  });
  followers.forEach((socket, i) => {
    // A follower that is gone never acks again: the floor waits, as a replicated store must.
    socket.on('error', () => {});
    socket.on(
      'data',
      frameReader((type, n) => {
        if (type === ACK) {
          durable[i + 1] = n;
          commit();
        } else if (round !== null && n === round.n) {
          for (const r of round.reads) answerRead(r.key, r.res);
          round = null;
          if (reads.length > 0) schedule();
        }
      }),
    );
  });

  const answerRead = (key: string, res: ServerResponse) => {
    const value = map.get(key);
    if (value === undefined) {
      res.writeHead(404, { 'content-length': 0 });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': value.length });
    res.end(value);
  };

  /** Once per turn: this turn's puts as one batch, and a read round if none is in flight. */
  const flush = () => {
    scheduled = false;
    if (puts.length > 0) {
      const batch = puts;
      puts = [];
      const n = ++batchNo;
      const payload = encodeBatch(batch);
      const out = frame(APPEND, n, payload);
      for (const f of followers) f.write(out);
      unanswered.push({ n, puts: batch });
      file.append(n, payload);
    }
    if (reads.length > 0 && round === null) {
      round = { n: ++roundNo, reads };
      reads = [];
      const out = frame(PING, round.n);
      for (const f of followers) f.write(out);
    }
  };
  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const key = decodeURIComponent((req.url ?? '').slice('/kv/'.length));
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'PUT') puts.push({ key, value: Buffer.concat(chunks), res });
      else reads.push({ key, res });
      schedule();
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

const [role, dir, ...ports] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: replicated-floor-node leader|follower <dir> [port port]');
process.on('disconnect', () => process.exit(0));
if (role === 'leader') runLeader(dir, ports.map(Number));
else runFollower(dir);
