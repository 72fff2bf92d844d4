/**
 * Docs that run: every fenced TypeScript or JavaScript block of the READMEs and `docs/` is
 * either a complete program, which the consumer test type-checks and runs against the
 * installed tarballs, or marked as a fragment, which nothing runs. A fragment is marked in
 * its info string (```ts fragment) or by `<!-- fragment -->` on the line above the fence;
 * renderers highlight by the first word only, so the marker does not show.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Info-string languages that make a block code: anything else (sh, text, json) is not. */
const LANGUAGES: Readonly<Record<string, 'ts' | 'js'>> = {
  ts: 'ts',
  typescript: 'ts',
  mts: 'ts',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
};

/** Languages a block may not use: CommonJS and JSX blocks would need another harness. */
const REFUSED = new Set(['tsx', 'jsx', 'cts', 'cjs']);

export interface DocBlock {
  /** The markdown file, relative to the repository root. */
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly language: 'ts' | 'js';
  readonly fragment: boolean;
  readonly code: string;
}

/** A file name unique per block: `packages/raft-io/README.md` line 21 → `packages-raft-io-README-L21`. */
export function blockName(block: DocBlock): string {
  return `${block.file.replace(/\.md$/i, '').replace(/[^A-Za-z0-9]+/g, '-')}-L${block.line}`;
}

/** The fenced code blocks of one markdown text (``` or ~~~ fences; nested fences of another length are content). */
export function extractBlocks(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[2]!;
    const info = open[3]!.trim().split(/\s+/);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      body.push(lines[j]!);
    }
    const word = (info[0] ?? '').toLowerCase();
    if (REFUSED.has(word)) {
      throw new Error(
        `${file}:${i + 1}: a \`${word}\` block cannot be run; use ts or js, or mark it \`${word} fragment\``,
      );
    }
    const language = LANGUAGES[word];
    if (language) {
      const previous =
        lines
          .slice(0, i)
          .reverse()
          .find((l) => l.trim() !== '') ?? '';
      const fragment = info.slice(1).includes('fragment') || /^\s*<!--\s*fragment\s*-->\s*$/.test(previous);
      blocks.push({ file, line: i + 1, language, fragment, code: `${body.join('\n')}\n` });
    }
    i = j;
  }
  return blocks;
}

/** Directories never searched for markdown. */
const SKIP = new Set(['node_modules', 'dist', '.git', '.turbo', '.changeset', 'coverage', 'api']);

/**
 * The markdown files whose blocks must run: the root README, every package's and app's
 * README and `docs/`, and the root `docs/`. Sorted, relative to `root`.
 */
export function docFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const name of readdirSync(dir)) {
      if (SKIP.has(name) || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (depth < 4) walk(path, depth + 1);
      } else if (name.toLowerCase().endsWith('.md')) {
        const rel = relative(root, path);
        if (isDocFile(rel)) found.push(rel);
      }
    }
  };
  walk(root, 0);
  return found.sort();
}

/** READMEs and docs of the repository, its packages and apps; not tooling or test fixtures. */
function isDocFile(rel: string): boolean {
  const parts = rel.split(/[\\/]/);
  if (parts.length === 1) return parts[0]!.toLowerCase() === 'readme.md';
  if (parts[0] === 'docs') return true;
  if (parts[0] !== 'packages' && parts[0] !== 'apps') return false;
  if (parts.length === 3) return parts[2]!.toLowerCase() === 'readme.md';
  return parts[2] === 'docs';
}

/** Every TypeScript and JavaScript block of the repository's docs. */
export function allBlocks(root: string): DocBlock[] {
  return docFiles(root).flatMap((file) => extractBlocks(file, readFileSync(join(root, file), 'utf8')));
}
