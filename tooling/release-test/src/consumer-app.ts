/**
 * The files of the consumer app: a fresh npm project outside the workspace that depends on
 * the packed tarballs, as a user's app would. Its programs use every package from an ESM
 * module and from a CommonJS module (require of ESM: Node 20.19 / 22.12 and later), and its
 * tsconfigs type-check them (and the docs' blocks) the ways users compile: module nodenext,
 * module bundler, and a browser-style project that knows nothing of Node (`types: []`).
 */

/**
 * The body both programs run, given the six packages as `core`, `framing`, `sqlite`, `tcp`,
 * `testkit`, `raftIo`: a durable single-node server, a framing round trip, two TCP
 * transports exchanging a message, a simulated cluster, and one copy of core behind all.
 */
const PROGRAM_BODY = `
const assert = (ok, what) => { if (!ok) throw new Error('consumer check failed: ' + what); };
const fs = require_('node:fs');
const os = require_('node:os');
const path = require_('node:path');

// raft-io re-exports the very classes of the packages it is built on: one copy of each.
assert(raftIo.RaftNode === core.RaftNode, 'raft-io re-exports @raft-io/core');
assert(raftIo.SqliteLog === sqlite.SqliteLog, 'raft-io re-exports @raft-io/log-sqlite');
assert(raftIo.encodeFrame === framing.encodeFrame, 'raft-io re-exports @raft-io/framing');
assert(raftIo.createTcpTransport === tcp.createTcpTransport, 'raft-io re-exports @raft-io/transport-tcp');

// The core alone: one voter elects itself and applies a command.
const node = new core.RaftNode(core.RaftConfig.single(1));
while (!node.isLeader()) node.step({ type: 'tick' });
const applied = node.step({ type: 'propose', command: new TextEncoder().encode('x') }).filter((a) => a.type === 'apply');
assert(applied.length === 1 && applied[0].index === 1, 'core applies index 1');

// framing: a message survives a frame.
const frames = [];
const decoder = new framing.FrameDecoder({ maxFrameBytes: 1 << 20 });
decoder.push(framing.encodeFrame(7, { type: 'heartbeat', from: 1, to: 2, term: 3, commit: 0, context: 1 }), (f) => frames.push(f));
assert(frames.length === 1 && frames[0].message.term === 3, 'framing round trip');

// raft-io: a durable single node (SQLite through better-sqlite3) proposes, closes, resumes.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'raft-io-consumer-'));
try {
  const counter = () => {
    let total = 0;
    return {
      apply: (command) => (total += command[0]),
      snapshot: () => Uint8Array.of(total),
      restore: (bytes) => { total = bytes[0] ?? 0; },
    };
  };
  let server = await raftIo.createRaftServer({ id: 1, dataDir, stateMachine: counter() });
  assert((await server.propose(Uint8Array.of(5))) === 5, 'propose on a fresh server');
  await server.close();
  server = await raftIo.createRaftServer({ id: 1, dataDir, stateMachine: counter() });
  assert((await server.propose(Uint8Array.of(2))) === 7, 'propose after a restart (log replayed)');
  await server.close();
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

// transport-tcp: two transports on loopback exchange a heartbeat.
const secret = 'consumer-test-cluster-secret-of-32-bytes!';
const a = tcp.createTcpTransport({ id: 1, clusterId: 9, clusterSecret: secret, listen: { host: '127.0.0.1', port: 0 } });
const b = tcp.createTcpTransport({ id: 2, clusterId: 9, clusterSecret: secret, listen: { host: '127.0.0.1', port: 0 } });
const received = new Promise((resolve) => b.start(resolve));
await a.start(() => {});
a.setPeer(2, b.address());
b.setPeer(1, a.address());
a.send({ type: 'heartbeat', from: 1, to: 2, term: 1, commit: 0, context: 1 });
const message = await received;
assert(message.type === 'heartbeat' && message.from === 1, 'tcp delivers');
await Promise.all([a.close(), b.close()]);

// testkit: a seeded simulation of five nodes through the chaos scenario, checked.
const result = testkit.simulate({ seed: 7, nodes: 5, scenario: 'chaos', faultTicks: 200 });
assert(result.ok && result.violations.length === 0, 'simulation without violations');

console.log('ok', MODULE_KIND, process.version, result.traceHash);
`;

/** The ESM program (`esm.mjs`). */
export const ESM_PROGRAM = `import { createRequire } from 'node:module';
import * as core from '@raft-io/core';
import * as framing from '@raft-io/framing';
import * as sqlite from '@raft-io/log-sqlite';
import * as tcp from '@raft-io/transport-tcp';
import * as testkit from '@raft-io/testkit';
import * as raftIo from 'raft-io';
const require_ = createRequire(import.meta.url);
const MODULE_KIND = 'esm';
${PROGRAM_BODY}`;

/** The CommonJS program (`cjs.cjs`): require() of the ESM-only packages. */
export const CJS_PROGRAM = `'use strict';
const require_ = require;
const MODULE_KIND = 'cjs';
const core = require('@raft-io/core');
const framing = require('@raft-io/framing');
const sqlite = require('@raft-io/log-sqlite');
const tcp = require('@raft-io/transport-tcp');
const testkit = require('@raft-io/testkit');
const raftIo = require('raft-io');
(async () => {
${PROGRAM_BODY}
})().catch((error) => {
  console.error(error);
  process.exit(1);
});`;

/**
 * Typed use of every entry point, for tsc: values and types from each package, the testkit's
 * compliance subpath as types only (it needs vitest at run time, which this app lacks).
 */
export const TYPED_PROGRAM = `import { type Action, MemoryLog, RaftConfig, RaftNode } from '@raft-io/core';
import { decodeMessage, encodeMessage } from '@raft-io/framing';
import { SqliteLog, type SqliteLogOptions } from '@raft-io/log-sqlite';
import { createTcpTransport, type TcpTransportOptions } from '@raft-io/transport-tcp';
import { simulate, type SimulationResult } from '@raft-io/testkit';
import type { RaftLogFactory } from '@raft-io/testkit/compliance';
import { createRaftServer, type RaftServer, type StateMachine } from 'raft-io';

export const node: RaftNode = new RaftNode(RaftConfig.single(1), new MemoryLog());
export const actions: Action[] = node.step({ type: 'tick' });
export const bytes: Uint8Array = encodeMessage(decodeMessage(new Uint8Array()));
export const sqliteOptions: SqliteLogOptions = {};
export const open: typeof SqliteLog.open = SqliteLog.open;
export const tcp: (o: TcpTransportOptions) => unknown = createTcpTransport;
export const sim: (seed: number) => SimulationResult = (seed) => simulate({ seed });
export const factory: RaftLogFactory | undefined = undefined;
export const machine: StateMachine<number> = { apply: () => 1, snapshot: () => new Uint8Array(), restore: () => {} };
export const start: (dataDir: string) => Promise<RaftServer<number>> = (dataDir) =>
  createRaftServer({ id: 1, dataDir, stateMachine: machine });
`;

/** The same, from a CommonJS TypeScript module (\`import = require\`, compiled as CommonJS under nodenext). */
export const TYPED_CJS_PROGRAM = `import core = require('@raft-io/core');
import raftIo = require('raft-io');
import testkit = require('@raft-io/testkit');
export const node: core.RaftNode = new raftIo.RaftNode(core.RaftConfig.single(1));
export const result: testkit.SimulationResult = testkit.simulate({ seed: 1, faultTicks: 10 });
`;

/** A browser-style program: core and testkit with no Node types at all. */
export const BROWSER_PROGRAM = `import { RaftConfig, RaftNode } from '@raft-io/core';
import { simulate } from '@raft-io/testkit';
const node = new RaftNode(RaftConfig.single(1));
export const leader: boolean = node.isLeader();
export const hash: string = simulate({ seed: 1, faultTicks: 10 }).traceHash;
`;

const STRICT = {
  strict: true,
  skipLibCheck: false,
  noEmitOnError: false,
  target: 'ES2022',
  lib: ['ES2022'],
  verbatimModuleSyntax: false,
};

/** tsconfig files of the app: each checks every library .d.ts it reaches (skipLibCheck false). */
export function tsconfigs(docFiles: readonly string[]): Record<string, unknown> {
  return {
    // What a Node user compiles with: nodenext, Node's types, emitting the docs' blocks to run them.
    'tsconfig.nodenext.json': {
      compilerOptions: { ...STRICT, module: 'nodenext', types: ['node'], outDir: 'out', rootDir: '.' },
      files: ['src/typed.ts', 'src/typed-cjs.cts', ...docFiles],
    },
    // The same with module node20 (Node 20's module semantics, frozen; TypeScript 5.9 and later).
    'tsconfig.node20.json': {
      compilerOptions: { ...STRICT, module: 'node20', types: ['node'], noEmit: true },
      files: ['src/typed.ts', 'src/typed-cjs.cts', ...docFiles],
    },
    // A bundler user (Vite, esbuild): module preserve with bundler resolution.
    'tsconfig.bundler.json': {
      compilerOptions: {
        ...STRICT,
        module: 'preserve',
        moduleResolution: 'bundler',
        types: ['node'],
        noEmit: true,
      },
      files: ['src/typed.ts', ...docFiles],
    },
    // A browser user of the core and the simulator: no Node types, DOM lib.
    'tsconfig.browser.json': {
      compilerOptions: {
        ...STRICT,
        module: 'preserve',
        moduleResolution: 'bundler',
        types: [],
        lib: ['ES2022', 'DOM'],
        noEmit: true,
      },
      files: ['src/browser.ts'],
    },
  };
}
