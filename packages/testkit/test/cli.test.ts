/**
 * The `raft-sim` CLI through its `main` function: a soak prints a one-line summary and exits
 * 0; a violation prints the seed, the property, the trace and the replay command and exits
 * 1; the printed replay command reproduces the same run; bad usage exits 2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Action, type RaftConfig, type RaftLog, RaftNode } from '@raft-io/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliIo, main } from '../src/cli.js';
import type { SimNode } from '../src/sim/sim-node.js';

function capture(isTTY = false): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (s) => {
      out += s;
    },
    err: (s) => {
      err += s;
    },
    isTTY,
    stdout: () => out,
    stderr: () => err,
  };
}

/** Applies a wrong command on node 2: a State Machine Safety violation on any seed. */
function brokenFactory(config: RaftConfig, log: RaftLog): SimNode {
  const node = new RaftNode(config, log);
  if (config.id !== 2) return node;
  const step = node.step.bind(node);
  node.step = (e) =>
    step(e).map((a: Action) =>
      a.type === 'apply' ? { ...a, command: new TextEncoder().encode('put k0 bogus') } : a,
    );
  return node;
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('raft-sim', () => {
  it('runs seeds and ends with a one-line summary', () => {
    const io = capture();
    expect(main(['--seeds', '4', '--start', '10', '--steps', '100'], io)).toBe(0);
    expect(io.stdout()).toMatch(/^raft-sim: 4 seeds, \d+ steps, \d+ commits, 0 violations, [\d.]+ s\n$/);
    expect(io.stderr()).toContain('4/4 seeds');
  });

  it('draws a progress bar on a TTY', () => {
    const io = capture(true);
    expect(main(['--seeds', '2', '--steps', '50'], io)).toBe(0);
    expect(io.stderr()).toContain('[##############################] 2/2 seeds');
  });

  it('reports a violation with the seed, property, trace and replay command, and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raft-sim-'));
    dirs.push(dir);
    const io = capture();
    const code = main(
      [
        '--seeds',
        '3',
        '--start',
        '7',
        '--nodes',
        '3',
        '--scenario',
        'calm',
        '--steps',
        '100',
        '--trace-dir',
        dir,
      ],
      io,
      {
        nodeFactory: brokenFactory,
      },
    );
    expect(code).toBe(1);
    const out = io.stdout();
    expect(out).toContain('VIOLATION seed 7: state-machine-safety');
    expect(out).toContain('replay: raft-sim --replay 7 --nodes 3 --scenario calm --steps 100 --trace');
    expect(out).toMatch(/last \d+ events:\n {4}t=/);
    expect(out).toContain('raft-sim: 1 seeds,');
    const trace = readFileSync(join(dir, 'seed-7.trace'), 'utf8');
    expect(trace).toContain('VIOLATION');
    expect(trace).not.toContain('NONDETERMINISTIC');
  });

  it('replays a seed identically: same trace hash, same trace', () => {
    const a = capture();
    const b = capture();
    expect(main(['--replay', '12345', '--steps', '120', '--trace'], a)).toBe(0);
    expect(main(['--replay', '12345', '--steps', '120', '--trace'], b)).toBe(0);
    expect(a.stdout()).toBe(b.stdout());
    expect(a.stdout()).toMatch(/trace hash [0-9a-f]{14}/);
    expect(a.stdout().split('\n').length).toBeGreaterThan(100);
  });

  it('a replay without options runs what the mixed soak ran for that seed', () => {
    const soak = capture();
    main(['--seeds', '1', '--start', '99', '--steps', '80', '--json'], soak);
    const replay = capture();
    main(['--replay', '99', '--steps', '80', '--json'], replay);
    const r = JSON.parse(replay.stdout()) as { plan: { nodes: number; scenario: string }; steps: number };
    const s = JSON.parse(soak.stdout()) as { steps: number };
    expect(r.steps).toBe(s.steps);
  });

  it('exits 2 on bad usage', () => {
    for (const argv of [[], ['--seeds', 'x'], ['--seeds', '1', '--scenario', 'nope'], ['--bogus']]) {
      const io = capture();
      expect(main(argv, io)).toBe(2);
      expect(io.stderr()).toContain('usage:');
    }
  });
});
