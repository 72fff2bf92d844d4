/**
 * A deliberately broken core, built in the test and never in the product: a copy of
 * @raft-io/core's source with small textual patches, imported as TypeScript (vitest compiles
 * it). Each patch must match exactly once, so a test fails loudly when the code it breaks
 * has moved, instead of silently testing an unbroken core.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorePatch {
  /** File under packages/core/src. */
  readonly file: string;
  readonly search: string;
  readonly replace: string;
}

const coreSrc = join(dirname(fileURLToPath(import.meta.url)), '../../../core/src');
const scratch = join(dirname(fileURLToPath(import.meta.url)), '../.patched-core');

/** Import a patched copy of the core (its entry module is `entry`); `remove()` deletes the copy. */
export async function loadPatchedCore(
  name: string,
  patches: readonly CorePatch[],
): Promise<{ core: typeof import('@raft-io/core'); entry: string; remove: () => void }> {
  const dir = join(scratch, `${name}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(coreSrc, dir, { recursive: true });
  for (const p of patches) {
    const path = join(dir, p.file);
    const text = readFileSync(path, 'utf8');
    const found = text.split(p.search).length - 1;
    if (found !== 1) throw new Error(`patch for ${p.file} matches ${found} times, not once: ${p.search}`);
    writeFileSync(path, text.replace(p.search, p.replace));
  }
  const entry = join(dir, 'index.ts');
  const core = (await import(/* @vite-ignore */ entry)) as typeof import('@raft-io/core');
  return { core, entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
