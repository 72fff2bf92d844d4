import net from 'node:net';

function liveHandles() {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
}
const server = net.createServer((s) => {
  server2.push(s);
});
const server2: net.Socket[] = [];
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const c = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
await new Promise((r) => c.once('connect', r));
await new Promise((r) => setTimeout(r, 10));
console.log('open', liveHandles());
c.destroy();
console.log('closed flag after destroy', c.closed, c.destroyed);
await new Promise((r) => c.once('close', r));
console.log('after client close event', liveHandles());
server2[0]!.destroy();
await new Promise((r) => server2[0]!.once('close', r));
console.log('after server-side socket close', liveHandles());
await new Promise<void>((r) => server.close(() => r()));
console.log('after server close', liveHandles());
await new Promise((r) => setImmediate(r));
console.log('after immediate', liveHandles());
await new Promise((r) => setTimeout(r, 1));
console.log('after 1ms', liveHandles());
