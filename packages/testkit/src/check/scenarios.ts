/**
 * The named model-checking scenarios. Each is a small cluster with short timeouts
 * (`electionTick` 2, `heartbeatTick` 1), a setup that brings it to an interesting start, and
 * bounds chosen so that the CI run of every scenario together stays within a few minutes
 * on two cores; `deep` bounds (for `pnpm check:deep`) go two levels deeper, about twelve
 * times the states.
 */
import { SimulationError } from '../errors.js';
import { type CheckBounds, type CheckScenario, NO_EVENTS } from './scenario.js';

const bounds = (b: Partial<CheckBounds>): CheckBounds => Object.freeze({ ...NO_EVENTS, ...b });

/** A fresh cluster where node 1 has won term 1 and every node has heard from it. */
const leaderOne = () => ['campaign 1', 'deliver all'];

/** Short timeouts keep the paths short: a follower times out after 2 or 3 ticks. */
const timing = { electionTick: 2, heartbeatTick: 1 } as const;

const list: CheckScenario[] = [
  {
    name: 'election',
    description:
      'a fresh cluster: elections by timeout or at any moment, lost and duplicated messages, a crash',
    nodes: 3,
    sizes: [3, 4, 5],
    raft: { ...timing, preVote: false, checkQuorum: true },
    bounds: bounds({ depth: 8, campaigns: 2, ticks: 2, crashes: 1, maxInFlight: 8 }),
    deep: { depth: 10 },
    livenessTicks: 30,
  },
  {
    name: 'replication',
    description: 'node 1 leads and committed "a" with node 2, node 3 lost it: elections, proposals, a crash',
    nodes: 3,
    sizes: [3, 5],
    raft: { ...timing, preVote: false, checkQuorum: false, maxSizePerMsg: 1 },
    setup: () => [...leaderOne(), 'propose 1 "a"', 'deliver 1->2', 'deliver 2->1', 'drop'],
    bounds: bounds({ depth: 9, campaigns: 2, proposals: 2, crashes: 1, duplicates: 1, maxInFlight: 8 }),
    deep: { depth: 11 },
  },
  {
    name: 'figure-8',
    description: "the Raft paper's Figure 8: two leaders left different uncommitted entries at one index",
    nodes: 3,
    sizes: [3],
    raft: { ...timing, preVote: false, checkQuorum: false, maxSizePerMsg: 1 },
    // "aa" is committed everywhere; node 1 (term 1) appended "bb" that nobody got; node 2
    // won term 2 with node 3's vote and appended "cc" that nobody got (nor its election's
    // empty entry); node 1 heard of term 2 from node 2's vote request only. Commands are 2
    // bytes and maxmsg 1, so an old entry travels alone (an empty entry of 0 bytes would
    // otherwise ride along with it).
    setup: () => [
      ...leaderOne(),
      'propose 1 "aa"',
      'deliver all',
      'tick 1',
      'deliver all',
      'propose 1 "bb"',
      'drop',
      'campaign 2',
      'deliver 2->3',
      'deliver 3->2',
      'deliver 2->1 request-vote term=2 last=1/1',
      'drop',
      'propose 2 "cc"',
      'drop',
    ],
    bounds: bounds({ depth: 13, campaigns: 3, proposals: 1, maxInFlight: 8 }),
    deep: { depth: 15 },
  },
  {
    name: 'membership-single',
    description: 'single-server changes (add, remove, demote, promote, remove the leader) under elections',
    nodes: 4,
    sizes: [4, 5],
    raft: { ...timing, preVote: false, checkQuorum: false },
    // With 5 nodes, node 5 starts outside the cluster (to be added), as in Ongaro's report.
    voters: (n) => Array.from({ length: Math.min(n, 4) }, (_, i) => i + 1),
    setup: leaderOne,
    changeKinds: ['remove', 'remove-self', 'add-voter', 'add-learner', 'promote', 'demote'],
    bounds: bounds({ depth: 8, campaigns: 2, changes: 2, proposals: 1, maxInFlight: 10 }),
    deep: { depth: 10 },
  },
  {
    name: 'membership-joint',
    description:
      'joint consensus: replace a voter by a learner or an outsider in one change, under elections',
    nodes: 4,
    sizes: [4, 5],
    raft: { ...timing, preVote: false, checkQuorum: false },
    voters: () => [1, 2, 3],
    learners: () => [4],
    setup: leaderOne,
    changeKinds: ['joint', 'promote'],
    bounds: bounds({ depth: 9, campaigns: 2, changes: 1, proposals: 1, maxInFlight: 10 }),
    deep: { depth: 10, changes: 2 },
  },
  {
    name: 'reads',
    description: 'ReadIndex reads on leaders and followers across elections and proposals',
    nodes: 3,
    sizes: [3, 5],
    raft: { ...timing, preVote: false, checkQuorum: false },
    setup: leaderOne,
    bounds: bounds({ depth: 9, campaigns: 2, proposals: 1, reads: 2, maxInFlight: 8 }),
    deep: { depth: 11 },
  },
  {
    name: 'snapshots',
    description: 'snapshots, compaction and chunked install-snapshot, with a crash and elections',
    nodes: 3,
    sizes: [3, 5],
    raft: { ...timing, preVote: false, checkQuorum: false, snapshotChunkSize: 4 },
    setup: () => [...leaderOne(), 'propose 1 "a"', 'deliver 1->2', 'deliver 2->1', 'drop'],
    bounds: bounds({ depth: 12, campaigns: 1, proposals: 1, snapshots: 2, crashes: 1, maxInFlight: 8 }),
    deep: { depth: 14 },
  },
  {
    name: 'transfer',
    description: 'leadership transfers and their timeout, with pre-vote and check-quorum on',
    nodes: 3,
    sizes: [3, 5],
    raft: { ...timing, preVote: true, checkQuorum: true },
    setup: leaderOne,
    bounds: bounds({ depth: 10, transfers: 2, ticks: 2, proposals: 1, maxInFlight: 8 }),
    deep: { depth: 12 },
  },
];

export const CHECK_SCENARIOS: Readonly<Record<string, CheckScenario>> = Object.freeze(
  Object.fromEntries(list.map((s) => [s.name, Object.freeze(s)])),
);

export const CHECK_SCENARIO_NAMES: readonly string[] = Object.freeze(list.map((s) => s.name));

export function getCheckScenario(name: string): CheckScenario {
  const s = CHECK_SCENARIOS[name];
  if (s === undefined)
    throw new SimulationError(`unknown check scenario "${name}"; known: ${CHECK_SCENARIO_NAMES.join(', ')}`);
  return s;
}
