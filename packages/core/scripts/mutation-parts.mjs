#!/usr/bin/env node
/**
 * The whole core's mutation test in resumable parts (issue 20): `pnpm --filter @raft-io/core
 * test:mutation:parts`. A whole run takes one to two hours on a 2-core machine; this runs it
 * as parts of a few minutes each (raft-node.ts by line ranges, the other files in groups),
 * writes each part's JSON report to reports/mutation/parts/ as it ends, skips parts already
 * there (delete the folder to start over, or one file to redo its part), and prints the score
 * by file of all parts together. Same Stryker options as `test:mutation` (stryker.config.mjs).
 *
 * Options: --only <name,...> runs just those parts (again, if on disk); --list prints the
 * parts; --score prints the merged score of the reports on disk without running anything;
 * --dir <path> reads (for --score) reports from another folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const partsDir = args.includes('--dir')
  ? args[args.indexOf('--dir') + 1]
  : join(root, 'reports/mutation/parts');

/** raft-node.ts holds half the mutants: split by lines; the rest by files. */
function parts() {
  const lines = readFileSync(join(root, 'src/raft-node.ts'), 'utf8').split('\n').length;
  const out = [];
  for (let from = 1; from <= lines; from += 250) {
    const to = Math.min(lines, from + 249);
    out.push({ name: `raft-node-${from}-${to}`, mutate: [`src/raft-node.ts:${from}-${to}`] });
  }
  const skip = new Set(['index.ts', 'raft-log.ts', 'transport.ts', 'events.ts', 'raft-node.ts']);
  const files = [];
  for (const dir of ['src', 'src/quorum', 'src/tracker']) {
    for (const f of readdirSync(join(root, dir)).sort()) {
      if (f.endsWith('.ts') && !(dir === 'src' && skip.has(f))) files.push(`${dir}/${f}`);
    }
  }
  const perPart = Math.ceil(files.length / 3);
  for (let i = 0; i < files.length; i += perPart) {
    out.push({ name: `files-${i / perPart + 1}`, mutate: files.slice(i, i + perPart) });
  }
  return out;
}

function runPart(part) {
  const config = join(root, `stryker.${part.name}.config.mjs`);
  writeFileSync(
    config,
    `import base from './stryker.config.mjs';\nexport default { ...base, mutate: ${JSON.stringify(part.mutate)}, ` +
      `reporters: ['json', 'progress'], jsonReporter: { fileName: ${JSON.stringify(join(partsDir, `${part.name}.json`))} }, incremental: false };\n`,
  );
  const started = Date.now();
  console.log(`part ${part.name}: ${part.mutate.join(' ')}`);
  try {
    const r = spawnSync('npx', ['stryker', 'run', config], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`stryker exited with ${r.status} on part ${part.name}`);
  } finally {
    rmSync(config, { force: true });
  }
  console.log(`part ${part.name}: done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Score by file over every part report on disk (timeouts count as killed). */
function score() {
  const byFile = new Map();
  for (const f of readdirSync(partsDir).filter((f) => f.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(partsDir, f), 'utf8'));
    for (const [file, data] of Object.entries(report.files)) {
      const c = byFile.get(file) ?? { killed: 0, survived: 0, noCoverage: 0 };
      for (const m of data.mutants) {
        if (m.status === 'Killed' || m.status === 'Timeout') c.killed++;
        else if (m.status === 'Survived') c.survived++;
        else if (m.status === 'NoCoverage') c.noCoverage++;
      }
      byFile.set(file, c);
    }
  }
  let killed = 0;
  let total = 0;
  for (const [file, c] of [...byFile].sort()) {
    const n = c.killed + c.survived + c.noCoverage;
    killed += c.killed;
    total += n;
    console.log(
      `${file.padEnd(28)} ${String(n).padStart(5)} mutants  ${((100 * c.killed) / n).toFixed(1).padStart(5)} %  (${c.survived} survived, ${c.noCoverage} no coverage)`,
    );
  }
  console.log(
    `${'all'.padEnd(28)} ${String(total).padStart(5)} mutants  ${((100 * killed) / total).toFixed(1).padStart(5)} %`,
  );
}

const all = parts();
if (args.includes('--list')) {
  for (const p of all) console.log(`${p.name}: ${p.mutate.join(' ')}`);
} else {
  mkdirSync(partsDir, { recursive: true });
  if (!args.includes('--score')) {
    const only = args.includes('--only') ? new Set(args[args.indexOf('--only') + 1].split(',')) : null;
    for (const part of all) {
      if (only && !only.has(part.name)) continue;
      if (!only && existsSync(join(partsDir, `${part.name}.json`))) {
        console.log(`part ${part.name}: on disk, skipped`);
        continue;
      }
      runPart(part);
    }
  }
  score();
}
