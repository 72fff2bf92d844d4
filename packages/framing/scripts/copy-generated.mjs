/**
 * After `tsc`: copies the generated protobuf module and its declarations into dist/. tsc
 * resolves `./generated/raft.js` to its `.d.ts` for types but emits neither file.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(packageDir, 'src', 'generated');
const to = join(packageDir, 'dist', 'generated');
mkdirSync(to, { recursive: true });
for (const name of ['raft.js', 'raft.d.ts']) copyFileSync(join(from, name), join(to, name));
