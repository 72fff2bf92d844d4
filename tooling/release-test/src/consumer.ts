/**
 * The consumer test (`pnpm test:consumer`): what a user installs works as the docs say.
 *
 * 1. Build, and `pnpm pack` every public package (the `prepack` guard refuses a package
 *    without its build); check each tarball's manifest and files; `publint` and
 *    `@arethetypeswrong/cli` on each tarball.
 * 2. A fresh npm project in the OS temp dir (outside the workspace) installs the tarballs
 *    with npm from the registry, as an app would.
 * 3. An ESM program and a CommonJS program use every package for real; `tsc` checks typed
 *    programs and every doc block with module nodenext and bundler (skipLibCheck false),
 *    and core and testkit without Node types.
 * 4. Every complete TypeScript/JavaScript block of the READMEs and docs/ (see doc-blocks.ts)
 *    and every shipped example runs against the installed packages, each in its own temp
 *    directory, and must exit 0 by itself within its deadline.
 *
 * better-sqlite3 is not compiled in the app: its install script (prebuild-install) finds
 * the workspace's binary, packed as a local prebuild, for the same version, Node ABI and
 * platform, and loads it before accepting it (D24). `KEEP=1` keeps the temp dir.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import getReleasePlan from '@changesets/get-release-plan';
import {
  BROWSER_PROGRAM,
  CJS_PROGRAM,
  ESM_PROGRAM,
  TYPED_CJS_PROGRAM,
  TYPED_PROGRAM,
  tsconfigs,
} from './consumer-app.js';
import { allBlocks, blockName } from './doc-blocks.js';
import { binOf, Checks, ROOT, run } from './exec.js';
import { buildPackages, type Manifest, manifestProblems, pack, publicPackages } from './packages.js';

const startedAt = Date.now();
const checks = new Checks('consumer');
const work = mkdtempSync(join(tmpdir(), 'raft-io-consumer-'));
const tarballDir = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballDir);
mkdirSync(join(app, 'src'), { recursive: true });
mkdirSync(join(app, 'docs'));
const TSC = binOf('typescript', 'tsc', join(ROOT, 'package.json'));

const packages = publicPackages();
const tarballs = new Map<string, string>();

await checks.check('build the packages', async () => {
  await buildPackages();
});

await checks.check('release plan (changesets): one version, public packages only', async () => {
  // What `changeset status` prints, without its git comparison with main (a CI clone may have no main).
  // A private dependent (kv) shows as type 'none': its ranges move, nothing is released.
  const releases = (await getReleasePlan(ROOT)).releases.filter((r) => r.type !== 'none');
  const names = new Set(packages.map((p) => p.manifest.name));
  const strays = releases.filter((r) => !names.has(r.name)).map((r) => r.name);
  if (strays.length > 0) throw new Error(`would release private packages: ${strays.join(', ')}`);
  const versions = new Set(releases.map((r) => r.newVersion));
  if (releases.length > 0 && (releases.length !== names.size || versions.size !== 1)) {
    throw new Error(
      `the fixed group is broken: ${releases.map((r) => `${r.name}@${r.newVersion}`).join(', ')}`,
    );
  }
  return releases.length === 0 ? 'nothing to release' : `${releases.length} packages at ${[...versions][0]}`;
});

for (const pkg of packages) {
  const name = pkg.manifest.name;
  const ok = await checks.check(`pack ${name}`, async () => {
    const tarball = await pack(pkg, tarballDir);
    tarballs.set(name, tarball);
    const unpacked = join(work, 'unpacked', basename(pkg.dir));
    mkdirSync(unpacked, { recursive: true });
    await run('tar', ['-xzf', tarball, '-C', unpacked]);
    const files = listFiles(join(unpacked, 'package'));
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package/package.json'), 'utf8')) as Manifest;
    const problems = manifestProblems(manifest, pkg.dir, files);
    const license = readFileSync(join(unpacked, 'package/LICENSE'), 'utf8');
    if (license !== readFileSync(join(ROOT, 'LICENSE'), 'utf8'))
      problems.push('LICENSE differs from the root LICENSE');
    problems.push(...deadLinks(join(unpacked, 'package'), files));
    if (problems.length > 0) throw new Error(problems.join('; '));
    return `${files.length} files, ${(readFileSync(tarball).length / 1024).toFixed(0)} KiB`;
  });
  if (!ok) continue;
  await checks.check(`publint ${name}`, async () => {
    const dir = join(work, 'unpacked', basename(pkg.dir), 'package');
    const { stdout } = await run(process.execPath, [
      binOf('publint', 'publint'),
      'run',
      dir,
      '--pack',
      'false',
      '--strict',
    ]);
    // publint prints suggestions too; --strict turns warnings into errors, and we refuse suggestions as well.
    if (/Suggestion|Warning|Error/i.test(stdout)) throw new Error(stdout.trim());
  });
  await checks.check(`attw ${name}`, async () => {
    await run(process.execPath, [
      binOf('@arethetypeswrong/cli', 'attw'),
      tarballs.get(name)!,
      '--profile',
      'esm-only',
      '--format',
      'ascii',
    ]);
  });
}

await checks.check('npm install the tarballs into a fresh app', async () => {
  const sqliteDir = dirname(
    createRequire(join(ROOT, 'packages/log-sqlite/package.json')).resolve('better-sqlite3/package.json'),
  );
  const sqliteVersion = (JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')) as Manifest)
    .version;
  const prebuilds = join(work, 'prebuilds');
  mkdirSync(prebuilds);
  // prebuild-install's own name for this binary; it checks the ABI in the name and loads the file.
  const prebuild = `better-sqlite3-v${sqliteVersion}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run('tar', ['-czf', join(prebuilds, prebuild), '-C', sqliteDir, 'build/Release/better_sqlite3.node']);
  const typesNode = (
    JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    }
  ).devDependencies['@types/node']!;
  const dependencies: Record<string, string> = {
    // The app chooses its better-sqlite3 (the version the workspace's lockfile tests): our caret range shares it.
    'better-sqlite3': sqliteVersion,
    '@types/node': typesNode,
  };
  for (const [name, tarball] of tarballs) dependencies[name] = `file:${tarball}`;
  writeFileSync(
    join(app, 'package.json'),
    `${JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  const { ms } = await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    timeoutMs: 300_000,
    env: { ...process.env, npm_config_better_sqlite3_local_prebuilds: prebuilds },
  });
  const { stdout } = await run('npm', ['ls', '--all', '--parseable', '--long'], { cwd: app });
  const copies = (name: string) => stdout.split('\n').filter((l) => l.includes(`:${name}@`)).length;
  if (copies('better-sqlite3') !== 1) throw new Error('more than one better-sqlite3 installed');
  if (copies('@raft-io/core') !== 1) throw new Error('more than one @raft-io/core installed');
  if (copies('vitest') !== 0) throw new Error('vitest was installed: the testkit peer must be optional');
  return `${(ms / 1000).toFixed(1)} s`;
});

writeFileSync(join(app, 'esm.mjs'), ESM_PROGRAM);
writeFileSync(join(app, 'cjs.cjs'), CJS_PROGRAM);
writeFileSync(join(app, 'src/typed.ts'), TYPED_PROGRAM);
writeFileSync(join(app, 'src/typed-cjs.cts'), TYPED_CJS_PROGRAM);
writeFileSync(join(app, 'src/browser.ts'), BROWSER_PROGRAM);

await checks.check('ESM program (import)', async () =>
  (await run(process.execPath, ['esm.mjs'], { cwd: app })).stdout.trim(),
);
await checks.check('CommonJS program (require)', async () =>
  (await run(process.execPath, ['cjs.cjs'], { cwd: app })).stdout.trim(),
);
await checks.check(
  'testkit without vitest: the main entry loads, /compliance says what it needs',
  async () => {
    const probe = `import('@raft-io/testkit/compliance').then(() => process.exit(2), (e) => { console.log(e.code, e.message); process.exit(/vitest/.test(e.message) ? 0 : 3); })`;
    return (await run(process.execPath, ['--input-type=module', '-e', probe], { cwd: app })).stdout
      .trim()
      .slice(0, 90);
  },
);
await checks.check('raft-sim from the installed bin', async () => {
  const { stdout } = await run('npx', ['--no-install', 'raft-sim', '--seeds', '3', '--steps', '200'], {
    cwd: app,
  });
  return stdout.trim();
});

// The docs' blocks and the shipped examples, as files of the app.
const blocks = allBlocks(ROOT);
const runnable = blocks.filter((b) => !b.fragment);
const programs: { name: string; source: string; file: string }[] = [];
for (const block of runnable) {
  const file = `docs/${blockName(block)}.${block.language === 'ts' ? 'ts' : 'mjs'}`;
  writeFileSync(join(app, file), block.code);
  programs.push({ name: `${block.file}:${block.line}`, source: file, file });
}
for (const pkg of packages) {
  const examples = join(app, 'node_modules', pkg.manifest.name, 'examples');
  let names: string[] = [];
  try {
    names = readdirSync(examples).filter((n) => n.endsWith('.ts'));
  } catch {}
  for (const n of names) {
    const file = `docs/example-${basename(pkg.dir)}-${n}`;
    copyFileSync(join(examples, n), join(app, file));
    programs.push({ name: `${pkg.manifest.name}/examples/${n}`, source: file, file });
  }
}
const tsFiles = programs.filter((p) => p.file.endsWith('.ts')).map((p) => p.file);
for (const [file, config] of Object.entries(tsconfigs(tsFiles))) {
  writeFileSync(join(app, file), `${JSON.stringify(config, null, 2)}\n`);
}

await checks.check('tsc: module nodenext, skipLibCheck false (programs, doc blocks, examples)', async () => {
  await run(process.execPath, [TSC, '-p', 'tsconfig.nodenext.json'], { cwd: app });
  return `${tsFiles.length} doc files`;
});
await checks.check('tsc: module node20, skipLibCheck false', async () => {
  await run(process.execPath, [TSC, '-p', 'tsconfig.node20.json'], { cwd: app });
});
await checks.check('tsc: module preserve + moduleResolution bundler, skipLibCheck false', async () => {
  await run(process.execPath, [TSC, '-p', 'tsconfig.bundler.json'], { cwd: app });
});
await checks.check('tsc: core and testkit without Node types (types: [], lib DOM)', async () => {
  await run(process.execPath, [TSC, '-p', 'tsconfig.browser.json'], { cwd: app });
});

console.log(
  `docs: ${blocks.length} TypeScript/JavaScript blocks, ${runnable.length} complete, ${blocks.length - runnable.length} marked fragment`,
);
for (const program of programs) {
  await checks.check(`runs: ${program.name}`, async () => {
    const compiled = program.file.endsWith('.ts')
      ? join(app, 'out', program.file.replace(/\.ts$/, '.js'))
      : join(app, program.file);
    // Its own empty working directory (blocks write ./data and the like), inside the app so
    // that the packages resolve from its node_modules.
    const cwd = join(app, 'run', createHash('sha1').update(program.name).digest('hex').slice(0, 10));
    mkdirSync(cwd, { recursive: true });
    const { stdout } = await run(process.execPath, [compiled], { cwd, timeoutMs: 60_000 });
    return stdout.trim().split('\n').at(-1)?.slice(0, 80);
  });
}

if (process.env.KEEP === '1') console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
process.exitCode = checks.finish(startedAt);

/** Every file under `dir`, relative, with forward slashes. */
function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) =>
      join(d.parentPath, d.name)
        .slice(dir.length + 1)
        .replaceAll('\\', '/'),
    )
    .sort();
}

/**
 * Relative links of the tarball's markdown files that point at nothing inside the tarball
 * (a link out of the package, `../../docs`, is dead on the registry: it must be absolute).
 */
function deadLinks(dir: string, files: readonly string[]): string[] {
  const dead: string[] = [];
  for (const md of files.filter((f) => f.endsWith('.md'))) {
    const text = readFileSync(join(dir, md), 'utf8').replace(/```[\s\S]*?```/g, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!.split('#')[0]!;
      if (target === '' || /^[a-z]+:/i.test(target)) continue;
      const resolved = join(dirname(md), decodeURIComponent(target)).replaceAll('\\', '/');
      if (!files.includes(resolved) && !files.some((f) => f.startsWith(`${resolved}/`)))
        dead.push(`${md} → ${target}`);
    }
  }
  return dead.length > 0 ? [`dead links: ${dead.join(', ')}`] : [];
}
