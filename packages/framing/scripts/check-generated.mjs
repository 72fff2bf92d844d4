/**
 * Fails when the committed src/generated/ differs from what proto/raft.proto generates now:
 * regenerates into a temporary directory and compares file by file (run in CI).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const committed = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'generated');
const fresh = mkdtempSync(join(tmpdir(), 'raft-io-framing-gen-'));
try {
  generate(fresh);
  const names = new Set([...readdirSync(committed), ...readdirSync(fresh)]);
  const stale = [];
  for (const name of names) {
    let a = null;
    let b = null;
    try {
      a = readFileSync(join(committed, name), 'utf8');
    } catch {}
    try {
      b = readFileSync(join(fresh, name), 'utf8');
    } catch {}
    if (a !== b) stale.push(name);
  }
  if (stale.length > 0) {
    console.error(
      `src/generated is stale (${stale.join(', ')}): run \`pnpm generate\` and commit the result.`,
    );
    process.exitCode = 1;
  } else {
    console.log('src/generated is up to date.');
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
