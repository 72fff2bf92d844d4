/**
 * Regenerates the static protobuf code from proto/raft.proto: `pbjs` writes an ES module
 * without reflection (no .proto parsing at start-up) and `pbts` its type declarations.
 * Usage: node scripts/generate.mjs [outDir]   (default: src/generated)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function generate(outDir) {
  const require = createRequire(join(packageDir, 'package.json'));
  const cliDir = dirname(require.resolve('protobufjs-cli/package.json'));
  mkdirSync(outDir, { recursive: true });
  const js = join(outDir, 'raft.js');
  const run = (bin, args) =>
    execFileSync(process.execPath, [join(cliDir, 'bin', bin), ...args], {
      cwd: packageDir,
      stdio: 'inherit',
    });
  run('pbjs', [
    '--target',
    'static-module',
    '--wrap',
    'es6',
    '--es6',
    // Our NumberReader returns safe JS numbers for 64-bit fields; declare them as numbers.
    '--force-number',
    // A root of our own, so another static module in the process cannot clash with ours.
    '--root',
    'raft-io-framing',
    '--dependency',
    'protobufjs/minimal.js',
    '--no-verify',
    '--no-convert',
    '--no-delimited',
    '--no-typeurl',
    '--no-service',
    '--out',
    js,
    'proto/raft.proto',
  ]);
  run('pbts', ['--out', join(outDir, 'raft.d.ts'), js]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  generate(resolve(packageDir, process.argv[2] ?? 'src/generated'));
}
