// `pnpm demo`: a local three-node kv cluster (three OS processes on 127.0.0.1, SQLite logs
// under ./data), its HTTP URLs, and a live status line, until Ctrl-C or SIGTERM.
// Pass `--demo-seconds N` (or set KV_DEMO_SECONDS=N) to stop by itself after N seconds,
// and `--dir DIR` to keep the data elsewhere. Needs the build (`turbo run build`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../apps/kv/dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error(`demo: ${cli} is missing; build first: npx turbo run build --filter=kv...`);
  process.exit(1);
}
const args = process.argv.slice(2);
if (!args.includes('--dir')) args.push('--dir', './data');
const child = spawn(process.execPath, [cli, 'cluster', ...args], { stdio: 'inherit' });
// Ctrl-C reaches the whole process group; the cluster command stops its nodes itself. Keep
// this process alive until it has, and pass on a SIGTERM sent to this process alone.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
