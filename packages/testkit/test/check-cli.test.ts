/**
 * The `raft-check` command through its `main` function: a clean run prints one summary line
 * per scenario and exits 0; a broken core (`--core`) exits 1 with the counterexample, the
 * file it was saved to and the command that replays it; that command reproduces the
 * violation and prints the transcript; bad usage exits 2.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CheckCliIo, main } from '../src/check/cli.js';
import { loadPatchedCore } from './helpers/patched-core.js';

function capture(isTTY = false): CheckCliIo & { stdout: () => string; stderr: () => string } {
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

const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups) c();
});

describe('raft-check', () => {
  it('lists the scenarios', async () => {
    const io = capture();
    expect(await main(['--list'], io)).toBe(0);
    for (const name of [
      'election',
      'replication',
      'figure-8',
      'membership-single',
      'membership-joint',
      'reads',
      'snapshots',
      'transfer',
    ])
      expect(io.stdout()).toContain(name);
  });

  it('explores a scenario and ends with a summary line', async () => {
    const io = capture(true);
    expect(await main(['--scenario', 'snapshots', '--depth', '4'], io)).toBe(0);
    expect(io.stdout()).toMatch(
      /^raft-check snapshots \(3 nodes, depth 4, bfs\): [\d,]+ states, [\d,]+ transitions, complete, 0 violations, [\d.]+ s \([\d,]+ states\/s\)\n$/,
    );
  });

  it('reports a broken core with its counterexample and a replay command that reproduces it', async () => {
    const { entry, remove } = await loadPatchedCore('cli-no-up-to-date', [
      { file: 'raft-node.ts', search: '    if (canVote && upToDate) {', replace: '    if (canVote) {' },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'raft-check-'));
    cleanups.push(remove, () => rmSync(dir, { recursive: true, force: true }));
    const io = capture();
    expect(await main(['--scenario', 'replication', '--core', entry, '--out', dir], io)).toBe(1);
    const out = io.stdout();
    expect(out).toContain('VIOLATION scenario replication (3 nodes): leader-completeness after 3 events');
    expect(out).toContain('    cluster 3 election=2 heartbeat=1 prevote=off checkquorum=off maxmsg=1');
    const file = join(dir, 'replication-3.txt');
    expect(out).toContain(`replay: raft-check --replay ${file} --core ${entry} --transcript`);
    expect(readFileSync(file, 'utf8')).toMatch(/^# raft-check: leader-completeness after 3 events/);

    const replay = capture();
    expect(await main(['--replay', file, '--core', entry, '--transcript'], replay)).toBe(1);
    expect(replay.stdout()).toContain('> campaign 3');
    expect(replay.stdout()).toMatch(/VIOLATION leader-completeness at line \d+: leader 3 of term 2 lacks/);
    // On the installed core the path diverges (the vote is refused): the replay says so.
    const fixed = capture();
    expect(await main(['--replay', file], fixed)).toBe(2);
    expect(fixed.stderr()).toMatch(
      /line \d+: no queued message "\d->3 request-vote-response term=2 granted"/,
    );
  });

  it('prints results as JSON', async () => {
    const io = capture();
    expect(await main(['--scenario', 'reads', '--depth', '3', '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout()) as { scenario: string; ok: boolean; complete: boolean; states: number };
    expect([r.scenario, r.ok, r.complete]).toEqual(['reads', true, true]);
    expect(r.states).toBeGreaterThan(1);
  });

  it('exits 2 on bad usage', async () => {
    for (const argv of [
      [],
      ['--scenario', 'nope'],
      ['--scenario', 'reads', '--all'],
      ['--scenario', 'reads', '--nodes', 'x'],
      ['--scenario', 'reads', '--nodes', '7'],
      ['--scenario', 'reads', '--core', './package.json'],
      ['--replay', '/nonexistent/file.txt'],
    ]) {
      const io = capture();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr()).toMatch(/raft-check: /);
    }
  });
});
