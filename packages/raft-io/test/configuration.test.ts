/**
 * Configuration is checked up front (issue 13): the constructor refuses every bad option,
 * an unknown key is named with the nearest known one, and problems are never silent by
 * default: the default logger writes warnings and errors to stderr in pino's shape, and a
 * fatal storage error with no `error` listener and a silenced logger still shows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  createRaftServer,
  createStderrLogger,
  InvalidConfigError,
  type LogWrite,
  MemoryLog,
  nearestKey,
  RaftServer,
  type RaftServerOptions,
  StorageError,
} from '../src/index.js';
import { freePorts } from './helpers/cluster.js';
import { KvMachine, setCommand } from './helpers/kv-machine.js';

const root = mkdtempSync(join(tmpdir(), 'raft-io-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function base(): RaftServerOptions<string | null> {
  return { id: 1, log: new MemoryLog(), stateMachine: new KvMachine() };
}

function configError(options: unknown): InvalidConfigError {
  try {
    new RaftServer(options as RaftServerOptions<string | null>);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidConfigError);
    return error as InvalidConfigError;
  }
  throw new Error('expected InvalidConfigError');
}

describe('options are checked in the constructor', () => {
  it('an unknown key is an error naming it and the nearest known key, at any depth', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ tickIntervalMS: 50 }, 'tickIntervalMS', 'tickIntervalMs'],
      [{ snapshotEveryByte: 5 }, 'snapshotEveryByte', 'snapshotEveryBytes'],
      [{ raft: { electionTicks: 20 } }, 'raft.electionTicks', 'raft.electionTick'],
      [{ sqlite: { groupComit: true } }, 'sqlite.groupComit', 'sqlite.groupCommit'],
      [
        { tcp: { clusterId: 1, listen: { host: '127.0.0.1', port: 0 }, reconect: {} } },
        'tcp.reconect',
        'tcp.reconnect',
      ],
      [
        { tcp: { clusterId: 1, listen: { host: '127.0.0.1', port: 0 }, reconnect: { maxDelay: 5 } } },
        'tcp.reconnect.maxDelay',
        'tcp.reconnect.maxDelayMs',
      ],
      [{ sessionLimits: { maxSession: 5 } }, 'sessionLimits.maxSession', 'sessionLimits.maxSessions'],
    ];
    for (const [extra, field, near] of cases) {
      const error = configError({ ...base(), ...extra });
      expect(error.field).toBe(field);
      expect(error.message).toContain(`did you mean ${near}?`);
    }
    // A key nothing like any option lists the known ones instead.
    expect(configError({ ...base(), zzzzzzzzzzzz: 1 }).message).toMatch(/known: id, voters/);
  });

  it('refuses in the constructor what start() used to find: core tuning, member addresses, listen', () => {
    expect(configError({ ...base(), raft: { electionTick: 5, heartbeatTick: 5 } }).field).toBe(
      'heartbeatTick',
    );
    expect(configError({ ...base(), voters: { 1: 'nowhere' } }).field).toBe('voters.1');
    expect(configError({ ...base(), voters: { x: '127.0.0.1:1' } }).field).toBe('voters.x');
    expect(configError({ ...base(), log: undefined, dataDir: root, tcp: { clusterId: 1 } }).field).toBe(
      'tcp.listen',
    );
    expect(configError({ ...base(), resultCodec: {} }).field).toBe('resultCodec');
    expect(configError({ ...base(), logger: console.log }).field).toBe('logger');
    expect(configError({ ...base(), sessionLimits: { maxSessions: 0 } }).field).toBe('sessionLimits');
    expect(configError({ ...base(), sqlite: { identity: { nodeId: 2, clusterId: 1 } } }).field).toBe(
      'sqlite.identity',
    );
  });

  it("listens on this node's own address from voters when tcp.listen is left out", async () => {
    const [port] = await freePorts(1);
    const server = await createRaftServer({
      id: 1,
      voters: { 1: `127.0.0.1:${port}` },
      dataDir: join(root, 'own-address'),
      stateMachine: new KvMachine(),
      tcp: { clusterId: 1 },
      logger: 'silent',
    });
    try {
      expect(server.address()?.port).toBe(port);
      expect(server.status().membership.info?.[1]?.address).toBe(`127.0.0.1:${port}`);
    } finally {
      await server.close();
    }
  });

  it('nearestKey finds a typo and ignores a different word', () => {
    expect(nearestKey('dataDIR', ['dataDir', 'log'])).toBe('dataDir');
    expect(nearestKey('banana', ['dataDir', 'log'])).toBeUndefined();
  });
});

describe('never silent by default', () => {
  it('the default logger writes warnings and errors to stderr as pino-shaped JSON lines', async () => {
    // Init: capture stderr; a TCP server on loopback without authentication warns at start.
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    let server: RaftServer<string | null> | undefined;
    try {
      // Act
      server = await createRaftServer({
        id: 1,
        dataDir: join(root, 'default-logger'),
        stateMachine: new KvMachine(),
        tcp: { clusterId: 1, listen: { host: '127.0.0.1', port: 0 } },
      });
    } finally {
      spy.mockRestore();
      await server?.close();
    }
    // Check: one JSON line per entry, pino's fields, info dropped.
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const warning = entries.find((e) => String(e.msg).includes('no peer authentication'));
    expect(warning).toMatchObject({ level: 40, pid: process.pid, name: 'raft-io', id: 1 });
    expect(typeof warning!.time).toBe('number');
    expect(typeof warning!.hostname).toBe('string');
    expect(entries.every((e) => (e.level as number) >= 40)).toBe(true);
  });

  it('createStderrLogger serializes errors as pino does', () => {
    const lines: string[] = [];
    const logger = createStderrLogger({ level: 'debug', stream: { write: (l: string) => lines.push(l) } });
    logger.error({ err: new StorageError('disk on fire') }, 'stopped');
    logger.debug({ n: 1n }, 'big');
    const [error, debug] = lines.map((l) => JSON.parse(l));
    expect(error).toMatchObject({
      level: 50,
      msg: 'stopped',
      err: { type: 'StorageError', code: 'STORAGE', message: 'disk on fire' },
    });
    expect(debug).toMatchObject({ level: 20, n: '1' });
  });

  it('a fatal storage error with no error listener and a silenced logger still shows (a process warning)', async () => {
    // Init
    class FailingLog extends MemoryLog {
      fail = false;
      override write(write: LogWrite): void {
        if (this.fail) throw new StorageError('disk on fire');
        super.write(write);
      }
    }
    const log = new FailingLog();
    const server = await createRaftServer({ id: 7, log, stateMachine: new KvMachine(), logger: 'silent' });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      // Act
      log.fail = true;
      await expect(server.propose(setCommand('a', '1'))).rejects.toMatchObject({ code: 'STORAGE' });
      await new Promise((r) => setImmediate(r));
      // Check
      expect(warnings.map((w) => w.message)).toContainEqual(
        expect.stringMatching(/raft server 7 stopped by a fatal error: disk on fire/),
      );
      expect(warnings[0]!.name).toBe('RaftServerFatalError');
    } finally {
      process.off('warning', onWarning);
      await server.close();
    }
  });
});
