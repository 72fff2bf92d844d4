/**
 * Member addresses and metadata live in the membership (issue 13): a change carries them for
 * the members it adds, they are replicated in the log and in snapshots, a removed member's
 * are dropped, and malformed ones are refused (from the caller) or dropped (from the
 * network).
 */
import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MAX_MEMBERSHIP_BYTES,
  type Membership,
  MemoryLog,
  type Message,
  RaftNode,
} from '../src/index.js';
import { applyChanges, encodeMembership, MAX_MEMBER_METADATA, parseMembership } from '../src/membership.js';
import { TestCluster } from './helpers/cluster.js';

const base: Membership = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };

describe('member info in the membership', () => {
  it('a change carries the address and metadata of the members it adds; a removal drops them', () => {
    const added = applyChanges(base, [
      { type: 'add-learner', id: 4, address: '10.0.0.4:7001', metadata: 'http://10.0.0.4:8001' },
    ]);
    expect(added.info).toEqual({ 4: { address: '10.0.0.4:7001', metadata: 'http://10.0.0.4:8001' } });
    // Promoted without new info: it keeps what it had; with a new address, that one wins.
    expect(applyChanges(added, [{ type: 'add-voter', id: 4 }]).info).toEqual(added.info);
    expect(applyChanges(added, [{ type: 'add-voter', id: 4, address: '10.0.0.9:7001' }]).info).toEqual({
      4: { address: '10.0.0.9:7001', metadata: 'http://10.0.0.4:8001' },
    });
    const removed = applyChanges(added, [{ type: 'remove', id: 4 }]);
    expect(removed).toEqual(base);
    expect('info' in removed).toBe(false);
  });

  it('round-trips through the entry codec; malformed info in an entry makes it malformed', () => {
    const m = applyChanges(base, [{ type: 'add-voter', id: 4, address: 'h:1' }]);
    expect(parseMembership(encodeMembership(m))).toEqual(m);
    const bad = (text: string) => parseMembership(new TextEncoder().encode(text));
    expect(bad('{"v":[1],"l":[],"o":[],"i":{"2":{"a":"x"}}}')).toBeNull(); // info about a non-member
    expect(bad('{"v":[1],"l":[],"o":[],"i":{"1":{"a":7}}}')).toBeNull();
    expect(bad('{"v":[1],"l":[],"o":[],"i":{"1":{"z":"x"}}}')).toBeNull();
    expect(bad('{"v":[1],"l":[],"o":[],"i":[]}')).toBeNull();
    expect(bad('{"v":[1],"l":"","o":[]}')).toBeNull(); // the shape issue 12 saw reach /status
    expect(bad('{"v":[1],"l":[],"o":[],"i":{"1":{"a":"x"}}}')).toEqual({
      voters: [1],
      learners: [],
      outgoingVoters: [],
      info: { 1: { address: 'x' } },
    });
  });

  it('refuses addresses and metadata that are not printable ASCII or too long', () => {
    for (const address of ['caf\u00e9:1', 'a\nb', 'x'.repeat(257)]) {
      expect(() => applyChanges(base, [{ type: 'add-voter', id: 4, address }])).toThrow(InvalidArgumentError);
    }
    expect(() => applyChanges(base, [{ type: 'add-voter', id: 4, metadata: 'm'.repeat(4097) }])).toThrow(
      InvalidArgumentError,
    );
  });

  it('every node learns the new member address from the log, and a node caught up by snapshot from the snapshot', () => {
    // init: three nodes; node 3 is cut off while the leader adds node 4 and compacts its log
    const c = new TestCluster([1, 2, 3], { electionTick: 5 });
    const leader = c.elect();
    const behind = c.ids.find((id) => id !== leader.id)!;
    c.isolate(behind);
    c.addNode(4);
    c.step(leader.id, {
      type: 'change-membership',
      changes: [{ type: 'add-learner', id: 4, address: 'n4:7001', metadata: 'http://n4' }],
    });
    c.propose('x');
    expect(c.runUntil(() => c.caughtUp(c.ids.filter((id) => id !== behind)))).toBe(true);
    for (const id of c.ids.filter((id) => id !== behind)) {
      expect(c.node(id).membership().info).toEqual({ 4: { address: 'n4:7001', metadata: 'http://n4' } });
    }
    c.snapshot(leader.id);
    expect(c.logs.get(leader.id)!.snapshot()!.metadata.membership.info).toEqual({
      4: { address: 'n4:7001', metadata: 'http://n4' },
    });

    // act: node 3 comes back and is caught up by the snapshot
    c.heal();
    expect(c.runUntil(() => c.caughtUp())).toBe(true);

    // check: it knows node 4's address without being told
    expect(c.logs.get(behind)!.snapshot()?.metadata.index).toBeGreaterThan(0);
    expect(c.node(behind).membership().info).toEqual({ 4: { address: 'n4:7001', metadata: 'http://n4' } });
  });

  it('a snapshot from the network whose membership info is malformed is dropped', () => {
    const c = new TestCluster([1, 2, 3]);
    const node = c.node(1);
    const message: Message = {
      type: 'install-snapshot',
      from: 2,
      to: 1,
      term: 1,
      metadata: { index: 4, term: 1, membership: { ...base, info: { 9: { address: 'elsewhere' } } } },
      offset: 0,
      data: new Uint8Array(0),
      done: true,
    };
    expect(c.step(1, { type: 'message', message })).toEqual([]);
    expect(node.status().malformedMessages).toBe(1);
  });

  it('a membership entry is bounded by its encoded size (MAX_MEMBERSHIP_BYTES), not by its member count', () => {
    // Five members with the longest metadata each: about 20 KB encoded. Before the bound was
    // the encoded size, the change was accepted and its entry then refused by every decoder:
    // the leader stopped with "a membership entry in the log does not decode".
    const five = new TestCluster([1, 2, 3, 4, 5], { electionTick: 5 });
    const leader = five.elect();
    const metadata = 'm'.repeat(MAX_MEMBER_METADATA);
    for (const id of five.ids) {
      five.step(leader.id, { type: 'change-membership', changes: [{ type: 'add-voter', id, metadata }] });
      expect(five.runUntil(() => five.caughtUp(five.ids))).toBe(true);
    }
    for (const id of five.ids) expect(Object.keys(five.node(id).membership().info ?? {})).toHaveLength(5);

    // One voter and learners whose metadata fill the entry to just under the bound: one more
    // member with metadata is refused, with the size in the message, before anything changes.
    const learners = Array.from({ length: 254 }, (_, i) => i + 2);
    const memberInfo: Record<number, { metadata: string }> = {};
    for (const id of learners) memberInfo[id] = { metadata };
    const size = encodeMembership({ voters: [1], learners, outgoingVoters: [], info: memberInfo }).length;
    expect(size).toBeLessThanOrEqual(MAX_MEMBERSHIP_BYTES);
    expect(size + MAX_MEMBER_METADATA).toBeGreaterThan(MAX_MEMBERSHIP_BYTES);
    const alone = new RaftNode({ id: 1, voters: [1], learners, memberInfo }, new MemoryLog());
    alone.step({ type: 'campaign' });
    expect(alone.isLeader()).toBe(true);
    const last = alone.status().lastIndex;
    expect(() =>
      alone.step({ type: 'change-membership', changes: [{ type: 'add-learner', id: 300, metadata }] }),
    ).toThrow(/the membership change is refused: it encodes to \d+ bytes, more than MAX_MEMBERSHIP_BYTES/);
    expect(alone.status().lastIndex).toBe(last);
    alone.step({ type: 'change-membership', changes: [{ type: 'add-learner', id: 300 }] });
    expect(alone.status().lastIndex).toBe(last + 1);

    // A new cluster's member info past the bound is a config error.
    memberInfo[1] = { metadata };
    expect(() => new RaftNode({ id: 1, voters: [1], learners, memberInfo }, new MemoryLog())).toThrow(
      expect.objectContaining({
        name: 'InvalidConfigError',
        field: 'memberInfo',
        message: expect.stringMatching(/^invalid config: memberInfo: is too large: it encodes to \d+ bytes/),
      }),
    );
  });
});
