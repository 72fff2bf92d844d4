/**
 * In-process kv nodes for the HTTP tests: real `RaftServer`s with SQLite logs in a temp dir
 * and TCP transports on 127.0.0.1, so the tests can read a node's own counters
 * (`httpStats()`) while a hostile client talks to it over real sockets. Plus a plain HTTP
 * client that sends a raw request target byte for byte (fetch and `new URL` would normalize
 * it first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts, jsonLogger, type KvNode, type KvNodeOptions, startKvNode } from '../../src/index.js';

export interface TestNodes {
  readonly nodes: KvNode[];
  /** The node that leads once every node agrees on it. */
  leader(): Promise<KvNode>;
  close(): Promise<void>;
}

type Extra = Partial<Omit<KvNodeOptions, 'id' | 'http' | 'raft' | 'peers' | 'dataDir' | 'logger'>>;

/** Wait (polling every 10 ms) until `check` holds; throws after `timeoutMs`. */
export async function until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Start `size` nodes of one cluster in this process (`extra` applies to each). `urlOf` may
 * change the HTTP URL by which node `viewer` knows node `peer` (default: its real URL).
 */
export async function startNodes(
  size: number,
  extra: Extra = {},
  urlOf: (viewer: number, peer: number, real: string) => string = (_v, _p, real) => real,
): Promise<TestNodes> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-http-'));
  const ports = await freePorts(size * 2, '127.0.0.1');
  const specs = Array.from({ length: size }, (_, i) => ({
    id: i + 1,
    raft: { host: '127.0.0.1', port: ports[2 * i]! },
    http: { host: '127.0.0.1', port: ports[2 * i + 1]! },
    url: `http://127.0.0.1:${ports[2 * i + 1]!}`,
  }));
  const nodes: KvNode[] = [];
  const close = async () => {
    await Promise.all(nodes.map((n) => n.close()));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const spec of specs) {
      nodes.push(
        await startKvNode({
          id: spec.id,
          http: spec.http,
          raft: spec.raft,
          peers: specs
            .filter((s) => s.id !== spec.id)
            .map(({ id, raft, url }) => ({ id, raft, url: urlOf(spec.id, id, url) })),
          dataDir: join(dir, `n${spec.id}`),
          tickIntervalMs: 20,
          logger: jsonLogger('silent'),
          ...extra,
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  const leader = async () => {
    let found: KvNode | undefined;
    await until('an agreed leader', () => {
      found = nodes.find((n) => n.server.isLeader());
      return found !== undefined && nodes.every((n) => n.server.leader() === found!.id);
    });
    return found!;
  };
  return { nodes, leader, close };
}

export interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json(): unknown;
}

/** One request with `path` sent as is (no normalization), on a fresh connection. */
export function request(
  url: string,
  method: string,
  path: string,
  body?: string | Uint8Array,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const base = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: base.hostname, port: base.port, path, method, agent: false, headers, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}
