/**
 * The README's embedding guide is runnable as written: its code blocks, in order, are
 * `examples/embedding-guide.ts`, and that file runs (a real three-node cluster on TCP and
 * SQLite that grows, moves leadership, retries safely, restarts a node, shrinks and shuts
 * down) and prints what the guide says.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** The ```ts blocks of the README's "Embedding guide" section, joined as the example file. */
function guideCode(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Embedding guide');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\n$/, ''));
  return `${blocks.join('\n\n')}\n`;
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A base port with the next four free too (the guide's five nodes), below the ephemeral range
 * (32768 and up on Linux): there the OS hands ports to other tests' listeners and to outgoing
 * connections, and one of them can take a port between this check and the guide's listen.
 */
async function freeRange(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await Promise.all([0, 1, 2, 3, 4].map((i) => isFree(base + i)));
    if (free.every(Boolean)) return base;
  }
}

describe('the embedding guide', () => {
  it('is examples/embedding-guide.ts, block for block', () => {
    expect(guideCode()).toBe(readFileSync(join(root, 'examples', 'embedding-guide.ts'), 'utf8'));
  });

  it('runs as written and prints what the guide says', async () => {
    const base = await freeRange();
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--conditions=@raft-io/source', '--import', 'tsx', join(root, 'examples', 'embedding-guide.ts')],
        { cwd: root, env: { ...process.env, GUIDE_PORT: String(base) }, timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(out).toContain('previous value: null');
    expect(out).toMatch(/committed at index \d+/);
    expect(out).toContain('read on node 3: hi');
    expect(out).toContain('voters: 1, 2, 3, 4, 5');
    expect(out).toMatch(/leadership moved from node \d to node [45]/);
    expect(out).toContain('applied once: true');
    expect(out).toContain('node 2 after its restart: paid');
    expect(out).toContain('voters: 1, 2, 3, 4\n');
    expect(out).toContain('all nodes closed');
  });
});
