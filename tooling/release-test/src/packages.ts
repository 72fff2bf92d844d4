/**
 * The published packages of the workspace and their tarballs: which packages are public
 * (every `packages/*` without `"private": true`), the build, `pnpm pack` of each (which runs
 * the `prepack` guard), and the metadata every published package.json must carry.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './exec.js';

/** The pinned pnpm, run through npx as the README says (no global pnpm needed). */
export const PNPM = ['-y', 'pnpm@10.34.8'] as const;

export interface Manifest {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly license?: string;
  readonly repository?: { readonly type: string; readonly url: string; readonly directory?: string };
  readonly homepage?: string;
  readonly bugs?: { readonly url: string };
  readonly engines?: Record<string, string>;
  readonly exports?: unknown;
  readonly bin?: string | Record<string, string>;
  readonly files?: readonly string[];
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface WorkspacePackage {
  /** Directory relative to the root, e.g. `packages/core`. */
  readonly dir: string;
  readonly manifest: Manifest;
}

/** The engines range every published package declares (require(esm) without a flag: D23). */
export const NODE_ENGINES = '^20.19.0 || >=22.12.0';

export function publicPackages(): WorkspacePackage[] {
  return readdirSync(join(ROOT, 'packages'))
    .map((name) => {
      const dir = `packages/${name}`;
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;
      return { dir, manifest };
    })
    .filter((p) => p.manifest.private !== true)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Builds the published packages (turbo: cached when nothing changed). */
export async function buildPackages(): Promise<void> {
  await run(
    'npx',
    [...PNPM, 'exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'],
    {
      timeoutMs: 300_000,
    },
  );
}

/** `pnpm pack` of one package into `dest`; returns the tarball's path. */
export async function pack(pkg: WorkspacePackage, dest: string): Promise<string> {
  const { stdout } = await run('npx', [...PNPM, 'pack', '--pack-destination', dest, '--json'], {
    cwd: join(ROOT, pkg.dir),
  });
  // pnpm prints the prepack script's banner before the JSON.
  const json = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { filename: string };
  return json.filename;
}

/**
 * What every published manifest must say, as found in the tarball (after pnpm replaced
 * `workspace:` ranges): the problems, empty when it is fine.
 */
export function manifestProblems(m: Manifest, dir: string, files: readonly string[]): string[] {
  const problems: string[] = [];
  if (m.license !== 'MIT') problems.push(`license ${m.license}`);
  if (!files.includes('LICENSE')) problems.push('no LICENSE file');
  if (!files.includes('README.md')) problems.push('no README.md');
  if (!m.repository?.url || m.repository.directory !== dir)
    problems.push(`repository ${JSON.stringify(m.repository)}`);
  if (!m.homepage) problems.push('no homepage');
  if (!m.bugs?.url) problems.push('no bugs url');
  if (m.engines?.node !== NODE_ENGINES)
    problems.push(`engines.node ${m.engines?.node}, expected ${NODE_ENGINES}`);
  for (const [name, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies })) {
    if (range.startsWith('workspace:')) problems.push(`${name}: ${range} left in the tarball`);
    // An exact pin makes an app on another patch version install a second copy.
    if (/^\d/.test(range)) problems.push(`${name}: exact version ${range}, use a range`);
  }
  for (const name of Object.keys(m.peerDependencies ?? {})) {
    if (m.peerDependenciesMeta?.[name]?.optional !== true) problems.push(`peer ${name} is not optional`);
  }
  if (!files.some((f) => f.startsWith('dist/') && f.endsWith('.js'))) problems.push('no JavaScript in dist/');
  return problems;
}
