/**
 * The benchmark's floor: a Node HTTP server in its own process that reads each request and
 * answers 200 with a small JSON body at once, with no Raft, no disk and no state. Loaded with
 * the same generator in the same run, it shows what this machine's loopback, kernel and Node's
 * HTTP stack cost alone, so a target can be read against what is possible here.
 */
import { killChild, startChildServer } from './child-server.js';

const SERVER = `
const http = require('node:http');
const body = Buffer.from('{"ok":true}');
const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('disconnect', () => process.exit(0));
`;

export interface NoopHttpServer {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export async function startNoopHttpServer(): Promise<NoopHttpServer> {
  const { child, port } = await startChildServer(['-e', SERVER], 'the no-op HTTP server');
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => killChild(child) };
}
