// The load generator's HTTP client (bench/http-connection.ts): it must find where each answer
// ends (content-length, chunked, split across reads) and its status, or the benchmark counts
// wrong. Against a real Node HTTP server on a real socket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedLoop } from '../bench/closed-loop.js';
import { HttpConnection, parseAnswer } from '../bench/http-connection.js';

describe('parseAnswer', () => {
  const b = (s: string) => Buffer.from(s, 'latin1');

  it('ends a content-length answer after its body, not before', () => {
    const whole = 'HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello';
    expect(parseAnswer(b(whole))).toEqual({ status: 201, end: whole.length });
    expect(parseAnswer(b(whole.slice(0, -1)))).toBeUndefined();
    expect(parseAnswer(b(whole.slice(0, 20)))).toBeUndefined();
    // The next answer's bytes after it are not part of it.
    expect(parseAnswer(b(`${whole}HTTP/1.1 200 OK\r\n`))?.end).toBe(whole.length);
  });

  it('ends a chunked answer at its zero-size chunk', () => {
    const whole =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\na\r\n0123456789\r\n0\r\n\r\n';
    expect(parseAnswer(b(whole))).toEqual({ status: 200, end: whole.length });
    for (let cut = 1; cut < whole.length; cut++) expect(parseAnswer(b(whole.slice(0, cut)))).toBeUndefined();
  });

  it('refuses bytes that are not an HTTP answer', () => {
    expect(() => parseAnswer(b('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow(/not an HTTP answer/);
    expect(() => parseAnswer(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))).toThrow(
      /chunk/,
    );
  });
});

describe('HttpConnection against a Node HTTP server', () => {
  let server: http.Server;
  let port: number;
  const seen: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${Buffer.concat(chunks).toString()}`);
        if (req.url === '/chunked') {
          res.writeHead(200);
          res.write('part one,');
          setImmediate(() => res.end('part two'));
        } else if (req.url === '/missing') {
          res.writeHead(404, { 'content-length': 0 });
          res.end();
        } else if (req.url === '/stall') {
          // Never answers: a server that stalls.
        } else if (req.url === '/close') {
          res.writeHead(503, { connection: 'close', 'content-length': 2 });
          res.end('no');
        } else {
          res.writeHead(200, { 'content-length': 2 });
          res.end('ok');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends requests one after the other on one connection and reads each status', async () => {
    const c = new HttpConnection('127.0.0.1', port);
    expect(await c.send('PUT', '/kv/a', Buffer.from('value-a'))).toBe(200);
    expect(await c.send('GET', '/chunked')).toBe(200);
    expect(await c.send('GET', '/missing')).toBe(404);
    expect(await c.send('PUT', '/kv/b', Buffer.from('value-b'))).toBe(200);
    expect(seen.slice(-4)).toEqual([
      'PUT /kv/a value-a',
      'GET /chunked ',
      'GET /missing ',
      'PUT /kv/b value-b',
    ]);
    expect(c.open).toBe(true);
    c.close();
  });

  it('gives up on a server that never answers, and drops that connection', async () => {
    const c = new HttpConnection('127.0.0.1', port, 100);
    await expect(c.send('GET', '/stall')).rejects.toThrow(/no answer within 100 ms/);
    expect(c.open).toBe(false);
    await expect(c.send('GET', '/')).rejects.toThrow(/no answer/);
  });

  it('reports a connection the server closed, and the load loop opens another', async () => {
    const c = new HttpConnection('127.0.0.1', port);
    expect(await c.send('GET', '/close')).toBe(503);
    await expect.poll(() => c.open).toBe(false);
    await expect(c.send('GET', '/')).rejects.toThrow(/closed/);

    // The closed loop counts the 503s as errors, reconnects, and counts the 200s as answers.
    const r = await closedLoop({
      concurrency: 2,
      seconds: 0.3,
      keys: 4,
      request: (key) => ({ path: `http://127.0.0.1:${port}/${key === 'k0' ? 'close' : key}`, method: 'GET' }),
    });
    expect(r.ops).toBeGreaterThan(0);
    expect(r.errors).toBeGreaterThan(0);
  });
});
