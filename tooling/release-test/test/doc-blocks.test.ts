/**
 * The extraction behind "docs that run": which blocks of the READMEs and docs/ the consumer
 * test runs, which it leaves as fragments, and which it refuses.
 */
import { describe, expect, it } from 'vitest';
import { allBlocks, blockName, docFiles, extractBlocks } from '../src/doc-blocks.js';
import { ROOT } from '../src/exec.js';

const md = (...lines: string[]) => lines.join('\n');

describe('extractBlocks', () => {
  it('takes ts and js blocks with their line, and no other language', () => {
    // init
    const text = md('# t', '```ts', 'const a = 1;', '```', '```sh', 'npm i', '```', '```js', 'b();', '```');
    // act
    const blocks = extractBlocks('x.md', text);
    // check
    expect(blocks.map((b) => [b.line, b.language, b.fragment, b.code])).toEqual([
      [2, 'ts', false, 'const a = 1;\n'],
      [8, 'js', false, 'b();\n'],
    ]);
  });

  it('marks a fragment by its info string or by a comment on the line above', () => {
    const text = md(
      '```ts fragment',
      'x',
      '```',
      '',
      '<!-- fragment -->',
      '',
      '```ts',
      'y',
      '```',
      '```ts',
      'z',
      '```',
    );
    expect(extractBlocks('x.md', text).map((b) => b.fragment)).toEqual([true, true, false]);
  });

  it('keeps a shorter fence inside a longer one as content', () => {
    const text = md('````ts', '```', 'inner', '```', '````', '```ts', 'after', '```');
    const blocks = extractBlocks('x.md', text);
    expect(blocks.map((b) => b.code)).toEqual(['```\ninner\n```\n', 'after\n']);
  });

  it('refuses a tsx or cjs block, which the harness cannot run, unless it is a fragment', () => {
    expect(() => extractBlocks('x.md', md('```tsx', '<a/>', '```'))).toThrow(/x\.md:1/);
    expect(() => extractBlocks('x.md', md('```cjs fragment', 'require()', '```'))).toThrow(/cjs/);
  });

  it('names each block after its file and line', () => {
    const [block] = extractBlocks('packages/raft-io/README.md', md('', '```ts', 'a', '```'));
    expect(blockName(block!)).toBe('packages-raft-io-README-L2');
  });
});

describe('the repository docs', () => {
  it('covers the root README, every package README, and docs/', () => {
    const files = docFiles(ROOT);
    expect(files).toContain('README.md');
    expect(files).toContain('packages/core/README.md');
    expect(files).toContain('packages/raft-io/docs/API.md');
    expect(files).toContain('docs/API.md');
    expect(files.some((f) => f.includes('node_modules') || f.startsWith('.changeset'))).toBe(false);
  });

  it('parses every block, and each package README has at least one complete program', () => {
    const blocks = allBlocks(ROOT);
    for (const pkg of ['core', 'framing', 'log-sqlite', 'transport-tcp', 'testkit', 'raft-io']) {
      const complete = blocks.filter((b) => b.file === `packages/${pkg}/README.md` && !b.fragment);
      expect(complete.length, `packages/${pkg}/README.md`).toBeGreaterThan(0);
    }
  });
});
