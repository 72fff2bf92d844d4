/**
 * Codec throughput: encode + decode round trips per second, and MB/s of wire bytes, for a
 * heartbeat and for AppendEntries with 1, 16 and 256 entries of 100 bytes. Each case runs
 * four codecs in the same process: the protobuf message codec alone, whole frames through
 * encodeFrame + FrameDecoder (header, CRC32C and all), authenticated frames (the same, plus
 * FrameAuthenticator.seal and the decoder's FrameVerifier: an HMAC-SHA256 each way), and
 * the baseline, JSON.stringify / JSON.parse of the same message with its bytes as base64
 * (so that it round-trips too). Ratios are against that baseline; the last column is the
 * authenticated frame against the plain frame of the same run. Not a test: numbers vary by
 * machine; run `pnpm bench`.
 */

import { randomBytes } from 'node:crypto';
import type { Entry, Message } from '@raft-io/core';
import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  FrameAuthenticator,
  FrameDecoder,
  FrameVerifier,
} from '../src/index.js';

const RUN_MS = Number(process.env.BENCH_MS ?? 600);

function appendEntries(n: number): Message {
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const data = new Uint8Array(100);
    for (let j = 0; j < data.length; j++) data[j] = (i * 31 + j) & 0xff;
    entries.push({ index: 1_000_000 + i, term: 42, type: 'command', data });
  }
  return {
    type: 'append-entries',
    from: 1,
    to: 2,
    term: 42,
    prevLogIndex: 999_999,
    prevLogTerm: 42,
    entries,
    commit: 999_990,
  };
}

const cases: [string, Message][] = [
  ['heartbeat', { type: 'heartbeat', from: 1, to: 2, term: 42, commit: 999_990, context: 7 }],
  ['append-entries x1 (100 B)', appendEntries(1)],
  ['append-entries x16 (100 B)', appendEntries(16)],
  ['append-entries x256 (100 B)', appendEntries(256)],
];

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function jsonEncode(m: Message): Uint8Array {
  return encoder.encode(
    JSON.stringify(m, (_k, v) => (v instanceof Uint8Array ? { $b64: Buffer.from(v).toString('base64') } : v)),
  );
}

function jsonDecode(bytes: Uint8Array): Message {
  return JSON.parse(decoder.decode(bytes), (_k, v) =>
    v !== null && typeof v === 'object' && typeof v.$b64 === 'string'
      ? new Uint8Array(Buffer.from(v.$b64, 'base64'))
      : v,
  ) as Message;
}

interface Result {
  readonly opsPerSec: number;
  readonly mbPerSec: number;
  readonly bytes: number;
}

/** Runs `roundTrip` for RUN_MS after a warm-up; returns round trips/s and wire MB/s. */
function measure(bytesPerOp: number, roundTrip: () => void): Result {
  const warmUntil = performance.now() + RUN_MS / 3;
  while (performance.now() < warmUntil) roundTrip();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < RUN_MS) {
    for (let i = 0; i < 64; i++) roundTrip();
    ops += 64;
    now = performance.now();
  }
  const opsPerSec = ops / ((now - start) / 1000);
  return { opsPerSec, mbPerSec: (opsPerSec * bytesPerOp) / 1e6, bytes: bytesPerOp };
}

let sink = 0;

function protobufMessage(m: Message): Result {
  return measure(encodeMessage(m).length, () => {
    sink += decodeMessage(encodeMessage(m)).term;
  });
}

function protobufFrame(m: Message): Result {
  const frames = new FrameDecoder();
  const onFrame = (f: { frameBytes: number }) => {
    sink += f.frameBytes;
  };
  return measure(encodeFrame(1, m).length, () => {
    frames.push(encodeFrame(1, m), onFrame);
  });
}

function authenticatedFrame(m: Message): Result {
  const key = randomBytes(32);
  const sender = new FrameAuthenticator(key);
  const frames = new FrameDecoder();
  frames.authenticate(new FrameVerifier(key));
  const onFrame = (f: { frameBytes: number }) => {
    sink += f.frameBytes;
  };
  return measure(new FrameAuthenticator(key).seal(encodeFrame(1, m)).length, () => {
    frames.push(sender.seal(encodeFrame(1, m)), onFrame);
  });
}

function json(m: Message): Result {
  return measure(jsonEncode(m).length, () => {
    sink += jsonDecode(jsonEncode(m)).term;
  });
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const rows: string[][] = [
  ['case', 'codec', 'bytes', 'round trips/s', 'MB/s', 'x JSON (ops)', 'x plain frame (ops)'],
];
for (const [name, m] of cases) {
  const base = json(m);
  const plain = protobufFrame(m);
  const results: [string, Result][] = [
    ['protobuf message', protobufMessage(m)],
    ['protobuf frame', plain],
    ['authenticated frame', authenticatedFrame(m)],
    ['JSON (baseline)', base],
  ];
  for (const [codec, r] of results) {
    rows.push([
      name,
      codec,
      fmt(r.bytes),
      fmt(r.opsPerSec),
      fmt(r.mbPerSec, 1),
      fmt(r.opsPerSec / base.opsPerSec, 2),
      codec === 'authenticated frame' ? fmt(r.opsPerSec / plain.opsPerSec, 2) : '',
    ]);
  }
}

const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
const line = (r: string[]) =>
  r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`@raft-io/framing codec benchmark (node ${process.version}, ${RUN_MS} ms per measurement)\n`);
console.log(line(rows[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
if (sink === -1) console.log(sink);
