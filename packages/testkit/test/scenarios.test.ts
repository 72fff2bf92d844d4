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

describe('the commands the model checker prints', () => {
  const start = 'cluster 3 election=2 prevote=off checkquorum=off\ncampaign 1\n';

  it('deliver, duplicate and drop name one message exactly as the transcript prints it', () => {
    const t = runInteraction(
      `${start}deliver 1->3 request-vote term=1 last=0/0\nduplicate 3->1 request-vote-response term=1 granted\n` +
        'drop 3->1 request-vote-response term=1 granted\ndeliver all\nstatus\n',
    );
    // Node 3's grant arrived once as a duplicate (node 1 won), the original was dropped, and
    // node 2 received its request only at `deliver all`.
    expect(t).toMatch(
      /> duplicate 3->1 request-vote-response term=1 granted\n3->1 request-vote-response term=1 granted\n {2}n1: send/,
    );
    expect(t).toContain('> drop 3->1 request-vote-response term=1 granted\n  dropped 1 messages');
    expect(statusOf(t, 0, 1)).toContain('leader term=1');
    expect(() => runInteraction(`${start}deliver 1->2 heartbeat term=1 commit=0\n`)).toThrow(
      /line 3: no queued message/,
    );
  });

  it('change sends a membership change; cluster sets voters, learners and one seed', () => {
    const t = runInteraction(
      'cluster 4 voters=1,2,3 learners=4 seed=5 prevote=off chunk=4 tail=1\ncampaign 1\ndeliver all\nchange 1 add-voter 4 remove 3\ndeliver all\nstatus\n',
    );
    expect(t).not.toContain('1->4 request-vote');
    expect(t).toMatch(/n1: membership \d+\/1 voters=1,2,4 outgoing=1,2,3/);
    expect(() => runInteraction('cluster 3\nchange 1 promote 2\n')).toThrow(
      /unknown membership change "promote"/,
    );
    expect(() => runInteraction('cluster 3 voters=1,4\n')).toThrow(/voters must list nodes 1..3/);
    expect(() => runInteraction('cluster 3 seed=-1\n')).toThrow(/seed must be/);
  });

  it('single-server-change-bug: the second change in flight is refused', () => {
    expect(transcript('single-server-change-bug')).toMatch(
      /> change 2 remove 1\n {2}n2: error MEMBERSHIP_CHANGE_PENDING/,
    );
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
