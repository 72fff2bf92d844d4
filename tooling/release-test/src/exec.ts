/**
 * Running commands and reporting checks for the release tests: a child process with a
 * deadline whose output is kept for the report, and a list of named checks that prints one
 * line per check and a closing count.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process (and fail) after this many ms; default 120 s. */
  readonly timeoutMs?: number;
  /** Text written to stdin; default none (stdin closed). */
  readonly input?: string;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly result: RunResult,
  ) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    super(`${command} exited with ${result.code ?? 'a signal/timeout'} after ${result.ms} ms\n${output}`);
    this.name = 'CommandError';
  }
}

/** Runs `command args` to completion; rejects with `CommandError` on a non-zero exit or the deadline. */
export async function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<RunResult> {
  const started = Date.now();
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: options.env ?? process.env,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: true,
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // The whole process group: a runner that started its own children (npm, vitest) takes them along.
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, options.timeoutMs ?? 120_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  const result = { code: timedOut ? null : code, stdout, stderr, ms: Date.now() - started };
  if (result.code !== 0) throw new CommandError([command, ...args].join(' '), result);
  return result;
}

/** A binary of a workspace devDependency, run with the current Node. */
export function binOf(
  pkg: string,
  bin: string,
  from = join(ROOT, 'tooling/release-test/package.json'),
): string {
  // Packages whose `exports` hide package.json: find the directory on the resolution paths.
  const paths = createRequire(from).resolve.paths(pkg) ?? [];
  const dir = paths.map((p) => join(p, pkg)).find((d) => existsSync(join(d, 'package.json')));
  if (!dir) throw new Error(`${pkg} is not installed (looked in ${paths.join(', ')})`);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    bin?: string | Record<string, string>;
  };
  const rel = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
  if (!rel) throw new Error(`${pkg} has no bin ${bin}`);
  return join(dir, rel);
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail?: string;
}

/** Named checks, each timed; a failure is recorded and reported, and the rest still run. */
export class Checks {
  readonly results: CheckResult[] = [];
  constructor(private readonly label: string) {}

  async check(name: string, fn: () => Promise<string | undefined>): Promise<boolean> {
    const started = Date.now();
    try {
      const detail = (await fn()) ?? undefined;
      this.record({ name, ok: true, ms: Date.now() - started, ...(detail ? { detail } : {}) });
      return true;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.record({ name, ok: false, ms: Date.now() - started, detail });
      return false;
    }
  }

  private record(result: CheckResult): void {
    this.results.push(result);
    const seconds = (result.ms / 1000).toFixed(1).padStart(6);
    const line = `${result.ok ? 'ok  ' : 'FAIL'} ${seconds} s  ${result.name}`;
    console.log(
      result.detail && (!result.ok || result.detail.length < 100) ? `${line}: ${result.detail}` : line,
    );
  }

  /** Prints the closing count; returns the exit code (1 if any check failed). */
  finish(startedAt: number): number {
    const failed = this.results.filter((r) => !r.ok).length;
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.log(`${this.label}: ${this.results.length - failed} passed, ${failed} failed (${seconds} s)`);
    return failed > 0 ? 1 : 0;
  }
}
