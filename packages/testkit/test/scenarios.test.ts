/**
 * Scenario transcripts (etcd's testdata/*.txt style): every script in test/scenarios/ is
 * replayed against real RaftNodes and its whole transcript compared with the golden
 * `<name>.out` beside it. To accept a deliberate change, rerun with `-u` and review the diff.
 * A few facts each scenario exists to show are also asserted directly, so a regenerated
 * golden cannot quietly lose them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ScriptError } from '../src/errors.js';
import { runInteraction } from '../src/interaction/index.js';

const dir = fileURLToPath(new URL('./scenarios/', import.meta.url));
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const transcript = (name: string) => runInteraction(readFileSync(join(dir, `${name}.txt`), 'utf8'));

/** The `status` line of node `id` after the `k`-th `> status` (negative: from the end). */
function statusOf(t: string, k: number, id: number): string {
  const blocks = t.split('> status\n').slice(1);
  const block = blocks.at(k)!;
  return block.split('\n').find((l) => l.startsWith(`  n${id}:`))!;
}

describe('scenario transcripts', () => {
  it('there are scenarios to replay', () => {
    expect(scripts.length).toBeGreaterThanOrEqual(8);
  });

  it.each(scripts)('%s matches its golden transcript', async (file) => {
    const out = runInteraction(readFileSync(join(dir, file), 'utf8'));
    await expect(out).toMatchFileSnapshot(`./scenarios/${file.replace(/\.txt$/, '.out')}`);
  });

  it('replays deterministically', () => {
    for (const file of scripts) {
      const name = file.replace(/\.txt$/, '');
      expect(transcript(name)).toBe(transcript(name));
    }
  });
});

describe('what the scenarios show', () => {
  it('election: one leader in term 1, and a command applied everywhere', () => {
    const t = transcript('election');
    expect(statusOf(t, 0, 1)).toContain('leader term=1');
    for (const id of [1, 2, 3]) expect(statusOf(t, 1, id)).toContain('sm=[x=1]');
  });

  it('figure 8: an old-term entry on a majority is not committed, and is later overwritten', () => {
    const t = transcript('figure-8');
    expect(statusOf(t, -2, 1)).toMatch(/leader term=3 .*commit=1 /);
    expect(statusOf(t, -1, 2)).toContain('sm=[a, cc]');
    expect(statusOf(t, -1, 3)).toContain('sm=[a, cc]');
  });

  it('figure 7: every follower ends with the leader log', () => {
    const t = transcript('figure-7-catch-up');
    const leader = statusOf(t, -1, 1).split('sm=')[1];
    for (let id = 2; id <= 7; id++) expect(statusOf(t, -1, id).split('sm=')[1]).toBe(leader);
  });

  it('pre-vote: the isolated node keeps its term, and rejoins without disruption', () => {
    const t = transcript('prevote-rejoin');
    expect(statusOf(t, 0, 3)).toContain('term=1');
    expect(statusOf(t, 1, 1)).toContain('leader term=1');
  });

  it('without pre-vote the rejoining node deposes the leader', () => {
    const t = transcript('no-prevote-disruption');
    expect(statusOf(t, 0, 3)).not.toContain('term=1 ');
    expect(statusOf(t, 1, 1)).not.toContain('leader term=1');
  });

  it('check-quorum: the cut-off leader steps down', () => {
    const t = transcript('check-quorum');
    expect(statusOf(t, -1, 1)).not.toContain(': leader');
    expect(t).toMatch(/n[23]: state leader term=\d+/);
  });

  it('leader transfer: the target leads the next term', () => {
    const t = transcript('leader-transfer');
    expect(statusOf(t, 0, 3)).toContain('leader term=2');
  });

  it('snapshot catch-up: the lagging follower is sent the snapshot and restores it', () => {
    const t = transcript('snapshot-catch-up');
    expect(t).toContain('install-snapshot');
    expect(t).toMatch(/n3: restore snapshot=2\/1/);
    expect(statusOf(t, -1, 3)).toContain('sm=[a, b]');
  });
});

describe('script errors', () => {
  it('names the line of a malformed command', () => {
    expect(() => runInteraction('cluster 3\nbogus 1\n')).toThrow(ScriptError);
    expect(() => runInteraction('cluster 3\nbogus 1\n')).toThrow(/line 2: unknown command/);
    expect(() => runInteraction('campaign 1\n')).toThrow(/must start with `cluster N`/);
    expect(() => runInteraction('cluster 3\ndeliver 1-2\n')).toThrow(/expected A->B/);
    expect(() => runInteraction('cluster 3\ncampaign 9\n')).toThrow(/no node 9/);
    expect(() => runInteraction('cluster 3\npropose 1 "x\n')).toThrow(/unterminated string/);
  });

  it('reports API errors in the transcript instead of throwing', () => {
    const t = runInteraction('cluster 3\npropose 2 "x"\n');
    expect(t).toContain('n2: error NOT_LEADER');
  });
});
