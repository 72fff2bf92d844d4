/**
 * Membership entries as bytes and membership changes as data (issue 20: the codec and the
 * change rules had mutants no test killed). Bytes of a membership entry come from the network
 * or the disk: `parseMembership` refuses anything but the exact documented shape. A change is
 * the user's input: `applyChanges` refuses what would make a bad membership, merges member
 * info, and goes through a joint membership exactly when more than one voter changes.
 */
import { describe, expect, it } from 'vitest';
import { MAX_MEMBERS, MAX_MEMBERSHIP_BYTES } from '../src/limits.js';
import {
  applyChanges,
  decodeMembership,
  encodeMembership,
  isValidMembership,
  leaveJoint,
  MAX_MEMBER_ADDRESS,
  MAX_MEMBER_METADATA,
  MembershipHistory,
  mayCampaign,
  membershipChangeBlocker,
  membershipOf,
  membershipSizeProblem,
  parseMembership,
  shouldHandOver,
  shouldLeaveJoint,
} from '../src/membership.js';

const ascii = (text: string) => new Uint8Array([...text].map((c) => c.charCodeAt(0)));
const three = { voters: [1, 2, 3], learners: [], outgoingVoters: [] };

describe('parseMembership', () => {
  it('round-trips a membership with learners, outgoing voters and member info', () => {
    const m = {
      voters: [1, 2],
      learners: [4],
      outgoingVoters: [1, 3],
      info: { 2: { address: 'h:2' }, 4: { address: 'h:4', metadata: 'x' } },
    };
    expect(parseMembership(encodeMembership(m))).toEqual(m);
    expect(parseMembership(encodeMembership(three))).toEqual(three);
    expect(encodeMembership({ ...three, info: {} })).toEqual(encodeMembership(three));
  });

  const refused: [string, string | Uint8Array][] = [
    ['no bytes', new Uint8Array(0)],
    ['a control byte', new Uint8Array([0x7b, 0x0a, 0x7d])],
    ['a non-ASCII byte', new Uint8Array([0x7b, 0x80, 0x7d])],
    ['not JSON', '{v:'],
    ['JSON null', 'null'],
    ['a JSON array', '[1]'],
    ['a missing key', '{"v":[1],"l":[]}'],
    ['an extra key', '{"v":[1],"l":[],"o":[],"x":1}'],
    ['four keys without info', '{"v":[1],"l":[],"o":[],"p":1}'],
    ['no voters', '{"v":[],"l":[],"o":[]}'],
    ['a zero id', '{"v":[0],"l":[],"o":[]}'],
    ['a fractional id', '{"v":[1.5],"l":[],"o":[]}'],
    ['a string id', '{"v":["1"],"l":[],"o":[]}'],
    ['a duplicate voter', '{"v":[1,1],"l":[],"o":[]}'],
    ['a learner that is a voter', '{"v":[1],"l":[1],"o":[]}'],
    ['voters not a list', '{"v":1,"l":[],"o":[]}'],
    ['info null', '{"v":[1],"l":[],"o":[],"i":null}'],
    ['info an array', '{"v":[1],"l":[],"o":[],"i":[]}'],
    ['info of a stranger', '{"v":[1],"l":[],"o":[],"i":{"2":{"a":"x"}}}'],
    ['info with an unknown key', '{"v":[1],"l":[],"o":[],"i":{"1":{"z":"x"}}}'],
    ['info entry null', '{"v":[1],"l":[],"o":[],"i":{"1":null}}'],
    ['info entry an array', '{"v":[1],"l":[],"o":[],"i":{"1":[]}}'],
    ['info with a non-canonical id', '{"v":[1],"l":[],"o":[],"i":{"01":{"a":"x"}}}'],
    ['an address that is not a string', '{"v":[1],"l":[],"o":[],"i":{"1":{"a":7}}}'],
    [
      'an address too long',
      `{"v":[1],"l":[],"o":[],"i":{"1":{"a":"${'x'.repeat(MAX_MEMBER_ADDRESS + 1)}"}}}`,
    ],
    ['metadata too long', `{"v":[1],"l":[],"o":[],"i":{"1":{"m":"${'x'.repeat(MAX_MEMBER_METADATA + 1)}"}}}`],
    [
      'too many members',
      JSON.stringify({ v: Array.from({ length: MAX_MEMBERS + 1 }, (_, i) => i + 1), l: [], o: [] }),
    ],
    ['a line break between the keys', '{"v":[1],\n"l":[],"o":[]}'],
    ['info a number', '{"v":[1],"l":[],"o":[],"i":5}'],
    ['an info entry a number', '{"v":[1],"l":[],"o":[],"i":{"1":5}}'],
    ['bytes in a plain array', [...ascii('{"v":[1],"l":[],"o":[]}')] as unknown as Uint8Array],
    ['a JSON string of three characters', '"abc"'],
  ];
  for (const [what, input] of refused) {
    it(`refuses ${what}`, () => {
      expect(parseMembership(typeof input === 'string' ? ascii(input) : input)).toBeNull();
    });
  }

  it('accepts info at the longest address and metadata, and of outgoing voters and learners', () => {
    const m = parseMembership(
      ascii(
        `{"v":[1],"l":[2],"o":[3],"i":{"1":{"a":"${'a'.repeat(MAX_MEMBER_ADDRESS)}"},"2":{"m":"${'m'.repeat(MAX_MEMBER_METADATA)}"},"3":{}}}`,
      ),
    );
    expect(m?.info?.[1]?.address).toHaveLength(MAX_MEMBER_ADDRESS);
    expect(m?.info?.[2]?.metadata).toHaveLength(MAX_MEMBER_METADATA);
  });

  it('spaces and every printable character are accepted; a missing info field is no field at all', () => {
    expect(parseMembership(ascii('{"v":[1], "l":[],"o":[2],"i":{"1":{"a":"h ~1"},"2":{}}}'))).toStrictEqual({
      voters: [1],
      learners: [],
      outgoingVoters: [2],
      info: { 1: { address: 'h ~1' }, 2: {} },
    });
  });

  it('is bounded by the encoded size: exactly MAX_MEMBERSHIP_BYTES is accepted, one byte more refused', () => {
    const voters = Array.from({ length: 255 }, (_, i) => i + 1);
    const sized = (last: number) => {
      const info: Record<number, { metadata: string }> = {};
      for (const id of voters) info[id] = { metadata: 'm'.repeat(id === 255 ? last : MAX_MEMBER_METADATA) };
      return encodeMembership({ voters, learners: [], outgoingVoters: [], info });
    };
    const fill = MAX_MEMBERSHIP_BYTES - sized(0).length;
    expect(fill).toBeGreaterThan(0);
    expect(fill).toBeLessThan(MAX_MEMBER_METADATA);
    expect(sized(fill)).toHaveLength(MAX_MEMBERSHIP_BYTES);
    expect(parseMembership(sized(fill))?.info?.[255]?.metadata).toHaveLength(fill);
    expect(parseMembership(sized(fill + 1))).toBeNull();
    // The check a change or a config goes through before the entry is written: the same bound.
    const asMembership = (last: number) =>
      parseMembership(sized(last)) ?? { voters: [1], learners: [], outgoingVoters: [] };
    expect(membershipSizeProblem(encodeMembership(asMembership(fill)))).toBeNull();
    const over = parseMembership(sized(fill)) as { info: Record<number, { metadata: string }> };
    over.info[255] = { metadata: 'm'.repeat(fill + 1) };
    expect(membershipSizeProblem(encodeMembership(over as never))).toMatch(
      /^it encodes to \d+ bytes, more than MAX_MEMBERSHIP_BYTES/,
    );
  });

  it('decodeMembership names a damaged entry in the log as a broken invariant', () => {
    expect(() => decodeMembership(ascii('{"v":[]}'))).toThrow(
      'invariant violated: valid-membership-entry: a membership entry in the log does not decode',
    );
  });
});

describe('isValidMembership (objects from snapshot messages and the config)', () => {
  const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
  it('refuses a value that is not a membership, and malformed info, without throwing', () => {
    const bad: [string, unknown][] = [
      ['null', null],
      ['a number', 5],
      ['info null', { ...three, info: null }],
      ['info a number', { ...three, info: 5 }],
      ['info an array', { ...three, info: [] }],
      ['info with a non-canonical id', { ...three, info: { '01': {} } }],
      ['an info entry null', { ...three, info: { 1: null } }],
      ['an info entry a number', { ...three, info: { 1: 5 } }],
    ];
    for (const [what, value] of bad)
      expect({ what, valid: isValidMembership(value) }).toEqual({ what, valid: false });
    expect(isValidMembership({ ...three, info: { 1: {}, 2: { address: 'a' } } })).toBe(true);
  });

  it('counts voters, learners and outgoing voters together against MAX_MEMBERS', () => {
    const valid = (v: number[], l: number[], o: number[]) =>
      isValidMembership({ voters: v, learners: l, outgoingVoters: o });
    expect(valid(ids(1, MAX_MEMBERS), [], [])).toBe(true);
    expect(valid(ids(1, 1000), ids(1001, MAX_MEMBERS), [])).toBe(true);
    expect(valid(ids(1, 1000), ids(1001, MAX_MEMBERS + 1), [])).toBe(false);
    expect(valid(ids(1, 1000), [], ids(1001, MAX_MEMBERS + 1))).toBe(false);
    expect(valid(ids(1, 1000), ids(1001, 1012), ids(1013, MAX_MEMBERS + 1))).toBe(false);
  });

  it('membershipOf builds a simple membership, learners optional', () => {
    expect(membershipOf([1, 2])).toStrictEqual({ voters: [1, 2], learners: [], outgoingVoters: [] });
    expect(membershipOf([1], [2])).toStrictEqual({ voters: [1], learners: [2], outgoingVoters: [] });
  });
});

describe('applyChanges', () => {
  it('one change is a simple membership; several that change voters go through a joint one', () => {
    expect(applyChanges(three, [{ type: 'add-voter', id: 4 }])).toEqual({
      voters: [1, 2, 3, 4],
      learners: [],
      outgoingVoters: [],
    });
    expect(
      applyChanges(three, [
        { type: 'add-voter', id: 4 },
        { type: 'remove', id: 1 },
      ]),
    ).toEqual({ voters: [2, 3, 4], learners: [], outgoingVoters: [1, 2, 3] });
    // Several changes that leave the voters as they are: no joint membership.
    expect(
      applyChanges(three, [
        { type: 'add-learner', id: 5 },
        { type: 'add-learner', id: 6 },
      ]),
    ).toEqual({ voters: [1, 2, 3], learners: [5, 6], outgoingVoters: [] });
  });

  it('promotes a learner, demotes a voter, removes either, and keeps ids sorted', () => {
    const m = { voters: [1, 2, 3], learners: [7, 5], outgoingVoters: [] };
    expect(applyChanges(m, [{ type: 'add-voter', id: 5 }]).learners).toEqual([7]);
    expect(applyChanges(m, [{ type: 'add-learner', id: 3 }])).toMatchObject({
      voters: [1, 2],
      learners: [3, 5, 7],
    });
    expect(applyChanges(m, [{ type: 'remove', id: 7 }]).learners).toEqual([5]);
  });

  it('merges member info: a change keeps what it does not give, and a removed member loses its info', () => {
    const m = { ...three, info: { 2: { address: 'h:2', metadata: 'old' } } };
    expect(applyChanges(m, [{ type: 'add-voter', id: 2, metadata: 'new' }]).info).toEqual({
      2: { address: 'h:2', metadata: 'new' },
    });
    // Strict: a field a member does not have is absent, not present and undefined.
    expect(applyChanges(m, [{ type: 'add-learner', id: 4, address: 'h:4' }]).info).toStrictEqual({
      2: { address: 'h:2', metadata: 'old' },
      4: { address: 'h:4' },
    });
    expect(applyChanges(m, [{ type: 'add-learner', id: 5, metadata: 'x' }]).info?.[5]).toStrictEqual({
      metadata: 'x',
    });
    // Info is kept in id order, also for ids past the array-index range (whose object keys
    // would otherwise keep insertion order), so one membership always encodes to the same bytes.
    const big = 2 ** 40;
    const first = applyChanges(three, [{ type: 'add-learner', id: big + 2, address: 'b' }]);
    const both = applyChanges(first, [{ type: 'add-learner', id: big + 1, address: 'a' }]);
    expect(Object.keys(both.info ?? {})).toEqual([String(big + 1), String(big + 2)]);
    expect(applyChanges(m, [{ type: 'remove', id: 2 }]).info).toBeUndefined();
    const joint = {
      voters: [2, 3],
      learners: [],
      outgoingVoters: [1, 2, 3],
      info: { 1: { address: 'h:1' }, 2: { address: 'h:2' } },
    };
    expect(leaveJoint(joint)).toEqual({
      voters: [2, 3],
      learners: [],
      outgoingVoters: [],
      info: { 2: { address: 'h:2' } },
    });
    expect(
      leaveJoint({ voters: [2], learners: [], outgoingVoters: [1], info: { 1: { address: 'x' } } }),
    ).toEqual({
      voters: [2],
      learners: [],
      outgoingVoters: [],
    });
  });

  it('refuses, naming why: no change, a bad id, an unknown type, no voters left, bad address or metadata', () => {
    const cases: [unknown[], string][] = [
      [[], 'change-membership needs at least one change'],
      [[{ type: 'add-voter', id: 0 }], 'membership change: 0 is not a valid node id'],
      [[{ type: 'add-voter', id: 1.5 }], 'membership change: 1.5 is not a valid node id'],
      [[{ type: 'add-voter', id: '4' }], 'membership change: 4 is not a valid node id'],
      [[{ type: 'promote', id: 4 }], 'membership change: unknown type promote'],
      [
        [
          { type: 'remove', id: 1 },
          { type: 'remove', id: 2 },
          { type: 'remove', id: 3 },
        ],
        'membership change would leave no voters',
      ],
      [
        [{ type: 'add-voter', id: 4, address: 'a\tb' }],
        `the address of node 4 must be printable ASCII, at most ${MAX_MEMBER_ADDRESS} characters`,
      ],
      [
        [{ type: 'add-learner', id: 4, metadata: 'x'.repeat(MAX_MEMBER_METADATA + 1) }],
        `the metadata of node 4 must be printable ASCII, at most ${MAX_MEMBER_METADATA} characters`,
      ],
    ];
    for (const [changes, message] of cases)
      expect(() => applyChanges(three, changes as never)).toThrow(message);
  });
});

describe('membership history and policy', () => {
  const m = (voters: number[], learners: number[] = [], outgoingVoters: number[] = []) => ({
    voters,
    learners,
    outgoingVoters,
  });

  it('the history answers which membership was in force at an index, truncates, prunes and resets', () => {
    const h = new MembershipHistory(5, m([1, 2, 3]));
    h.record(7, m([1, 2, 3, 4]));
    h.record(9, m([1, 2, 4]));
    expect([h.at(4), h.at(5), h.at(6), h.at(7), h.at(8), h.at(9)].map((x) => x.voters.length)).toEqual([
      3, 3, 3, 4, 4, 3,
    ]);
    expect([h.latestIndex(), h.latest().voters]).toEqual([9, [1, 2, 4]]);
    expect(h.truncateFrom(10)).toBe(false);
    expect(h.truncateFrom(9)).toBe(true);
    expect(h.latestIndex()).toBe(7);
    expect(h.truncateFrom(1)).toBe(true); // everything after the base goes; the base stays
    expect([h.latestIndex(), h.latest().voters]).toEqual([5, [1, 2, 3]]);
    h.record(7, m([1, 2, 3, 4]));
    h.record(9, m([1, 2, 4]));
    h.prune(8); // the one in force at 8 becomes the base at 8
    expect([h.at(8).voters, h.at(9).voters, h.latestIndex()]).toEqual([[1, 2, 3, 4], [1, 2, 4], 9]);
    // What came before is forgotten, as after a restart from a snapshot at 8.
    expect([h.at(6).voters, h.everListed(4)]).toEqual([[1, 2, 3, 4], true]);
    h.prune(9);
    expect([h.at(8).voters, h.everListed(3), h.removedBy(3, 9)]).toEqual([[1, 2, 4], false, false]);
    h.reset(20, m([5]));
    expect([h.latestIndex(), h.latest().voters, h.at(1).voters]).toEqual([20, [5], [5]]);
  });

  it('removedBy: listed by a committed membership and not by the one in force at the commit; everListed', () => {
    const h = new MembershipHistory(0, m([1, 2, 3], [5]));
    h.record(4, m([1, 2], [5])); // 3 removed at 4
    h.record(6, m([1, 2])); // 5 removed at 6
    expect(h.removedBy(3, 3)).toBe(false); // not committed yet
    expect(h.removedBy(3, 4)).toBe(true);
    expect(h.removedBy(5, 5)).toBe(false);
    expect(h.removedBy(5, 6)).toBe(true); // learners count as members
    expect(h.removedBy(9, 6)).toBe(false); // never listed: not removed
    expect([h.everListed(3), h.everListed(5), h.everListed(9)]).toEqual([true, true, false]);
  });

  it('membershipChangeBlocker names each reason, and lets a change through otherwise', () => {
    const ctx = {
      membership: m([1, 2, 3]),
      latestIndex: 3,
      commit: 3,
      term: 2,
      committedEntryInCurrentTerm: true,
    };
    expect(membershipChangeBlocker(ctx)).toBeNull();
    expect(membershipChangeBlocker({ ...ctx, membership: m([1, 2], [], [1, 2, 3]) })).toBe(
      'the membership is joint; the leader leaves it first',
    );
    expect(membershipChangeBlocker({ ...ctx, latestIndex: 4 })).toBe(
      'the previous membership change is not committed yet',
    );
    expect(membershipChangeBlocker({ ...ctx, committedEntryInCurrentTerm: false })).toBe(
      'the leader has not committed an entry of its term yet; retry',
    );
    expect(membershipChangeBlocker({ ...ctx, term: 1, committedEntryInCurrentTerm: false })).toBeNull();
  });

  it('leave a joint membership, hand over, campaign: each only when its membership is committed', () => {
    const joint = m([2, 3], [], [1, 2, 3]);
    expect([
      shouldLeaveJoint(joint, 5, 5),
      shouldLeaveJoint(joint, 6, 5),
      shouldLeaveJoint(m([1]), 5, 5),
    ]).toEqual([true, false, false]);
    expect([
      shouldHandOver(m([2, 3]), 1, 5, 5),
      shouldHandOver(m([2, 3]), 1, 6, 5),
      shouldHandOver(m([1, 2]), 1, 5, 5),
    ]).toEqual([true, false, false]);
    const h = new MembershipHistory(0, m([1, 2, 3]));
    h.record(4, m([2, 3])); // removes 1, uncommitted until commit 4
    expect(mayCampaign(h, 1, 3)).toBe(true); // a voter of the committed membership, while the removal is pending
    expect(mayCampaign(h, 1, 4)).toBe(false);
    expect(mayCampaign(h, 2, 4)).toBe(true);
    expect(mayCampaign(h, 9, 3)).toBe(false);
    // A voter only of a newer, uncommitted membership may campaign too (it may be needed to finish the change).
    h.record(6, m([2, 3, 4]));
    expect(mayCampaign(h, 4, 4)).toBe(true);
  });
});
