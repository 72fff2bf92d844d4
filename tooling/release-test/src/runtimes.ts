/**
 * The runtime matrix (`pnpm test:runtimes`): the core's quick start (its README's example and
 * examples/single-node.ts), the in-memory cluster example and a slice of simulator seeds on Node 20.19 (our floor), 22 and 24, on Bun and
 * Deno (all from the npm registry), and in headless Chromium (@raft-io/browser-test). Each
 * program's output must equal, line for line, what it prints on the workspace's Node: the
 * core and the simulator are deterministic, so a runtime that computes anything differently
 * shows up as a diff. A CommonJS program `require()`s the packages on every Node. The
 * composite (`raft-io`, with SQLite and TCP) runs its own tests on every Node major but the
 * workspace's (where the main test run runs them), with better-sqlite3 built for that Node's
 * ABI in a cache directory (the workspace's binary is never touched; a preload points
 * `process.dlopen` at the right one).
 *
 * The programs run against the packed tarballs of core and testkit, installed with npm into
 * a fresh app, as in the consumer test. Runtimes and native builds are cached under
 * `node_modules/.cache/raft-io-release-test` (a fresh clone starts empty).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { launchBrowser } from '@raft-io/browser-test';
import { build } from 'esbuild';
import ts from 'typescript';
import { extractBlocks } from './doc-blocks.js';
import { Checks, ROOT, run } from './exec.js';
import { buildPackages, pack, publicPackages } from './packages.js';

const startedAt = Date.now();
const checks = new Checks('runtimes');
const cache = join(ROOT, 'node_modules/.cache/raft-io-release-test');
const work = mkdtempSync(join(tmpdir(), 'raft-io-runtimes-'));
const app = join(work, 'app');
mkdirSync(app, { recursive: true });

interface Runtime {
  readonly name: string;
  /** The npm package that ships it. */
  readonly spec: string;
  readonly kind: 'node' | 'bun' | 'deno';
  bin?: string;
  version?: string;
}

const RUNTIMES: Runtime[] = [
  { name: 'Node 20.19.0', spec: 'node@20.19.0', kind: 'node' },
  { name: 'Node 22', spec: 'node@22', kind: 'node' },
  // 24.18: from 24.19 on, an addon built on node::ObjectWrap (better-sqlite3 12) aborts when
  // the GC finalizes its objects after the environment's teardown (nodejs/node#65446).
  { name: 'Node 24', spec: 'node@24.18.1', kind: 'node' },
  { name: 'Bun 1', spec: 'bun@1', kind: 'bun' },
  { name: 'Deno 2', spec: 'deno@2', kind: 'deno' },
];

/** The programs every runtime runs: TypeScript sources, transpiled once to plain ESM. */
const PROGRAMS = [
  { name: 'core README example', source: 'packages/core/README.md' },
  { name: 'core quick start', source: 'packages/core/examples/single-node.ts' },
  { name: 'in-memory cluster', source: 'packages/core/examples/in-memory-cluster.ts' },
  { name: 'simulator seeds', source: 'tooling/release-test/programs/sim-slice.ts' },
];

/** require() of the ESM packages: needs Node 20.19 / 22.12 or later. */
const CJS_PROGRAM = `const { RaftConfig, RaftNode } = require('@raft-io/core');
const { simulate } = require('@raft-io/testkit');
const node = new RaftNode(RaftConfig.single(1));
while (!node.isLeader()) node.step({ type: 'tick' });
console.log('leader', node.term(), simulate({ seed: 3, faultTicks: 100 }).traceHash);
`;

/** Loads better-sqlite3's binary for this Node's ABI, wherever the package itself lives. */
const DLOPEN_PRELOAD = `'use strict';
// Written by tooling/release-test/src/runtimes.ts: the composite's tests on another Node ABI.
const { basename } = require('node:path');
const binary = process.env.RAFT_IO_BETTER_SQLITE3_BINARY;
const dlopen = process.dlopen;
process.dlopen = function (module, filename, ...rest) {
  return dlopen.call(this, module, binary && basename(filename) === 'better_sqlite3.node' ? binary : filename, ...rest);
};
`;

/** Printed after a program in the browser: the page is done. */
const DONE = '__program_done__';

/** Table rows: runtime × what ran × result. */
const matrix: { runtime: string; what: string; result: string }[] = [];
const expected = new Map<string, string>();

async function matrixCheck(
  runtime: string,
  what: string,
  fn: () => Promise<string | undefined>,
): Promise<void> {
  let detail: string | undefined;
  const ok = await checks.check(`${runtime}: ${what}`, async () => {
    detail = await fn();
    return detail;
  });
  matrix.push({ runtime, what, result: ok ? `ok${detail ? ` (${detail})` : ''}` : 'FAIL' });
}

// --- the app: core and testkit from their tarballs ---------------------------------------

await checks.check('build, pack core and testkit', async () => {
  await buildPackages();
  const wanted = publicPackages().filter((p) =>
    ['@raft-io/core', '@raft-io/testkit'].includes(p.manifest.name),
  );
  const dependencies: Record<string, string> = {};
  for (const pkg of wanted) dependencies[pkg.manifest.name] = `file:${await pack(pkg, work)}`;
  const manifest = { name: 'runtime-matrix', private: true, type: 'module', dependencies };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
});
await checks.check('npm install them into a fresh app', async () => {
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    timeoutMs: 300_000,
  });
});
for (const program of PROGRAMS) {
  const source = program.source.endsWith('.md')
    ? firstCompleteBlock(program.source)
    : readFileSync(join(ROOT, program.source), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(join(app, fileOf(program.name)), outputText);
}
writeFileSync(join(app, 'require.cjs'), CJS_PROGRAM);

// --- the reference: the workspace's Node ---------------------------------------------------

for (const program of PROGRAMS) {
  await matrixCheck(`Node ${process.versions.node} (workspace)`, program.name, async () => {
    const { stdout } = await run(process.execPath, [fileOf(program.name)], { cwd: app });
    expected.set(program.name, stdout);
    return `${stdout.trim().split('\n').length} lines`;
  });
}

// --- the runtimes --------------------------------------------------------------------------

const nativeBuilds = new Map<string, Promise<string>>();
for (const runtime of RUNTIMES) {
  const installed = await checks.check(`install ${runtime.spec} from the npm registry`, async () => {
    await install(runtime);
    return runtime.version;
  });
  if (!installed) {
    for (const p of PROGRAMS)
      matrix.push({ runtime: runtime.name, what: p.name, result: 'FAIL (not installed)' });
    continue;
  }
  // Start the native build early: it is the longest step, and the programs need none.
  if (runsComposite(runtime)) {
    const binary = betterSqlite3For(runtime);
    binary.catch(() => {}); // reported where it is awaited
    nativeBuilds.set(runtime.name, binary);
  }
  const label = `${runtime.name} (${runtime.version})`;
  for (const program of PROGRAMS) {
    await matrixCheck(label, program.name, async () => {
      const { stdout } = await run(runtime.bin!, [...runArgs(runtime), fileOf(program.name)], { cwd: app });
      sameOutput(program.name, stdout);
      return 'same output as Node';
    });
  }
  if (runtime.kind === 'node') {
    await matrixCheck(label, 'require() of the packages (CommonJS)', async () => {
      return (await run(runtime.bin!, ['require.cjs'], { cwd: app })).stdout.trim();
    });
  }
}

// --- the browser -----------------------------------------------------------------------------

await (async () => {
  let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
  try {
    browser = await launchBrowser();
    const label = `Chromium ${browser.version()} (headless)`;
    for (const program of PROGRAMS) {
      await matrixCheck(label, program.name, async () => {
        const bundle = await build({
          entryPoints: [join(app, fileOf(program.name))],
          bundle: true,
          write: false,
          format: 'esm',
          platform: 'browser',
          absWorkingDir: app,
          // testkit's replay view reads its assets with node:fs; programs that do not use it
          // never load it (sideEffects: false lets the bundler drop the module).
          external: ['node:*'],
        });
        const page = await browser!.newPage();
        try {
          const lines: string[] = [];
          page.on('console', (message) => {
            if (message.type() === 'log') lines.push(message.text());
          });
          const errors: string[] = [];
          page.on('pageerror', (error) => errors.push(error.message));
          await page.goto('about:blank');
          // The program's top level runs to its end, then the marker: the page is done.
          const script = `${bundle.outputFiles[0]!.text}\nconsole.log(${JSON.stringify(DONE)});\n`;
          await page.addScriptTag({ content: script, type: 'module' });
          await until(() => errors.length > 0 || lines.includes(DONE), 60_000);
          if (errors.length > 0) throw new Error(errors.join('\n'));
          sameOutput(program.name, `${lines.filter((l) => l !== DONE).join('\n')}\n`);
          return `same output as Node, ${(bundle.outputFiles[0]!.text.length / 1024).toFixed(0)} KiB bundle`;
        } finally {
          await page.close();
        }
      });
    }
  } catch (error) {
    await checks.check('launch headless Chromium', async () => {
      throw error;
    });
  } finally {
    await browser?.close();
  }
})();

// --- the composite's own tests on every other Node major -------------------------------------

for (const runtime of RUNTIMES.filter((r) => runsComposite(r) && r.bin)) {
  const label = `${runtime.name} (${runtime.version})`;
  await matrixCheck(label, 'raft-io tests (SQLite + TCP)', async () => {
    const binary = await nativeBuilds.get(runtime.name)!;
    const preload = join(cache, 'dlopen-better-sqlite3.cjs');
    writeFileSync(preload, DLOPEN_PRELOAD);
    const { stdout } = await run(
      runtime.bin!,
      [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'raft-io'],
      {
        cwd: ROOT,
        timeoutMs: 300_000,
        env: {
          ...process.env,
          RAFT_IO_BETTER_SQLITE3_BINARY: binary,
          NODE_OPTIONS: `--require ${preload}`,
          // The SIGKILL loops prove crash safety once, in the main run; here a few kills
          // show that the same code paths work on this runtime.
          RAFT_IO_SNAPSHOT_CRASH_ITERATIONS: '5',
          RAFT_IO_HOST_CRASH_ITERATIONS: '3',
        },
      },
    );
    const summary = /tests: \d+ passed, \d+ failed, \d+ skipped/.exec(stdout)?.[0] ?? 'no summary';
    return `${summary}, better-sqlite3 for ABI ${await abiOf(runtime)}`;
  });
}

// --- report ---------------------------------------------------------------------------------

console.log('\nruntime × what ran × result');
for (const row of matrix) console.log(`  ${row.runtime.padEnd(40)} ${row.what.padEnd(40)} ${row.result}`);
rmSync(work, { recursive: true, force: true });
process.exitCode = checks.finish(startedAt);

// --- helpers --------------------------------------------------------------------------------

/**
 * Whether the composite's tests run on this runtime: every Node of the matrix but the one
 * whose major version the workspace runs, where `test:all`'s main test run runs them (on a
 * Node 20 machine: Node 22 and 24; the programs still run on every Node).
 */
function runsComposite(runtime: Runtime): boolean {
  return (
    runtime.kind === 'node' && major(runtime.spec.slice('node@'.length)) !== major(process.versions.node)
  );
}

function major(version: string): number {
  return Number(version.split('.')[0]);
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`no end after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first complete TypeScript block of a README (the consumer test runs it on Node too). */
function firstCompleteBlock(file: string): string {
  const block = extractBlocks(file, readFileSync(join(ROOT, file), 'utf8')).find(
    (b) => !b.fragment && b.language === 'ts',
  );
  if (!block) throw new Error(`${file} has no complete TypeScript block`);
  return block.code;
}

function fileOf(program: string): string {
  return `${program.replace(/[^a-z0-9]+/gi, '-')}.mjs`;
}

function runArgs(runtime: Runtime): string[] {
  // Deno: npm packages from the app's node_modules (package.json present), read access for them.
  return runtime.kind === 'deno' ? ['run', '--allow-read', '--allow-env'] : [];
}

function sameOutput(program: string, actual: string): void {
  const want = expected.get(program);
  if (want === undefined) throw new Error('no reference output (the workspace Node run failed)');
  if (actual === want) return;
  const a = actual.split('\n');
  const w = want.split('\n');
  const line = a.findIndex((l, i) => l !== w[i]);
  throw new Error(`output differs from Node's at line ${line + 1}:\n  node: ${w[line]}\n  this: ${a[line]}`);
}

/** Installs a runtime from the npm registry into the cache (once), and finds its binary. */
async function install(runtime: Runtime): Promise<void> {
  const dir = join(cache, 'runtimes', runtime.spec.replace(/[^a-z0-9.]+/gi, '-'));
  const bin =
    runtime.kind === 'node'
      ? join(dir, 'node_modules/node/bin/node')
      : join(dir, 'node_modules/.bin', runtime.kind);
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', runtime.spec], {
      cwd: dir,
      timeoutMs: 300_000,
    });
  }
  runtime.bin = bin;
  // `deno --version` prints three lines, the first with a build description.
  runtime.version = (await run(bin, ['--version'], { cwd: dir })).stdout.trim().split(/\s+\(|\n/)[0];
}

async function abiOf(runtime: Runtime): Promise<string> {
  return (await run(runtime.bin!, ['-p', 'process.versions.modules'])).stdout.trim();
}

/**
 * better-sqlite3's binary for this Node: the workspace's own when the ABI is the workspace
 * Node's, else built from the same package's sources with node-gyp against that Node's
 * headers (shipped in the registry's `node` package), in the cache, once per version and ABI.
 */
async function betterSqlite3For(runtime: Runtime): Promise<string> {
  const source = dirname(
    createRequire(join(ROOT, 'packages/log-sqlite/package.json')).resolve('better-sqlite3/package.json'),
  );
  const abi = await abiOf(runtime);
  if (abi === process.versions.modules) return join(source, 'build/Release/better_sqlite3.node');
  const version = (JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')) as { version: string })
    .version;
  const dir = join(
    cache,
    'native',
    `better-sqlite3-${version}-node-v${abi}-${process.platform}-${process.arch}`,
  );
  const binary = join(dir, 'build/Release/better_sqlite3.node');
  if (existsSync(binary)) return binary;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ['package.json', 'binding.gyp', 'src', 'deps']) {
    await run('cp', ['-r', join(source, part), dir]);
  }
  const nodeDir = join(
    dirname(dirname(runtime.bin!)),
    'node_modules',
    `node-${process.platform}-${process.arch}`,
  );
  const npmRoot = (await run('npm', ['root', '-g'])).stdout.trim();
  // npm's config (this machine's sets nodedir to the system Node's headers) reaches node-gyp
  // through npm_config_* variables, which win over its flags: set the variable itself.
  await run(
    runtime.bin!,
    [join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js'), 'rebuild', '--release'],
    {
      cwd: dir,
      timeoutMs: 600_000,
      env: { ...process.env, npm_config_nodedir: nodeDir },
    },
  );
  try {
    await run(runtime.bin!, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(binary)})`]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return binary;
}
