/**
 * The HTTP exhaustion attacks of issue 12, replayed against one `kv node` process (the built
 * CLI, or `--cli PATH` for another build): N stalled uploads of a 1 MiB body each (all of it
 * but the last byte), then M slowloris connections (one header byte every 500 ms). Reports
 * the node's resident memory (ps), how many uploads were refused at once, how long the
 * server kept the attackers' connections, and whether a normal client was served during
 * each attack. Measurement, not a test: `node --import tsx bench/http-attack.ts [--uploads
 * 400] [--slowloris 200] [--cap-seconds 20] [--cli dist/cli.js]`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    uploads: { type: 'string', default: '400' },
    slowloris: { type: 'string', default: '200' },
    'cap-seconds': { type: 'string', default: '20' },
    cli: { type: 'string', default: fileURLToPath(new URL('../dist/cli.js', import.meta.url)) },
  },
});
const UPLOADS = Number(values.uploads);
const SLOWLORIS = Number(values.slowloris);
const CAP_MS = Number(values['cap-seconds']) * 1000;
const MiB = 1024 * 1024;

const rssMiB = (pid: number) =>
  Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)]).toString()) / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function call(url: string, method: string, body?: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.request(`${url}`, { method, agent: false, timeout: 10_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

interface Attacker {
  socket: net.Socket;
  received: string;
  closedAt: number | null;
}

function attacker(port: number, onConnect: (s: net.Socket) => void): Attacker {
  const a: Attacker = { socket: net.connect({ host: '127.0.0.1', port }), received: '', closedAt: null };
  a.socket.setEncoding('latin1');
  a.socket.on('data', (c: string) => {
    if (a.received.length < 200) a.received += c;
  });
  a.socket.on('error', () => {});
  a.socket.on('close', () => {
    a.closedAt = Date.now();
  });
  a.socket.on('connect', () => onConnect(a.socket));
  return a;
}

/** Wait until every attacker is closed or `CAP_MS` passed; the time the last one was held. */
async function heldFor(attackers: Attacker[], since: number): Promise<string> {
  while (attackers.some((a) => a.closedAt === null) && Date.now() - since < CAP_MS) await sleep(50);
  const open = attackers.filter((a) => a.closedAt === null).length;
  if (open > 0) return `> ${CAP_MS / 1000} s (${open} still open)`;
  return `${((Math.max(...attackers.map((a) => a.closedAt!)) - since) / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kv-attack-'));
  const child = spawn(
    process.execPath,
    [values.cli, 'node', '--id', '1', '--http', '127.0.0.1:0', '--raft', '127.0.0.1:0', '--data', dir],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, KV_STATUS_TOKEN: '' } },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      const m = /"url":"([^"]+)"/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', () => reject(new Error(`kv node exited: ${out}`)));
  });
  const port = Number(new URL(url).port);
  const pid = child.pid!;
  try {
    while ((await call(`${url}/kv/warmup`, 'PUT', 'x')) !== 200) await sleep(50);
    const base = rssMiB(pid);
    console.log(`kv node ${values.cli}: resident ${base.toFixed(0)} MiB at rest`);

    // Stalled uploads.
    let started = Date.now();
    const uploads = Array.from({ length: UPLOADS }, (_, i) =>
      attacker(port, (s) => {
        s.write(`PUT /kv/stall-${i} HTTP/1.1\r\nHost: kv\r\nContent-Length: ${MiB}\r\n\r\n`);
        s.write(Buffer.alloc(MiB - 1, 120));
      }),
    );
    let peak = base;
    for (let i = 0; i < 20; i++) {
      await sleep(100);
      peak = Math.max(peak, rssMiB(pid));
    }
    const duringPut = await call(`${url}/kv/normal`, 'PUT', 'hello');
    const duringGet = await call(`${url}/kv/normal`, 'GET');
    const held = await heldFor(uploads, started);
    const answered = (code: number) =>
      uploads.filter((a) => a.received.startsWith(`HTTP/1.1 ${code}`)).length;
    for (const a of uploads) a.socket.destroy();
    console.log(
      `${UPLOADS} stalled 1 MiB uploads: resident peak ${peak.toFixed(0)} MiB (+${(peak - base).toFixed(0)}); ` +
        `answered 503: ${answered(503)}, 408: ${answered(408)}; last connection closed after ${held}; ` +
        `normal client during it: PUT ${duringPut}, GET ${duringGet}`,
    );

    // Slowloris.
    await sleep(500);
    started = Date.now();
    const header = `GET /kv/normal HTTP/1.1\r\nHost: kv\r\nX-Pad: ${'a'.repeat(10_000)}`;
    const timers: NodeJS.Timeout[] = [];
    const loris = Array.from({ length: SLOWLORIS }, () =>
      attacker(port, (s) => {
        let i = 0;
        timers.push(setInterval(() => s.writable && s.write(header[i++ % header.length]!), 500));
      }),
    );
    await sleep(1000);
    const duringLoris = await call(`${url}/kv/normal`, 'GET');
    const lorisHeld = await heldFor(loris, started);
    for (const t of timers) clearInterval(t);
    for (const a of loris) a.socket.destroy();
    console.log(
      `${SLOWLORIS} slowloris connections (a header byte every 500 ms): held ${lorisHeld}; normal GET during it: ${duringLoris}`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
