/**
 * `pnpm demo` (scripts/demo.mjs) run for a few seconds with `--demo-seconds`: it prints the
 * three nodes' HTTP URLs and a status line, exits 0 by itself, and leaves no node behind
 * (every URL refuses connections afterwards). Needs the build, like the e2e test.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const DEMO = fileURLToPath(new URL('../../../scripts/demo.mjs', import.meta.url));
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'kv-demo-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scripts/demo.mjs', () => {
  it('prints each node URL, runs for --demo-seconds, exits cleanly with no node left', async () => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: build first (npx turbo run build --filter=kv...)`);
    const child = spawn(process.execPath, [DEMO, '--dir', dir, '--demo-seconds', '3'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      out += c;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code, out).toBe(0);
    const urls = [...out.matchAll(/^node (\d) {2}(http:\/\/127\.0\.0\.1:\d+)$/gm)].map((m) => m[2]!);
    expect(urls, out).toHaveLength(3);
    expect(out).toMatch(/n1 \w+ commit \d+ \| n2 \w+ commit \d+ \| n3 \w+ commit \d+/);
    expect(out).toContain('stopped: all nodes exited');
    for (const url of urls) {
      await expect(fetch(`${url}/status`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    }
  }, 30_000);
});
