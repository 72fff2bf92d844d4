/**
 * `raft-check`: exhaustive model checking of the real core.
 *
 *   raft-check --scenario NAME [--nodes N] [--depth N] [--max-states M] [--dfs] [--deep] [--core MODULE]
 *   raft-check --all [--deep] [--core MODULE]
 *   raft-check --replay FILE [--core MODULE] [--liveness K] [--transcript]
 *   raft-check --list
 *
 * Progress goes to stderr (a line redrawn on a TTY, else a line every five seconds); the
 * summary and any counterexample go to stdout. A counterexample is also written to
 * `--out DIR` (default `.raft-check`) with the command that replays it. Exit status: 0 no
 * violation, 1 a violation, 2 bad usage.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { CoreModule } from '../core-module.js';
import { runInteraction } from '../interaction/interaction-env.js';
import { type CheckResult, modelCheck, replayCounterexample } from './model-check.js';
import { CHECK_SCENARIO_NAMES, CHECK_SCENARIOS } from './scenarios.js';
import type { CheckProgress } from './search.js';

const USAGE = `usage:
  raft-check --scenario NAME [--nodes N] [--depth N] [--max-states M] [--dfs] [--deep] [--core MODULE]
  raft-check --all [--deep] [--core MODULE]
  raft-check --replay FILE [--core MODULE] [--liveness K] [--transcript]
  raft-check --list

  --scenario NAME   what to explore; one of:
${CHECK_SCENARIO_NAMES.map((n) => `                      ${n.padEnd(18)} ${CHECK_SCENARIOS[n]!.description}`).join('\n')}
  --all             every scenario, one after another
  --nodes N         cluster size (default: the scenario's; see --list)
  --depth N         events after the setup (default: the scenario's bound)
  --max-states M    stop after M distinct states (default 20000000)
  --dfs             depth-first with iterative deepening (default: breadth-first)
  --deep            the scenario's deeper bounds (pnpm check:deep)
  --no-liveness     skip the bounded liveness check
  --core MODULE     check another build of @raft-io/core: a module exporting RaftNode
                    (built JS; TypeScript when run under tsx)
  --out DIR         where counterexamples are written (default .raft-check)
  --json            print results as JSON
  --replay FILE     replay a counterexample with every invariant checked
  --liveness K      with --replay: check bounded liveness (K ticks) where the script ends
  --transcript      with --replay: also print the runInteraction transcript
`;

export interface CheckCliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

interface Args {
  help: boolean;
  list: boolean;
  all: boolean;
  scenario: string | undefined;
  nodes: number | undefined;
  depth: number | undefined;
  maxStates: number | undefined;
  dfs: boolean;
  deep: boolean;
  liveness: boolean;
  core: string | undefined;
  out: string;
  json: boolean;
  replay: string | undefined;
  livenessTicks: number | undefined;
  transcript: boolean;
}

function parse(argv: readonly string[]): Args {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string' },
      all: { type: 'boolean' },
      list: { type: 'boolean' },
      nodes: { type: 'string' },
      depth: { type: 'string' },
      'max-states': { type: 'string' },
      dfs: { type: 'boolean' },
      deep: { type: 'boolean' },
      'no-liveness': { type: 'boolean' },
      core: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      replay: { type: 'string' },
      liveness: { type: 'string' },
      transcript: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`);
  const int = (name: string, v: string | undefined, min: number, max: number): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer in [${min}, ${max}], got ${v}`);
    return n;
  };
  if (values.scenario !== undefined && !(values.scenario in CHECK_SCENARIOS)) {
    throw new Error(`unknown scenario "${values.scenario}"; known: ${CHECK_SCENARIO_NAMES.join(', ')}`);
  }
  const modes = [values.scenario !== undefined, values.all, values.replay !== undefined, values.list].filter(
    Boolean,
  );
  if (modes.length !== 1 && !values.help)
    throw new Error('give one of --scenario NAME, --all, --replay FILE, --list');
  return {
    help: values.help ?? false,
    list: values.list ?? false,
    all: values.all ?? false,
    scenario: values.scenario,
    nodes: int('nodes', values.nodes, 1, 9),
    depth: int('depth', values.depth, 0, 1000),
    maxStates: int('max-states', values['max-states'], 1, 2_000_000_000),
    dfs: values.dfs ?? false,
    deep: values.deep ?? false,
    liveness: !(values['no-liveness'] ?? false),
    core: values.core,
    out: values.out ?? '.raft-check',
    json: values.json ?? false,
    replay: values.replay,
    livenessTicks: int('liveness', values.liveness, 1, 100_000),
    transcript: values.transcript ?? false,
  };
}

/** Load `--core MODULE`: a path (or package name) whose module exports `RaftNode`. */
export async function loadCore(spec: string): Promise<CoreModule> {
  const target = spec.startsWith('.') || spec.startsWith('/') ? pathToFileURL(resolve(spec)).href : spec;
  const mod = (await import(target)) as Partial<CoreModule>;
  if (typeof mod.RaftNode !== 'function') throw new Error(`${spec} does not export a RaftNode class`);
  return mod as CoreModule;
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: CheckCliIo = defaultIo()): Promise<number> {
  let args: Args;
  let core: CoreModule | undefined;
  try {
    args = parse(argv);
    if (args.core !== undefined) core = await loadCore(args.core);
  } catch (err) {
    io.err(`raft-check: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  if (args.list) {
    for (const name of CHECK_SCENARIO_NAMES) {
      const s = CHECK_SCENARIOS[name]!;
      io.out(
        `${name.padEnd(18)} ${s.nodes} nodes (${s.sizes.join('|')}), depth ${s.bounds.depth}: ${s.description}\n`,
      );
    }
    return 0;
  }
  if (args.replay !== undefined) return replay(args, core, io);
  const names = args.all ? CHECK_SCENARIO_NAMES : [args.scenario!];
  let failed = false;
  const results: CheckResult[] = [];
  for (const name of names) {
    let result: CheckResult;
    try {
      result = runOne(name, args, core, io);
    } catch (err) {
      io.err(`raft-check: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
    results.push(result);
    if (!args.json) io.out(summary(result));
    if (!result.ok) {
      failed = true;
      if (!args.json) io.out(report(result, args));
    }
  }
  if (args.json) {
    io.out(`${JSON.stringify(results.length === 1 ? results[0] : results, null, 2)}\n`);
  }
  return failed ? 1 : 0;
}

function runOne(name: string, args: Args, core: CoreModule | undefined, io: CheckCliIo): CheckResult {
  const progress = new ProgressLine(name, io);
  const result = modelCheck({
    scenario: name,
    ...(args.nodes === undefined ? {} : { nodes: args.nodes }),
    ...(args.depth === undefined ? {} : { depth: args.depth }),
    ...(args.maxStates === undefined ? {} : { maxStates: args.maxStates }),
    ...(core ? { core } : {}),
    dfs: args.dfs,
    deep: args.deep,
    liveness: args.liveness,
    onProgress: (p) => progress.update(p),
    progressIntervalMs: io.isTTY ? 200 : 5000,
  });
  progress.done();
  return result;
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');

function summary(r: CheckResult): string {
  const what = r.ok
    ? r.complete
      ? 'complete, 0 violations'
      : 'stopped at --max-states, 0 violations'
    : `VIOLATION (${r.violation!.property})`;
  return `raft-check ${r.scenario} (${r.nodes} nodes, depth ${r.bounds.depth}, ${r.search}): ${num(r.states)} states, ${num(r.transitions)} transitions, ${what}, ${r.seconds.toFixed(1)} s (${num(r.statesPerSecond)} states/s)\n`;
}

function report(r: CheckResult, args: Args): string {
  const v = r.violation!;
  const cx = r.counterexample!;
  const lines = [
    `VIOLATION scenario ${r.scenario} (${r.nodes} nodes): ${v.property} after ${cx.events} events`,
    `  ${v.detail}`,
  ];
  const file = join(args.out, `${r.scenario}-${r.nodes}.txt`);
  let saved = false;
  try {
    mkdirSync(args.out, { recursive: true });
    writeFileSync(file, cx.script);
    saved = true;
  } catch {
    // Printed below all the same.
  }
  lines.push('  counterexample (a shortest one, as an interaction script):');
  for (const l of cx.script.trimEnd().split('\n')) lines.push(`    ${l}`);
  const core = args.core === undefined ? '' : ` --core ${args.core}`;
  const liveness =
    v.property === 'liveness' ? ` --liveness ${CHECK_SCENARIOS[r.scenario]?.livenessTicks ?? 0}` : '';
  if (saved) {
    lines.push(`  saved: ${file}`);
    lines.push(`  replay: raft-check --replay ${file}${core}${liveness} --transcript`);
  }
  const depth = args.depth === undefined ? '' : ` --depth ${args.depth}`;
  lines.push(
    `  search again: raft-check --scenario ${r.scenario} --nodes ${r.nodes}${depth}${args.deep ? ' --deep' : ''}${args.dfs ? ' --dfs' : ''}${core}`,
  );
  return `${lines.join('\n')}\n`;
}

function replay(args: Args, core: CoreModule | undefined, io: CheckCliIo): number {
  let script: string;
  try {
    script = readFileSync(args.replay!, 'utf8');
  } catch (err) {
    io.err(`raft-check: cannot read ${args.replay}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  let result: ReturnType<typeof replayCounterexample>;
  try {
    result = replayCounterexample(script, {
      ...(core ? { core } : {}),
      ...(args.livenessTicks === undefined ? {} : { livenessTicks: args.livenessTicks }),
    });
    if (args.transcript) io.out(runInteraction(script, core ? { core } : {}));
  } catch (err) {
    io.err(`raft-check: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (result.violation === null) {
    io.out(`raft-check: ${args.replay}: ${result.steps} steps, no violation\n`);
    return 0;
  }
  io.out(
    `raft-check: ${args.replay}: VIOLATION ${result.violation.property} at line ${result.line}: ${result.violation.detail}\n`,
  );
  return 1;
}

/** A progress line on stderr: redrawn in place on a TTY, else printed every few seconds. */
class ProgressLine {
  private drawn = false;

  constructor(
    private readonly name: string,
    private readonly io: CheckCliIo,
  ) {}

  update(p: CheckProgress): void {
    const text = `raft-check ${this.name}: depth ${p.depth}, ${num(p.states)} states (${num(p.statesPerSecond)}/s), frontier ${num(p.frontier)}, ${p.seconds.toFixed(0)} s`;
    if (this.io.isTTY) {
      this.io.err(`\r${text}\x1b[K`);
      this.drawn = true;
    } else {
      this.io.err(`${text}\n`);
    }
  }

  done(): void {
    if (this.drawn) this.io.err('\r\x1b[K');
  }
}

function defaultIo(): CheckCliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  };
}

// Run when executed directly (bin/raft-check.js imports this file; tests import `main`).
const invoked = process.argv[1] ?? '';
if (/raft-check(\.js)?$|[\\/]check[\\/]cli\.(js|ts)$/.test(invoked)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `raft-check: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = 2;
    },
  );
}
