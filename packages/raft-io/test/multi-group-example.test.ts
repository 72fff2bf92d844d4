/**
 * The README's multi-group example ("Many groups in one process") is
 * `examples/multi-group.ts`, and it runs as written: three hosts in one process, two groups,
 * a write to each, a read on another host.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

/** The one ```ts block of the README's multi-group section. */
function sectionCode(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Many groups in one process');
  const end = readme.indexOf('\n## ', start + 1);
  const blocks = [...readme.slice(start, end).matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks).toHaveLength(1);
  return blocks[0]!;
}

describe('the multi-group example', () => {
  it('is examples/multi-group.ts', () => {
    expect(sectionCode()).toBe(readFileSync(join(root, 'examples', 'multi-group.ts'), 'utf8'));
  });

  it('runs as written and prints what the README says', async () => {
    const out = await new Promise<string>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--conditions=@raft-io/source', '--import', 'tsx', join(root, 'examples', 'multi-group.ts')],
        { cwd: root, timeout: 60_000 },
        (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(out.trim().split('\n')).toEqual(['1', '1', "[ 'apple' ]", '2']);
  });
});
