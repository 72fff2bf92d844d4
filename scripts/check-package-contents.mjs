// The `prepack` guard of every published package: refuses to pack (exit 1) when a file the
// package promises is missing, so a package packed before its build, or with a `files` entry
// that names nothing, never becomes a tarball without code. Runs in the package's directory
// (npm and pnpm run lifecycle scripts there). Checks: every `exports` target (all conditions,
// the source condition included), `bin` targets, every `files` entry, README.md and LICENSE.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const missing = [];

/** Every string target under an `exports` value (conditions nest; `null` hides a subpath). */
function targets(value) {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(targets);
}

for (const target of targets(pkg.exports ?? {})) {
  if (target.includes('*')) continue;
  if (!existsSync(target)) missing.push(`exports target ${target}`);
}
const bins = typeof pkg.bin === 'string' ? [pkg.bin] : Object.values(pkg.bin ?? {});
for (const bin of bins) if (!existsSync(bin)) missing.push(`bin ${bin}`);
for (const entry of pkg.files ?? []) if (!existsSync(entry)) missing.push(`files entry ${entry}`);
for (const file of ['README.md', 'LICENSE']) if (!existsSync(file)) missing.push(file);
if (existsSync('dist') && statSync('dist').isDirectory()) {
  const js = readdirSync('dist', { recursive: true }).filter((f) => String(f).endsWith('.js'));
  if (js.length === 0) missing.push('JavaScript in dist/');
}

if (missing.length > 0) {
  console.error(`${pkg.name}: refusing to pack, missing: ${missing.join(', ')}.`);
  console.error(`Build first: npx -y pnpm@10.34.8 exec turbo run build --filter=${pkg.name}`);
  process.exit(1);
}
