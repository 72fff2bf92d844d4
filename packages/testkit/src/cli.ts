/**
 * `raft-sim`: run the deterministic cluster simulator over many seeds, or replay one.
 *
 *   raft-sim --seeds M [--start S] [--nodes 3|5|7] [--scenario NAME] [--steps K] [--async-writes] [--keep-going] [--trace-dir DIR]
 *   raft-sim --replay SEED [--nodes N] [--scenario NAME] [--steps K] [--trace] [--html FILE]
 *
 * Progress goes to stderr (a bar on a TTY, a line every few seconds otherwise); the summary
 * and any failure report go to stdout. Exit status: 0 all safe, 1 a violation, 2 bad usage.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatViolation } from './checkers/violation.js';
import { recordReplay, renderReplayHtml } from './replay/replay-html.js';
import { planOptions, planSeed, replayCommand, runSeeds, type SeedPlan } from './sim/run-seeds.js';
import { SCENARIO_NAMES, SCENARIOS } from './sim/scenarios.js';
import { type SimulationOptions, type SimulationResult, simulate } from './sim/simulation.js';

const USAGE = `usage:
  raft-sim --seeds M [--start S] [--nodes N] [--scenario NAME] [--steps K] [--keep-going]
  raft-sim --replay SEED [--nodes N] [--scenario NAME] [--steps K] [--trace] [--html FILE]

  --seeds M        run M seeds (S .. S+M-1)
  --start S        first seed (default 1)
  --replay SEED    run one seed and print its result; --trace prints every event
  --html FILE      with --replay: also write the run as one self-contained HTML page (replay view)
  --nodes N        cluster size (default: 3, 5 or 7, drawn per seed)
  --scenario NAME  fault mix (default: drawn per seed); one of:
${SCENARIO_NAMES.map((n) => `                     ${n.padEnd(18)} ${SCENARIOS[n]!.description}`).join('\n')}
  --steps K        ticks of the fault phase (default 1000)
  --async-writes   every seed runs the driver with asynchronous storage writes (default: half the
                   seeds, drawn per seed); --sync-writes: none does
  --keep-going     run every seed even after a failure
  --json           print the summary (or the replay result) as JSON
  --trace-dir DIR  where a failing seed's full trace is written (default .raft-sim)
`;

/** Where the CLI writes: `out` for results, `err` for progress; `isTTY` picks the progress style. */
export interface CliIo {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}
type Out = CliIo;

/**
 * Run the CLI with `argv` (without node and script); returns the exit code. `overrides` are
 * extra simulation options for every run (tests use it to plant a broken node).
 */
export function main(
  argv: readonly string[],
  io: CliIo = defaultIo(),
  overrides: Partial<SimulationOptions> = {},
): number {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (err) {
    io.err(`raft-sim: ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(USAGE);
    return 0;
  }
  const mode = args.asyncWrites;
  const withMode: Partial<SimulationOptions> =
    mode === undefined ? overrides : { ...overrides, raft: { ...overrides.raft, asyncStorageWrites: mode } };
  if (args.replay !== undefined) return replay(args, io, withMode);
  return soak(args, io, withMode);
}

interface Args {
  help: boolean;
  seeds: number;
  start: number;
  replay: number | undefined;
  nodes: number | undefined;
  scenario: string | undefined;
  steps: number | undefined;
  trace: boolean;
  keepGoing: boolean;
  json: boolean;
  traceDir: string;
  html: string | undefined;
  /** Pin the storage-write mode; undefined: drawn per seed. */
  asyncWrites: boolean | undefined;
}

function parse(argv: readonly string[]): Args {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      seeds: { type: 'string' },
      start: { type: 'string' },
      replay: { type: 'string' },
      nodes: { type: 'string' },
      scenario: { type: 'string' },
      steps: { type: 'string' },
      trace: { type: 'boolean' },
      'keep-going': { type: 'boolean' },
      json: { type: 'boolean' },
      'trace-dir': { type: 'string' },
      html: { type: 'string' },
      'async-writes': { type: 'boolean' },
      'sync-writes': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new Error(`unexpected argument ${positionals[0]}`);
  const int = (name: string, v: string | undefined, min: number, max = 0xffffffff): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`--${name} must be an integer in [${min}, ${max}], got ${v}`);
    return n;
  };
  if (values.scenario !== undefined && !(values.scenario in SCENARIOS)) {
    throw new Error(`unknown scenario "${values.scenario}"; known: ${SCENARIO_NAMES.join(', ')}`);
  }
  const replaySeed = int('replay', values.replay, 0);
  if (replaySeed === undefined && values.seeds === undefined && !values.help)
    throw new Error('give --seeds M or --replay SEED');
  if (values['async-writes'] && values['sync-writes'])
    throw new Error('--async-writes and --sync-writes exclude each other');
  if (values.html !== undefined && replaySeed === undefined)
    throw new Error('--html goes with --replay SEED');
  return {
    help: values.help ?? false,
    seeds: int('seeds', values.seeds, 1) ?? 1,
    start: int('start', values.start, 0) ?? 1,
    replay: replaySeed,
    nodes: int('nodes', values.nodes, 1, 15),
    scenario: values.scenario,
    steps: int('steps', values.steps, 0, 10_000_000),
    trace: values.trace ?? false,
    keepGoing: values['keep-going'] ?? false,
    json: values.json ?? false,
    traceDir: values['trace-dir'] ?? '.raft-sim',
    html: values.html,
    asyncWrites: values['async-writes'] ? true : values['sync-writes'] ? false : undefined,
  };
}

function planOf(seed: number, args: Args): SeedPlan {
  return planSeed(seed, {
    ...(args.nodes === undefined ? {} : { nodes: args.nodes }),
    ...(args.scenario === undefined ? {} : { scenario: args.scenario }),
    ...(args.steps === undefined ? {} : { steps: args.steps }),
  });
}

function replay(args: Args, io: Out, overrides: Partial<SimulationOptions>): number {
  const plan = planOf(args.replay!, args);
  const options = planOptions(
    plan,
    args.trace ? { ...overrides, traceSink: (line) => io.out(`${line}\n`) } : overrides,
  );
  const result = args.html === undefined ? simulate(options) : writeReplayHtml(options, plan, args.html, io);
  if (args.json) {
    io.out(`${JSON.stringify({ plan, ...result }, null, 2)}\n`);
  } else {
    io.out(
      `seed ${plan.seed}: ${plan.nodes} nodes, scenario ${plan.scenario}, ${plan.steps} fault ticks, raft ${JSON.stringify(result.raft)}\n` +
        `  ${result.ticks} ticks, ${result.steps} steps, commit index ${result.commits}, ` +
        `clients ${result.workload.ok} ok / ${result.workload.fail} failed / ${result.workload.unknown} unknown, ` +
        `faults ${JSON.stringify(result.faults)}\n` +
        `  recovery after heal: leader in ${result.recovery.leaderTicks} ticks, everyone caught up in ${result.recovery.ticks} ticks\n` +
        `  linearizability: ${result.linearizability?.verdict ?? 'not checked'}\n` +
        `  trace hash ${result.traceHash}\n`,
    );
    if (!result.ok) io.out(failureReport(plan, result, null, overrides));
    else io.out('  no violations\n');
  }
  return result.ok ? 0 : 1;
}

function soak(args: Args, io: Out, overrides: Partial<SimulationOptions>): number {
  const t0 = performance.now();
  const progress = new Progress(args.seeds, io);
  let printed = 0;
  const summary = runSeeds({
    seeds: args.seeds,
    start: args.start,
    ...(args.nodes === undefined ? {} : { nodes: args.nodes }),
    ...(args.scenario === undefined ? {} : { scenario: args.scenario }),
    ...(args.steps === undefined ? {} : { steps: args.steps }),
    stopOnFailure: !args.keepGoing,
    overrides,
    onResult: (result, plan) => {
      progress.update(result);
      if (!result.ok && printed < 5) {
        printed++;
        progress.clear();
        io.out(failureReport(plan, result, args.traceDir, overrides));
      }
    },
  });
  progress.done();
  const seconds = (performance.now() - t0) / 1000;
  if (args.json) {
    io.out(
      `${JSON.stringify({ seeds: summary.seeds, steps: summary.steps, commits: summary.commits, violations: summary.violations, failedSeeds: summary.failures.map((f) => f.plan.seed), seconds })}\n`,
    );
  } else {
    io.out(
      `raft-sim: ${summary.seeds} seeds, ${summary.steps} steps, ${summary.commits} commits, ${summary.violations} violations, ${seconds.toFixed(1)} s\n`,
    );
  }
  return summary.failures.length === 0 ? 0 : 1;
}

/** Run the seed with the replay recorder and write the replay view to `file`. */
function writeReplayHtml(
  options: SimulationOptions,
  plan: SeedPlan,
  file: string,
  io: Out,
): SimulationResult {
  const command = replayCommand(plan, false, options.raft?.asyncStorageWrites);
  const { result, doc } = recordReplay(options, { title: `raft-sim seed ${plan.seed}`, command });
  writeFileSync(file, renderReplayHtml(doc));
  io.err(`raft-sim: replay view written to ${file} (${doc.steps.length} steps)\n`);
  return result;
}

/** The failure report: seed, properties, the trace around the first violation, the replay command. */
function failureReport(
  plan: SeedPlan,
  result: SimulationResult,
  traceDir: string | null,
  overrides: Partial<SimulationOptions>,
): string {
  const lines: string[] = [];
  const first = result.violations[0]!;
  lines.push(`VIOLATION seed ${plan.seed}: ${first.property}`);
  lines.push(`  ${plan.nodes} nodes, scenario ${plan.scenario}, raft ${JSON.stringify(result.raft)}`);
  for (const v of result.violations.slice(0, 5)) lines.push(`  ${formatViolation(v)}`);
  if (result.violations.length > 5) lines.push(`  ... and ${result.violations.length - 5} more`);
  lines.push(`  last ${result.trace.length} events:`);
  for (const l of result.trace) lines.push(`    ${l}`);
  if (traceDir !== null) {
    const file = saveFullTrace(plan, result, traceDir, overrides);
    if (file) lines.push(`  full trace: ${file}`);
  }
  lines.push(`  replay: ${replayCommand(plan, true, overrides.raft?.asyncStorageWrites)}`);
  return `${lines.join('\n')}\n`;
}

/** Re-run the seed with every line captured into `<dir>/seed-N.trace`; checks determinism on the way. */
function saveFullTrace(
  plan: SeedPlan,
  result: SimulationResult,
  dir: string,
  overrides: Partial<SimulationOptions>,
): string | null {
  const all: string[] = [];
  const again = simulate(planOptions(plan, { ...overrides, traceSink: (line) => all.push(line) }));
  if (again.traceHash !== result.traceHash) {
    all.push(`NONDETERMINISTIC: trace hash ${again.traceHash} on replay, ${result.traceHash} first`);
  }
  try {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `seed-${plan.seed}.trace`);
    writeFileSync(file, `${all.join('\n')}\n`);
    return file;
  } catch {
    return null;
  }
}

/** A progress bar on a TTY; otherwise a line every 5 seconds. Always on stderr. */
class Progress {
  private done_ = 0;
  private violations = 0;
  private lastDraw = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly total: number,
    private readonly io: Out,
  ) {}

  update(result: SimulationResult): void {
    this.done_++;
    this.violations += result.violations.length;
    const now = performance.now();
    const interval = this.io.isTTY ? 100 : 5000;
    if (now - this.lastDraw < interval && this.done_ < this.total) return;
    this.lastDraw = now;
    const secs = ((now - this.t0) / 1000).toFixed(1);
    const text = `${this.done_}/${this.total} seeds, ${this.violations} violations, ${secs} s`;
    if (this.io.isTTY) {
      const width = 30;
      const filled = Math.round((this.done_ / this.total) * width);
      this.io.err(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\x1b[K`);
    } else {
      this.io.err(`raft-sim: ${text}\n`);
    }
  }

  clear(): void {
    if (this.io.isTTY) this.io.err('\r\x1b[K');
  }

  done(): void {
    if (this.io.isTTY) this.io.err('\n');
  }
}

function defaultIo(): Out {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    isTTY: process.stderr.isTTY === true,
  };
}

// Run when executed directly (bin/raft-sim.js imports this file; tests import `main`).
const invoked = process.argv[1] ?? '';
if (/raft-sim(\.js)?$|[\\/]cli\.(js|ts)$/.test(invoked)) {
  process.exitCode = main(process.argv.slice(2));
}
