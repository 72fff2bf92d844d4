/**
 * Regression (issue 11, unsafe by silence): a new member got its first append only at the
 * next heartbeat. The leader started tracking it at the end of its log, after the membership
 * entry, so the broadcast that follows the change had nothing to send it; the new member
 * waited for a heartbeat answer (a heartbeat interval plus a round trip) before the probe.
 * Correct: the step that adds the member also sends it its first append (or snapshot).
 */
import { describe, expect, it } from 'vitest';
import type { MembershipChange } from '../src/index.js';
import { TestCluster } from './helpers/cluster.js';
import { leadAndCommit } from './helpers/regression.js';

const changes: [string, MembershipChange][] = [
  ['voter', { type: 'add-voter', id: 4 }],
  ['learner', { type: 'add-learner', id: 4 }],
];

describe('§4.2.1: a new member gets its first append at once', () => {
  it.each(changes)('a new %s: the change step sends to it, and it catches up without a tick', (_, change) => {
    // init: {1,2,3}; node 1 leads term 1 and `a` is committed on all; node 4 is started.
    const c = new TestCluster([1, 2, 3]);
    c.addNode(4);
    leadAndCommit(c, { heartbeat: false });

    // act: node 1 adds node 4.
    const actions = c.step(1, { type: 'change-membership', changes: [change] });

    // check: the same step sends node 4 an append or a snapshot (observed with the bug:
    // nothing to node 4 until the next heartbeat is answered).
    const toNew = actions.flatMap((a) => (a.type === 'send' && a.to === 4 ? [a.message.type] : []));
    expect(
      toNew.filter((t) => t === 'append-entries' || t === 'install-snapshot'),
      'messages to node 4 from the step that added it',
    ).not.toEqual([]);
    // check: with no tick at all, node 4 receives the whole log.
    c.deliverAll();
    expect(c.logs.get(4)!.lastIndex()).toBe(c.node(1).lastIndex());
  });
});
